import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { constants as zlib, createGunzip, gunzipSync } from 'node:zlib';
import { isIsoDay } from '../domain/clock.ts';
import type { IngestItem } from '../domain/paper.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { parseArxivAtom } from '../sources/arxiv.ts';
import { looksLikeRss, parseArxivRss } from '../sources/arxiv-rss.ts';
import { parseHfDailyPapers } from '../sources/hf.ts';
import type { ParsedItems } from '../sources/parsed.ts';

/** One day's worth of items (or, for a day we cannot tell, `day: null`). */
export interface DayBatch extends ParsedItems {
  day: string | null;
}

export type IngestFileFormat = 'hf-json' | 'hf-jsonl' | 'arxiv-atom' | 'arxiv-rss';

export interface ReadFileOptions {
  /** Listing day for HF items that carry no `submittedOnDailyAt` (data before mid-2025). */
  fallbackDay?: string | null;
  logger?: Logger;
  /** Called as the file is read: compressed bytes consumed so far, and the file's size. */
  onBytes?(read: number, total: number): void;
}

/** A file we cannot ingest; the message says which file and why. */
export class IngestFileError extends Error {
  override readonly name = 'IngestFileError';
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Reads an ingest file and yields its days, whichever of the three formats it is (told apart
 * by content, not name; any of them may be gzipped):
 * - a JSON array, as `/api/daily_papers?date=D` returns;
 * - JSON lines of `{"date": "YYYY-MM-DD", "papers": [...]}` (the corpus format), streamed line
 *   by line so a multi-year file never sits in memory;
 * - an arXiv Atom API response;
 * - an arXiv announcement feed (rss.arxiv.org): new and cross-listed papers listed on the
 *   announcement day, replacements refreshed but not listed.
 */
export async function* readIngestFile(path: string, opts: ReadFileOptions = {}): AsyncGenerator<DayBatch> {
  const logger = opts.logger ?? silentLogger;
  const { format, gzip, size } = await detectFormat(path);
  for await (const batch of readFormat(path, format, gzip, size, opts)) {
    for (const w of batch.warnings) logger.warn('skipped a malformed item', { file: path, day: batch.day, problem: w });
    yield batch;
  }
}

function readFormat(path: string, format: IngestFileFormat, gzip: boolean, size: number, opts: ReadFileOptions): AsyncIterable<DayBatch> {
  switch (format) {
    case 'hf-jsonl':
      return readJsonLines(path, gzip, size, opts);
    case 'hf-json':
      return readJsonArray(path, gzip, size, opts);
    case 'arxiv-atom':
      return readAtom(path, gzip, size, opts);
    case 'arxiv-rss':
      return readRss(path, gzip, size, opts);
  }
}

export async function detectFormat(path: string): Promise<{ format: IngestFileFormat; gzip: boolean; size: number }> {
  let size: number;
  let head: Buffer;
  try {
    size = (await stat(path)).size;
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new IngestFileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const text = gzip ? gunzipHead(head, path) : head.toString('utf8');
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return { format: 'hf-json', gzip, size };
  if (start.startsWith('{')) return { format: 'hf-jsonl', gzip, size };
  if (start.startsWith('<')) return { format: looksLikeRss(start) ? 'arxiv-rss' : 'arxiv-atom', gzip, size };
  throw new IngestFileError(
    `${path} is not a file paperboy can ingest: expected a JSON array of daily papers, JSON lines of {"date","papers"}, an arXiv Atom feed or an arXiv RSS announcement feed (optionally gzipped)`,
  );
}

/** The first bytes of a gzip stream, decompressed as far as the chunk allows. */
function gunzipHead(head: Buffer, path: string): string {
  try {
    // Only the first chunk is here: sync-flush lets a cut-off stream decompress as far as it goes.
    return gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH }).toString('utf8');
  } catch (e) {
    throw new IngestFileError(`${path} looks gzipped but does not decompress: ${(e as Error).message}`);
  }
}

function byteCountedStream(path: string, gzip: boolean, size: number, opts: ReadFileOptions): Readable {
  const file = createReadStream(path);
  let read = 0;
  if (opts.onBytes) {
    const report = opts.onBytes;
    file.on('data', (chunk) => {
      read += chunk.length;
      report(read, size);
    });
  }
  if (!gzip) return file;
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  return file.pipe(gunzip);
}

async function readWhole(path: string, gzip: boolean, size: number, opts: ReadFileOptions): Promise<string> {
  const raw = await readFile(path);
  opts.onBytes?.(raw.length, size);
  return (gzip ? gunzipSync(raw) : raw).toString('utf8');
}

async function* readJsonLines(path: string, gzip: boolean, size: number, opts: ReadFileOptions): AsyncGenerator<DayBatch> {
  const lines = createInterface({ input: byteCountedStream(path, gzip, size, opts), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      yield parseDayLine(line, n);
    }
  } catch (e) {
    throw new IngestFileError(`${path}: reading stopped at line ${n}: ${(e as Error).message}`);
  }
}

function parseDayLine(line: string, n: number): DayBatch {
  const bad = (why: string): DayBatch => ({ day: null, items: [], skipped: 1, warnings: [`line ${n}: ${why}`] });
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad('not JSON');
  }
  const { date, papers } = (value ?? {}) as { date?: unknown; papers?: unknown };
  if (typeof date !== 'string' || !isIsoDay(date)) return bad('no "date" as YYYY-MM-DD');
  if (!Array.isArray(papers)) return bad(`no "papers" array for ${date}`);
  const parsed = parseHfDailyPapers(papers, date);
  return { day: date, ...parsed, warnings: parsed.warnings.map((w) => `${date} ${w}`) };
}

async function* readJsonArray(path: string, gzip: boolean, size: number, opts: ReadFileOptions): AsyncGenerator<DayBatch> {
  const text = await readWhole(path, gzip, size, opts);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new IngestFileError(`${path} starts like a JSON array but does not parse: ${(e as Error).message}`);
  }
  const fallbackDay = opts.fallbackDay ?? dayInFileName(path);
  const parsed = parseHfDailyPapers(value, fallbackDay);
  // Recent items name their own day; a recorded file may still span several.
  yield* groupByDay(parsed);
}

async function* readAtom(path: string, gzip: boolean, size: number, opts: ReadFileOptions): AsyncGenerator<DayBatch> {
  const parsed = parseArxivAtom(await readWhole(path, gzip, size, opts));
  if (parsed.kind === 'api-error') throw new IngestFileError(`${path} is an arXiv error response: ${parsed.message}`);
  if (parsed.kind === 'not-a-feed') throw new IngestFileError(`${path} is not an arXiv Atom feed: ${parsed.message}`);
  yield* groupByDay(parsed.feed);
}

async function* readRss(path: string, gzip: boolean, size: number, opts: ReadFileOptions): AsyncGenerator<DayBatch> {
  const parsed = parseArxivRss(await readWhole(path, gzip, size, opts));
  if (parsed.kind === 'not-a-feed') throw new IngestFileError(`${path} is not an arXiv RSS feed: ${parsed.message}`);
  const { day, items, skipped, warnings } = parsed.feed;
  yield { day, items, skipped, warnings };
}

function groupByDay(parsed: ParsedItems): DayBatch[] {
  const byDay = new Map<string | null, IngestItem[]>();
  for (const it of parsed.items) {
    const day = it.listing?.day ?? null;
    const list = byDay.get(day);
    if (list) list.push(it);
    else byDay.set(day, [it]);
  }
  const batches: DayBatch[] = [...byDay].map(([day, items]) => ({ day, items, skipped: 0, warnings: [] }));
  const first = batches[0] ?? { day: null, items: [], skipped: 0, warnings: [] };
  first.skipped = parsed.skipped;
  first.warnings = parsed.warnings;
  return batches.length > 0 ? batches : [first];
}

/** `daily_papers_2024-05-27.json` was recorded for 2024-05-27: the best guess for undated items. */
export function dayInFileName(path: string): string | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const m = /(\d{4}-\d{2}-\d{2})/.exec(name);
  return m?.[1] && isIsoDay(m[1]) ? m[1] : null;
}
