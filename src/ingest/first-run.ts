import { fileURLToPath } from 'node:url';
import { addDays, isoDay } from '../domain/clock.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { SourceError, SourceResult } from '../sources/http.ts';
import type { ParsedItems } from '../sources/parsed.ts';
import type { Store } from '../store/store.ts';
import { readIngestFile } from './files.ts';
import { ingestBatches, type IngestCounts } from './ingest.ts';

/** Twenty recorded HF Daily Papers days (2026-06-02 to 2026-06-30), shipped so a first run offline shows real papers. */
export const SAMPLE_PATH = fileURLToPath(new URL('../../data/sample/hf-daily-sample.jsonl.gz', import.meta.url));

/** How far back to look for a day HF has listed papers on (weekends and early mornings are empty). */
const LOOKBACK_DAYS = 7;

export type FirstRunOutcome =
  | { kind: 'had-papers'; papers: number }
  | { kind: 'fetched'; day: string; counts: IngestCounts }
  | { kind: 'sample'; reason: string; counts: IngestCounts };

export interface FirstRunDeps {
  store: Store;
  /** The HF client's fetchDay (or a stand-in). */
  fetchHfDay(day: string): Promise<SourceResult<ParsedItems>>;
  now?: () => Date;
  /** One line for the person at the terminal. */
  say?(line: string): void;
  logger?: Logger;
  samplePath?: string;
}

/**
 * Makes sure there is something to show. With papers already stored, does nothing. Otherwise
 * fetches the most recent HF day that has papers; when HF cannot be reached, says so in one
 * plain line and loads the bundled sample instead.
 */
export async function ensurePapers(deps: FirstRunDeps): Promise<FirstRunOutcome> {
  const papers = await deps.store.papers.count();
  if (papers > 0) return { kind: 'had-papers', papers };
  const now = deps.now ?? (() => new Date());
  const say = deps.say ?? (() => {});
  const logger = deps.logger ?? silentLogger;

  const today = isoDay(now());
  let why: string | null = null;
  for (let back = 0; back < LOOKBACK_DAYS; back++) {
    const day = addDays(today, -back);
    const res = await deps.fetchHfDay(day);
    if (!res.ok) {
      logger.warn('first run: Hugging Face did not answer', { day, error: res.error });
      why = unreachable(res.error);
      break;
    }
    if (res.value.items.length === 0 && res.value.skipped === 0) continue;
    const counts = await ingestBatches(deps.store, [{ day, ...res.value }], { now });
    say(`The database was empty: fetched ${counts.inserted} papers that Hugging Face listed on ${day}.`);
    return { kind: 'fetched', day, counts };
  }
  why ??= `Hugging Face listed no papers in the last ${LOOKBACK_DAYS} days`;

  const counts = await ingestBatches(deps.store, readIngestFile(deps.samplePath ?? SAMPLE_PATH, { logger }), { now });
  say(`${why}: showing a bundled sample instead, ${counts.inserted} papers from ${counts.days} recorded days (${counts.firstDay} to ${counts.lastDay}).`);
  return { kind: 'sample', reason: why, counts };
}

function unreachable(e: SourceError): string {
  const host = hostOf(e.url);
  if (e.kind === 'network') return `No network: could not reach ${host}`;
  if (e.kind === 'timeout') return `No network: ${host} did not answer in time`;
  return `Hugging Face is not answering properly (${e.message})`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
