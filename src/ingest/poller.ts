import type { Clock } from '../domain/clock.ts';
import { addDays, isoDay } from '../domain/clock.ts';
import type { SourceHealth } from '../delivery/engine.ts';
import type { Logger } from '../logger.ts';
import type { OpsEvents } from '../ops/events.ts';
import type { SourceResult } from '../sources/http.ts';
import type { ParsedItems } from '../sources/parsed.ts';
import type { Store } from '../store/store.ts';
import { retryDelayMs } from '../delivery/backoff.ts';

/**
 * One source the poller keeps fresh: a name (for status) and how to fetch one UTC day (polled
 * for yesterday and today), or, for a feed of the latest announcements (arXiv's RSS), the
 * latest (polled once: the feed names its own day).
 */
export type PolledSource =
  | { name: string; fetchDay(day: string): Promise<SourceResult<ParsedItems>> }
  | { name: string; fetchLatest(): Promise<SourceResult<ParsedItems>> };

export interface PollerSettings {
  /** Between successful polls. */
  intervalMs: number;
  /** First retry after a failure; doubles up to intervalMs. */
  retryBaseMs: number;
  /** How long a poll in progress keeps other instances off the source (capped at intervalMs). */
  claimMs?: number;
}

/** Longer than a poll takes (two days, each at most the HTTP timeout and the library's retries). */
const DEFAULT_POLL_CLAIM_MS = 10 * 60_000;

/**
 * Keeps today's papers fresh through the day: each source is polled for today and yesterday
 * (HF upvotes keep rising and late submissions land on the previous day) every interval, and
 * sooner after a failure, backing off while it keeps failing. Its record doubles as the health
 * the digest checks before it believes an empty day.
 */
export class SourcePoller implements SourceHealth {
  constructor(
    private readonly deps: { store: Store; sources: readonly PolledSource[]; clock: Clock; logger: Logger; settings: PollerSettings; events?: OpsEvents },
  ) {}

  /**
   * Polls every source whose time has come, once per fleet: the due check and the claim (the
   * next poll time moved past the poll's longest run) happen under the store's fleet lock, so
   * of several instances ticking at once one polls and the others find it not due. The
   * fetching itself runs outside the lock. Never throws.
   */
  async pollDue(): Promise<void> {
    const { store, clock, settings } = this.deps;
    for (const source of this.deps.sources) {
      const claim = await store.fleetLock(`poll:${source.name}`, async () => {
        const status = await store.sources.get(source.name);
        const now = clock.now();
        if (status?.nextPollAt && new Date(status.nextPollAt) > now) return null;
        await store.sources.claimPoll(source.name, new Date(now.getTime() + Math.min(settings.intervalMs, settings.claimMs ?? DEFAULT_POLL_CLAIM_MS)));
        return { failures: status?.failures ?? 0 };
      });
      if (!claim.ran || claim.value === null) continue;
      await this.poll(source, claim.value.failures);
    }
  }

  private async poll(source: PolledSource, failures: number): Promise<void> {
    const { store, clock, logger, settings } = this.deps;
    const today = isoDay(clock.now());
    let read = 0;
    const fetches: Array<{ day: string; fetch: () => Promise<SourceResult<ParsedItems>> }> =
      'fetchLatest' in source
        ? [{ day: 'latest', fetch: () => source.fetchLatest() }]
        : [addDays(today, -1), today].map((day) => ({ day, fetch: () => source.fetchDay(day) }));
    for (const { day, fetch } of fetches) {
      let result: SourceResult<ParsedItems>;
      try {
        result = await fetch();
      } catch (e) {
        result = { ok: false, error: { kind: 'network', retryable: true, url: source.name, message: e instanceof Error ? e.message : String(e) } };
      }
      if (!result.ok) {
        const now = clock.now();
        const wait = Math.min(settings.intervalMs, retryDelayMs(failures + 1, settings.retryBaseMs, settings.intervalMs));
        await store.sources.recordFailure(source.name, result.error.message, now, new Date(now.getTime() + wait));
        this.deps.events?.sourcePolled(source.name, 'failed', read);
        logger.warn('paper source failed; will retry', { source: source.name, day, error: result.error.message, retryInMs: wait, failures: failures + 1 });
        return;
      }
      for (const w of result.value.warnings) logger.warn('skipped a malformed item', { source: source.name, day, warning: w });
      await store.papers.upsertMany(result.value.items, clock.now());
      read += result.value.items.length;
    }
    const now = clock.now();
    await store.sources.recordOk(source.name, read, now, new Date(now.getTime() + settings.intervalMs));
    this.deps.events?.sourcePolled(source.name, 'ok', read);
    logger.info('polled paper source', { source: source.name, papers: read });
  }

  /**
   * Ready when every source's latest poll succeeded with papers for today or yesterday. An
   * answer with none (an empty feed mid-week, a weekend) is not taken as "nothing new": an
   * empty digest then simply is not recorded, and the next slot carries on.
   */
  async readyFor(): Promise<boolean> {
    for (const source of this.deps.sources) {
      const status = await this.deps.store.sources.get(source.name);
      if (!status?.lastOkAt || status.failures > 0 || status.lastItems === 0) return false;
    }
    return true;
  }
}

/** For runs without polling (console, tests): whatever is in the store is all there is. */
export const storeOnlyHealth: SourceHealth = { readyFor: async () => true };
