import { sql, type Kysely } from 'kysely';
import type { Database, DeliveryRow, DigestKind, DigestRow } from './schema.ts';

export interface DigestDraft {
  channelId: number;
  digestDate: string;
  slot: string;
  dueAt: Date;
  kind: DigestKind;
  windowFrom: string;
  windowTo: string;
  header: boolean;
  papers: Array<{ paperId: string; rank: number; topics: string[] }>;
}

/**
 * The delivery outbox. Planning writes a digest and its deliveries in one transaction under
 * unique keys; sending claims one row at a time with a single conditional UPDATE, so no
 * transaction is ever held across a network call and two senders can never take one row.
 */
export class OutboxRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Writes the digest and its deliveries; null when that slot was already planned. */
  async plan(d: DigestDraft, now: Date): Promise<number | null> {
    const stamp = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('digests')
        .values({
          channel_id: d.channelId,
          digest_date: d.digestDate,
          slot: d.slot,
          due_at: d.dueAt.toISOString(),
          kind: d.kind,
          window_from: d.windowFrom,
          window_to: d.windowTo,
          paper_count: d.papers.length,
          header_state: d.header && d.papers.length > 0 ? 'planned' : 'none',
          created_at: stamp,
        })
        .onConflict((oc) => oc.columns(['channel_id', 'digest_date', 'slot']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      if (d.papers.length > 0) {
        await trx
          .insertInto('deliveries')
          .values(
            d.papers.map((p) => ({
              channel_id: d.channelId,
              digest_id: inserted.id,
              digest_date: d.digestDate,
              paper_id: p.paperId,
              rank: p.rank,
              topics: JSON.stringify(p.topics),
              state: 'planned' as const,
              created_at: stamp,
              updated_at: stamp,
            })),
          )
          // Two slots on one day may both want a paper: the first keeps it.
          .onConflict((oc) => oc.columns(['channel_id', 'digest_date', 'paper_id']).doNothing())
          .execute();
      }
      return inserted.id;
    });
  }

  async digestFor(channelId: number, digestDate: string, slot: string): Promise<DigestRow | undefined> {
    return this.db.selectFrom('digests').selectAll().where('channel_id', '=', channelId).where('digest_date', '=', digestDate).where('slot', '=', slot).executeTakeFirst();
  }

  async lastDigest(channelId: number): Promise<DigestRow | undefined> {
    return this.db.selectFrom('digests').selectAll().where('channel_id', '=', channelId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async digest(id: number): Promise<DigestRow | undefined> {
    return this.db.selectFrom('digests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Channels (enabled, in enabled teams) with a header or a delivery ready to send. */
  async channelsWithWork(now: Date): Promise<number[]> {
    const stamp = now.toISOString();
    const rows = await this.db
      .selectFrom('channels as c')
      .innerJoin('teams as t', 't.id', 'c.team_id')
      .select('c.id')
      .where('c.disabled_reason', 'is', null)
      .where('t.disabled_reason', 'is', null)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('deliveries as d')
              .select('d.id')
              .whereRef('d.channel_id', '=', 'c.id')
              .where('d.state', '=', 'planned')
              .where((w) => w.or([w('d.next_attempt_at', 'is', null), w('d.next_attempt_at', '<=', stamp)])),
          ),
          eb.exists(
            eb
              .selectFrom('digests as g')
              .select('g.id')
              .whereRef('g.channel_id', '=', 'c.id')
              .where('g.header_state', '=', 'planned')
              .where((w) => w.or([w('g.header_next_attempt_at', 'is', null), w('g.header_next_attempt_at', '<=', stamp)])),
          ),
        ]),
      )
      .orderBy('c.id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Takes the channel's next ready delivery, in digest and rank order (after its header), or null. */
  async claimNext(channelId: number, now: Date): Promise<DeliveryRow | null> {
    const stamp = now.toISOString();
    const row = await this.db
      .updateTable('deliveries')
      .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), claimed_at: stamp, updated_at: stamp }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('deliveries')
          .select('id')
          .where('channel_id', '=', channelId)
          .where('state', '=', 'planned')
          .where((w) => w.or([w('next_attempt_at', 'is', null), w('next_attempt_at', '<=', stamp)]))
          // A digest's papers follow its header: none goes out while the header is still to come.
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('digests as g')
                  .select('g.id')
                  .whereRef('g.id', '=', 'deliveries.digest_id')
                  .where('g.header_state', 'in', ['planned', 'sending']),
              ),
            ),
          )
          .orderBy('digest_id')
          .orderBy('rank')
          .limit(1),
      )
      .where('state', '=', 'planned')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async markSent(id: number, messageId: string, now: Date): Promise<void> {
    await this.db.updateTable('deliveries').set({ state: 'sent', message_id: messageId, last_error: null, updated_at: now.toISOString() }).where('id', '=', id).execute();
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({ state: 'planned', last_error: error, next_attempt_at: nextAttemptAt.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    await this.db.updateTable('deliveries').set({ state: 'failed', last_error: error, updated_at: now.toISOString() }).where('id', '=', id).execute();
  }

  /**
   * The channel can no longer be posted to: it is disabled with the reason (kept for
   * /papers status until /papers resume) and everything still waiting for it is given up, in
   * one transaction, so a crash cannot leave stale posts queued for after a resume.
   */
  async closeChannel(channelId: number, reason: string, now: Date): Promise<void> {
    const stamp = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('channels').set({ disabled_reason: reason, disabled_at: stamp }).where('id', '=', channelId).execute();
      await trx
        .updateTable('deliveries')
        .set({ state: 'failed', last_error: reason, updated_at: stamp })
        .where('channel_id', '=', channelId)
        .where('state', 'in', ['planned', 'sending'])
        .execute();
      await trx.updateTable('digests').set({ header_state: 'failed' }).where('channel_id', '=', channelId).where('header_state', 'in', ['planned', 'sending']).execute();
    });
  }

  /**
   * Before a new digest is planned: what older digests (due before `dueBefore`, i.e. past the
   * grace window) still hold unsent and never tried goes back into the pool, so the new
   * digest carries it under one header instead of two digests arriving at once. Rows already
   * tried stay: they may have reached the platform.
   */
  async releaseStale(channelId: number, dueBefore: Date): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const stale = trx.selectFrom('digests').select('id').where('channel_id', '=', channelId).where('due_at', '<', dueBefore.toISOString());
      const released = await trx
        .deleteFrom('deliveries')
        .where('digest_id', 'in', stale)
        .where('state', '=', 'planned')
        .where('attempts', '=', 0)
        .executeTakeFirst();
      await trx.updateTable('digests').set({ header_state: 'none' }).where('id', 'in', stale).where('header_state', '=', 'planned').where('header_attempts', '=', 0).execute();
      return Number(released.numDeletedRows);
    });
  }

  /** The channel's digest header ready to be posted, claimed; null when none. */
  async claimHeader(channelId: number, now: Date): Promise<DigestRow | null> {
    const stamp = now.toISOString();
    const row = await this.db
      .updateTable('digests')
      .set((eb) => ({ header_state: 'sending', header_attempts: eb('header_attempts', '+', 1) }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('digests')
          .select('id')
          .where('channel_id', '=', channelId)
          .where('header_state', '=', 'planned')
          .where((w) => w.or([w('header_next_attempt_at', 'is', null), w('header_next_attempt_at', '<=', stamp)]))
          .orderBy('id')
          .limit(1),
      )
      .where('header_state', '=', 'planned')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async settleHeader(digestId: number, outcome: { messageId: string } | { retryAt: Date } | { failed: true }): Promise<void> {
    const set =
      'messageId' in outcome
        ? { header_state: 'sent' as const, header_message_id: outcome.messageId }
        : 'retryAt' in outcome
          ? { header_state: 'planned' as const, header_next_attempt_at: outcome.retryAt.toISOString() }
          : { header_state: 'failed' as const };
    await this.db.updateTable('digests').set(set).where('id', '=', digestId).execute();
  }

  /**
   * After a crash: posts claimed but never settled may or may not have happened. They go back
   * to planned with their attempt count kept, so the adapter checks before posting again.
   */
  async recoverInFlight(now: Date): Promise<number> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ state: 'planned', next_attempt_at: null, last_error: 'interrupted; checking before resending', updated_at: now.toISOString() })
      .where('state', '=', 'sending')
      .executeTakeFirst();
    await this.db.updateTable('digests').set({ header_state: 'planned' }).where('header_state', '=', 'sending').execute();
    return Number(r.numUpdatedRows);
  }

  /** Deliveries of one digest, in rank order. */
  async deliveriesOf(digestId: number): Promise<DeliveryRow[]> {
    return this.db.selectFrom('deliveries').selectAll().where('digest_id', '=', digestId).orderBy('rank').execute();
  }

  /** Where and when a paper was delivered to a channel, if it was. */
  async deliveryOf(channelId: number, paperId: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('channel_id', '=', channelId).where('paper_id', '=', paperId).orderBy('id', 'desc').executeTakeFirst();
  }

  /** Counts by state, for status and tests. */
  async countByState(channelId?: number): Promise<Record<string, number>> {
    let q = this.db.selectFrom('deliveries').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state');
    if (channelId !== undefined) q = q.where('channel_id', '=', channelId);
    const rows = await q.execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }
}
