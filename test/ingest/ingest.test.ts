import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/logger.ts';
import { IngestFileError, dayInFileName, readIngestFile, type DayBatch } from '../../src/ingest/files.ts';
import { SAMPLE_PATH } from '../../src/ingest/first-run.ts';
import { daysBetween, fetchDays, ingestBatches, summaryLine, type DayFailure } from '../../src/ingest/ingest.ts';
import { HfClient } from '../../src/sources/hf.ts';
import { fail, ok } from '../../src/sources/http.ts';
import { type Store } from '../../src/store/store.ts';
import { JSON_HEADERS, startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { clone, fixtureJson, fixturePath } from '../sources/fixture-files.ts';
import { openTestStore } from '../support/test-store.ts';

type RawItem = { paper: { id: string; upvotes: number } & Record<string, unknown> } & Record<string, unknown>;

let store: Store;
beforeEach(async () => {
  store = await openTestStore();
});
afterEach(async () => {
  await store.close();
});

const tmp = mkdtempSync(join(tmpdir(), 'paperboy-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(it: AsyncIterable<DayBatch>): Promise<DayBatch[]> {
  const out: DayBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

async function tableRows(s: Store) {
  const papers = await s.db.selectFrom('papers').selectAll().orderBy('id').execute();
  const listings = await s.db.selectFrom('listings').selectAll().orderBy('day').orderBy('paper_id').execute();
  return { papers, listings };
}

describe('re-ingesting a recorded HF day', () => {
  let server: ReplayServer;
  afterEach(() => server.close());

  it('keeps the same rows, refreshes upvotes, and never duplicates papers or listings', async () => {
    const v1 = fixtureJson<RawItem[]>('hf/daily_papers_2026-08-17.json');
    // The same day fetched again later: only the upvotes moved (derived from the recording).
    const v2 = clone(v1).map((it, i) => ({ ...it, paper: { ...it.paper, upvotes: it.paper.upvotes + 5 + i } }));
    server = await startReplayServer([{ path: '/api/daily_papers', query: { date: '2026-08-17' }, headers: JSON_HEADERS, body: JSON.stringify(v1) }]);
    const hf = new HfClient({ baseUrl: server.url, timeoutMs: 2000 });
    const run = () => ingestBatches(store, fetchDays(['2026-08-17'], (d) => hf.fetchDay(d), []), { now: () => new Date('2026-08-17T09:00:00Z') });

    const first = await run();
    expect(first).toMatchObject({ days: 1, read: v1.length, inserted: v1.length, updated: 0, skipped: 0 });
    const before = await tableRows(store);
    expect(before.papers.map((p) => p.upvotes)).toEqual([...v1].sort((a, b) => a.paper.id.localeCompare(b.paper.id)).map((i) => i.paper.upvotes));

    server.route({ path: '/api/daily_papers', query: { date: '2026-08-17' }, headers: JSON_HEADERS, body: JSON.stringify(v2) });
    const second = await run();
    expect(second).toMatchObject({ read: v1.length, inserted: 0, updated: v1.length });
    const after = await tableRows(store);

    expect(after.papers).toHaveLength(v1.length);
    expect(after.listings).toEqual(before.listings);
    expect(after.listings).toHaveLength(v1.length);
    const byId = new Map(v2.map((i) => [i.paper.id, i.paper.upvotes]));
    for (const p of after.papers) expect(p.upvotes).toBe(byId.get(p.id));
    const withoutVolatile = (rows: typeof before.papers) => rows.map(({ upvotes: _u, updated_at: _t, ...rest }) => rest);
    expect(withoutVolatile(after.papers)).toEqual(withoutVolatile(before.papers));
    expect(await store.papers.listedOn('2026-08-17')).toEqual(v1.map((i) => i.paper.id));
    expect(server.unmatched).toEqual([]);
  });
});

describe('ingestBatches', () => {
  it('keeps both listings of a paper listed on two days, even within one store call', async () => {
    const [item] = fixtureJson<RawItem[]>('hf/daily_papers_2026-08-17.json');
    const path = join(tmp, 'twice.jsonl');
    writeFileSync(path, [JSON.stringify({ date: '2026-08-17', papers: [item] }), JSON.stringify({ date: '2026-08-24', papers: [item] })].join('\n'));
    // submittedOnDailyAt would list both on 2026-08-17; drop it so each line's date counts
    const raw = readFileSync(path, 'utf8').replaceAll(/"submittedOnDailyAt":"[^"]*",?/g, '');
    writeFileSync(path, raw);
    const counts = await ingestBatches(store, readIngestFile(path), { itemsPerCall: 1000 });
    expect(counts).toMatchObject({ days: 2, read: 2, inserted: 1, updated: 1, firstDay: '2026-08-17', lastDay: '2026-08-24' });
    expect(await store.papers.listedOn('2026-08-17')).toEqual([item!.paper.id]);
    expect(await store.papers.listedOn('2026-08-24')).toEqual([item!.paper.id]);
  });

  it('ingests the days that could be fetched and reports the others', async () => {
    const v1 = fixtureJson<unknown[]>('hf/daily_papers_2026-08-18.json');
    const { parseHfDailyPapers } = await import('../../src/sources/hf.ts');
    const failures: DayFailure[] = [];
    const counts = await ingestBatches(
      store,
      fetchDays(['2026-08-17', '2026-08-18'], async (d) => (d === '2026-08-18' ? ok(parseHfDailyPapers(v1, d)) : fail({ kind: 'http', status: 503, retryable: true, url: 'x', message: 'HTTP 503' })), failures),
    );
    expect(failures.map((f) => [f.day, f.error.status])).toEqual([['2026-08-17', 503]]);
    expect(counts).toMatchObject({ days: 1, inserted: v1.length });
    expect(await store.papers.count()).toBe(v1.length);
  });
});

describe('reading ingest files', () => {
  it('streams a .jsonl.gz of {"date","papers"} lines into the store (the bundled sample)', async () => {
    // An independent reading of the same file is the oracle.
    const lines = gunzipSync(readFileSync(SAMPLE_PATH)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { date: string; papers: RawItem[] });
    const all = lines.flatMap((l) => l.papers.map((p) => ({ day: l.date, id: p.paper.id })));
    const logger = memoryLogger();
    const counts = await ingestBatches(store, readIngestFile(SAMPLE_PATH, { logger }), { itemsPerCall: 300 });
    expect(counts).toMatchObject({ days: lines.length, read: all.length, skipped: 0, firstDay: lines[0]!.date, lastDay: lines.at(-1)!.date });
    expect(counts.inserted + counts.updated).toBe(all.length);
    expect(await store.papers.count()).toBe(new Set(all.map((a) => a.id)).size);
    const listings = await store.db.selectFrom('listings').select(['day', 'paper_id']).execute();
    expect(listings).toHaveLength(new Set(all.map((a) => `${a.day} ${a.id}`)).size);
    expect(await store.papers.listedOn(lines[3]!.date)).toEqual(lines[3]!.papers.map((p) => p.paper.id));
    expect(logger.entries).toEqual([]);
    expect(lines.length).toBeGreaterThanOrEqual(15);
    expect(readFileSync(SAMPLE_PATH).length).toBeLessThan(1024 * 1024);
  });

  it('counts bad lines and bad items as skipped and keeps the rest', async () => {
    const good = fixtureJson<RawItem[]>('hf/daily_papers_2026-08-20.json');
    const broken = clone(good).slice(0, 3);
    delete (broken[0]!.paper as Partial<RawItem['paper']>).id;
    const path = join(tmp, 'mixed.jsonl.gz');
    const lines = [
      JSON.stringify({ date: '2026-08-20', papers: good }),
      'this is not json',
      JSON.stringify({ date: 'yesterday', papers: [] }),
      '',
      JSON.stringify({ date: '2026-08-21', papers: broken }),
    ];
    writeFileSync(path, gzipSync(lines.join('\n')));
    const logger = memoryLogger();
    const counts = await ingestBatches(store, readIngestFile(path, { logger }));
    // read: every item and every bad line; the broken day's two good items are papers seen the day before
    expect(counts).toMatchObject({ days: 2, read: good.length + 2 + 3, skipped: 3, inserted: good.length, updated: 2 });
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.problem)).toEqual([
      'line 2: not JSON',
      'line 3: no "date" as YYYY-MM-DD',
      expect.stringMatching(/^2026-08-21 item 1 \(no id\): paper\.id/),
    ]);
  });

  it('reads a JSON array as /api/daily_papers returns it, dating old items by the file name', async () => {
    const path = fixturePath('hf/daily_papers_2024-05-27.json');
    const raw = fixtureJson<RawItem[]>('hf/daily_papers_2024-05-27.json');
    const batches = await collect(readIngestFile(path));
    expect(batches.map((b) => b.day)).toEqual(['2024-05-27']);
    expect(batches[0]!.items.map((i) => i.paper.id)).toEqual(raw.map((i) => i.paper.id));
    expect(dayInFileName('/x/daily_papers_2024-05-27.json')).toBe('2024-05-27');
    expect(dayInFileName('/x/papers.json')).toBeNull();
  });

  it('lets an explicit day date undated items', async () => {
    const path = join(tmp, 'undated.json.gz');
    writeFileSync(path, gzipSync(readFileSync(fixturePath('hf/daily_papers_2025-03-14.json'))));
    const [batch] = await collect(readIngestFile(path, { fallbackDay: '2025-03-13' }));
    expect(batch!.items.every((i) => i.listing?.day === '2025-03-13')).toBe(true);
    const [undated] = await collect(readIngestFile(path));
    expect(undated!.day).toBeNull();
    expect(undated!.items.every((i) => i.listing === null)).toBe(true);
  });

  it('reads an arXiv Atom file, one batch per submission day', async () => {
    const batches = await collect(readIngestFile(fixturePath('arxiv/api_query_search_au_del_maestro_legacy_format_2016.xml')));
    expect(batches.flatMap((b) => b.items)).toHaveLength(10);
    for (const b of batches) expect(b.items.every((i) => i.listing?.day === b.day && i.paper.source === 'arxiv')).toBe(true);
    const counts = await ingestBatches(store, batches);
    expect(counts).toMatchObject({ read: 10, inserted: 10 });
  });

  it('refuses a file it cannot read, saying which and why', async () => {
    const path = join(tmp, 'notes.txt');
    writeFileSync(path, 'hello');
    await expect(collect(readIngestFile(path))).rejects.toThrow(IngestFileError);
    await expect(collect(readIngestFile(path))).rejects.toThrow(/notes\.txt is not a file paperboy can ingest/);
    await expect(collect(readIngestFile(join(tmp, 'missing.jsonl')))).rejects.toThrow(/cannot read .*missing\.jsonl: ENOENT/);
    await expect(collect(readIngestFile(fixturePath('arxiv/api_query_id_list_abc_invalid_id_error.xml')))).rejects.toThrow(/arXiv error response: incorrect id format/);
  });
});

describe('helpers', () => {
  it('lists the days of a range, across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('writes the summary line', () => {
    const c = { days: 542, read: 9126, inserted: 9124, updated: 2, skipped: 0, firstDay: null, lastDay: null };
    expect(summaryLine(c, 8.44)).toBe('542 days: 9126 papers read, 9124 new, 2 updated, 0 skipped (8.4 s)');
    expect(summaryLine({ ...c, days: 1 }, 0.05, 2)).toBe('1 day: 9126 papers read, 9124 new, 2 updated, 0 skipped, 2 days failed (0.1 s)');
  });
});
