import { addDays } from '../domain/clock.ts';
import type { IngestItem } from '../domain/paper.ts';
import type { SourceError, SourceResult } from '../sources/http.ts';
import type { ParsedItems } from '../sources/parsed.ts';
import type { Store } from '../store/store.ts';
import type { DayBatch } from './files.ts';

export interface IngestCounts {
  /** Days taken in: the dated lines of a file (or the file, if undated), or the days fetched successfully. */
  days: number;
  /** Items in the input, good or not: read = inserted + updated + skipped. */
  read: number;
  inserted: number;
  updated: number;
  skipped: number;
  /** The earliest and latest listing day seen. */
  firstDay: string | null;
  lastDay: string | null;
}

export interface IngestOptions {
  now?: () => Date;
  /**
   * Items handed to the store per call. The store writes in multi-row statements inside one
   * transaction per call, and FTS5 flushes its index at every commit: ten thousand per call
   * is about a third faster than one thousand (bench/README.md).
   */
  itemsPerCall?: number;
  /** After each day batch has been taken in (not necessarily written yet). */
  onDay?(counts: IngestCounts, batch: DayBatch): void;
}

export function emptyCounts(): IngestCounts {
  return { days: 0, read: 0, inserted: 0, updated: 0, skipped: 0, firstDay: null, lastDay: null };
}

/**
 * Feeds day batches into the store, several days per store call so a multi-year file goes fast.
 * A paper listed on two days must reach the store in two calls (the store keeps one item per
 * id per call, which would drop a listing), so a batch that repeats a pending id flushes first.
 */
export async function ingestBatches(store: Store, batches: AsyncIterable<DayBatch> | Iterable<DayBatch>, opts: IngestOptions = {}): Promise<IngestCounts> {
  const now = opts.now ?? (() => new Date());
  const perCall = opts.itemsPerCall ?? 10_000;
  const counts = emptyCounts();
  let pending: IngestItem[] = [];
  let pendingIds = new Set<string>();

  const flush = async () => {
    if (pending.length === 0) return;
    const r = await store.papers.upsertMany(pending, now());
    counts.inserted += r.inserted;
    counts.updated += r.updated;
    pending = [];
    pendingIds = new Set();
  };

  for await (const batch of batches) {
    if (batch.items.some((it) => pendingIds.has(it.paper.id))) await flush();
    for (const it of batch.items) {
      pending.push(it);
      pendingIds.add(it.paper.id);
    }
    // A line that could not be read is not a day; an undated file still is one.
    if (batch.day !== null || batch.items.length > 0) counts.days++;
    counts.read += batch.items.length + batch.skipped;
    counts.skipped += batch.skipped;
    for (const it of batch.items) {
      const day = it.listing?.day;
      if (!day) continue;
      if (counts.firstDay === null || day < counts.firstDay) counts.firstDay = day;
      if (counts.lastDay === null || day > counts.lastDay) counts.lastDay = day;
    }
    opts.onDay?.(counts, batch);
    if (pending.length >= perCall) await flush();
  }
  await flush();
  return counts;
}

export interface DayFailure {
  day: string;
  error: SourceError;
}

export type FetchDay = (day: string) => Promise<SourceResult<ParsedItems>>;

/**
 * Fetches the days one after another and yields those that worked; the others are appended to
 * `failures` (the caller reports them after ingesting the rest). Sequential on purpose: both
 * APIs are shared public services, and arXiv asks for one request at a time.
 */
export async function* fetchDays(days: readonly string[], fetchDay: FetchDay, failures: DayFailure[]): AsyncGenerator<DayBatch> {
  for (const day of days) {
    const res = await fetchDay(day);
    if (res.ok) yield { day, ...res.value };
    else failures.push({ day, error: res.error });
  }
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The one summary line the CLI prints, e.g. `542 days: 9126 papers read, 9124 new, 2 updated, 0 skipped (8.4 s)`. */
export function summaryLine(c: IngestCounts, seconds: number, failedDays = 0): string {
  const days = `${c.days} ${c.days === 1 ? 'day' : 'days'}`;
  const failed = failedDays > 0 ? `, ${failedDays} ${failedDays === 1 ? 'day' : 'days'} failed` : '';
  return `${days}: ${c.read} papers read, ${c.inserted} new, ${c.updated} updated, ${c.skipped} skipped${failed} (${seconds.toFixed(1)} s)`;
}
