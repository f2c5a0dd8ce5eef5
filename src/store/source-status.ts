import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface SourceStatus {
  source: string;
  lastOkAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  failures: number;
  lastItems: number;
  nextPollAt: string | null;
}

/** When each paper source was last polled, and how it went: the poller's memory across restarts. */
export class SourceStatusRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(source: string): Promise<SourceStatus | null> {
    const r = await this.db.selectFrom('source_status').selectAll().where('source', '=', source).executeTakeFirst();
    return r ? { source: r.source, lastOkAt: r.last_ok_at, lastErrorAt: r.last_error_at, lastError: r.last_error, failures: r.failures, lastItems: r.last_items, nextPollAt: r.next_poll_at } : null;
  }

  /**
   * Marks a poll as taken until `until`: other instances see the source not due while it runs,
   * and poll it themselves only if this one died before recording how it went.
   */
  async claimPoll(source: string, until: Date): Promise<void> {
    const next = until.toISOString();
    await this.db
      .insertInto('source_status')
      .values({ source, next_poll_at: next })
      .onConflict((oc) => oc.column('source').doUpdateSet({ next_poll_at: next }))
      .execute();
  }

  async recordOk(source: string, items: number, now: Date, nextPollAt: Date): Promise<void> {
    const row = { source, last_ok_at: now.toISOString(), failures: 0, last_items: items, last_error: null, next_poll_at: nextPollAt.toISOString() };
    await this.db
      .insertInto('source_status')
      .values(row)
      .onConflict((oc) => oc.column('source').doUpdateSet({ last_ok_at: row.last_ok_at, failures: 0, last_items: items, last_error: null, next_poll_at: row.next_poll_at }))
      .execute();
  }

  async recordFailure(source: string, error: string, now: Date, nextPollAt: Date): Promise<void> {
    const stamp = now.toISOString();
    await this.db
      .insertInto('source_status')
      .values({ source, last_error_at: stamp, last_error: error, failures: 1, next_poll_at: nextPollAt.toISOString() })
      .onConflict((oc) =>
        oc.column('source').doUpdateSet((eb) => ({
          last_error_at: stamp,
          last_error: error,
          failures: eb('source_status.failures', '+', 1),
          next_poll_at: nextPollAt.toISOString(),
        })),
      )
      .execute();
  }
}
