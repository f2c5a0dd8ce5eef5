import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, type Updateable } from 'kysely';
import { NO_CLAIM_LOCKING, type ClaimLocking } from './claim-locking.ts';
import { CompiledOnce } from './compiled-once.ts';
import { claimedColumns, renewLease, whileHeld, type Lease } from './leases.ts';
import type { Database, DeliveriesTable, DeliveryRow, DigestKind, DigestRow } from './schema.ts';

export type { Lease } from './leases.ts';

/** What planning reads of one channel's own delivery rows (OutboxRepo.planningStates). */
export interface ChannelPlanningState {
  /** The date of its last digest (as lastDigest), null before the first. */
  lastDigestDate: string | null;
  /** Its digests on or after the day asked for, as "date slot": whether a slot is planned. */
  slots: Set<string>;
  /** Papers that failed there (as failedPaperIds): offered again. */
  failed: Set<string>;
  /** Whether a digest due before the time asked for holds rows never tried (releaseStale would release them). */
  hasStale: boolean;
}

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
 * The delivery outbox, the one repository of the deliveries and digests tables. Planning
 * writes a digest and its deliveries in one transaction under unique keys; sending claims a
 * digest's ready rows with a single conditional UPDATE and settles each row as it is posted, so
 * no transaction is ever held across a network call and two senders can never take one row.
 * A claim is a lease (owner instance, until when), renewed while the posts are in flight; any
 * number of instances may share the store.
 */
export class OutboxRepo {
  private readonly claimStatement: CompiledOnce<[number, string, string, string, number], DeliveryRow>;
  private readonly settles: ReturnType<OutboxRepo['settlesFor']>;

  constructor(
    private readonly db: Kysely<Database>,
    /** The dialect's claim locking (see ClaimLocking): the one line a dialect changes. */
    private readonly locking: ClaimLocking = NO_CLAIM_LOCKING,
    /** DialectSeam.planInOneStatement. */
    private readonly planInOneStatement = false,
  ) {
    this.claimStatement = this.claimStatementFor();
    this.settles = this.settlesFor();
  }

  /** Writes the digest and its deliveries; null when that slot was already planned. */
  async plan(d: DigestDraft, now: Date): Promise<number | null> {
    const stamp = now.toISOString();
    if (this.planInOneStatement) return this.planAtOnce(d, stamp);
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
          created_at: stamp,
        })
        .onConflict((oc) => oc.columns(['channel_id', 'digest_date', 'slot']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      // A paper that failed here before (given up, or queued when the channel was closed) is
      // offered again by taking over its row: the same row, so the same delivery key, and
      // `attempts` kept above 0 if it was ever tried, so the adapter checks the platform back
      // to its first try before posting (that try may have landed).
      const failed = await this.takeOverFailed(trx, d, inserted.id, stamp);
      const row = { channel_id: d.channelId, digest_id: inserted.id, digest_date: d.digestDate, state: 'planned' as const, created_at: stamp, updated_at: stamp };
      const rows = [
        // The header is a row like the papers, ranked 0 so it goes first.
        ...(d.header && d.papers.length > 0 ? [{ ...row, kind: 'header' as const, paper_id: null, rank: 0, topics: '[]' }] : []),
        ...d.papers.filter((p) => !failed.has(p.paperId)).map((p) => ({ ...row, kind: 'paper' as const, paper_id: p.paperId, rank: p.rank, topics: JSON.stringify(p.topics) })),
      ];
      if (rows.length > 0) {
        await trx
          .insertInto('deliveries')
          .values(rows)
          // Two slots on one day may both want a paper: the first keeps it (a header has no paper, so never conflicts).
          .onConflict((oc) => oc.columns(['channel_id', 'digest_date', 'paper_id']).doNothing())
          .execute();
      }
      return inserted.id;
    });
  }

  /**
   * plan() as one statement (PostgreSQL's data-modifying WITH), which is atomic by itself: the
   * digest; the channel's failed rows of its papers taken over (as takeOverFailed); the header
   * and the other papers' rows. Each part sees the statement's one snapshot, so the rows
   * inserted leave out the papers taken over by their RETURNING, not by a second look.
   */
  private async planAtOnce(d: DigestDraft, stamp: string): Promise<number | null> {
    const r = await sql<{ id: number }>`
      WITH d AS (
        INSERT INTO digests (channel_id, digest_date, slot, due_at, kind, window_from, window_to, paper_count, created_at)
        VALUES (${d.channelId}, ${d.digestDate}, ${d.slot}, ${d.dueAt.toISOString()}, ${d.kind}, ${d.windowFrom}, ${d.windowTo}, ${d.papers.length}, ${stamp})
        ON CONFLICT (channel_id, digest_date, slot) DO NOTHING
        RETURNING id
      ), draft AS (
        SELECT * FROM unnest(${d.papers.map((p) => p.paperId)}::text[], ${d.papers.map((p) => p.rank)}::int[], ${d.papers.map((p) => JSON.stringify(p.topics))}::text[]) AS t (paper_id, rank, topics)
      ), taken AS (
        UPDATE deliveries f
        SET digest_id = d.id, digest_date = ${d.digestDate}, rank = draft.rank, topics = draft.topics, state = 'planned',
          attempts = CASE WHEN f.attempts > 0 THEN 1 ELSE 0 END, next_attempt_at = NULL, message_id = NULL,
          lease_owner = NULL, lease_until = NULL, updated_at = ${stamp}::timestamptz
        FROM d, draft
        WHERE f.channel_id = ${d.channelId} AND f.state = 'failed' AND f.paper_id = draft.paper_id
        RETURNING f.paper_id
      ), fresh AS (
        INSERT INTO deliveries (channel_id, digest_id, digest_date, kind, paper_id, rank, topics, state, created_at, updated_at)
        SELECT ${d.channelId}::int, d.id, ${d.digestDate}::text, 'header', NULL::text, 0, '[]', 'planned', ${stamp}::timestamptz, ${stamp}::timestamptz
        FROM d WHERE ${d.header && d.papers.length > 0}::boolean
        UNION ALL
        SELECT ${d.channelId}::int, d.id, ${d.digestDate}::text, 'paper', draft.paper_id, draft.rank, draft.topics, 'planned', ${stamp}::timestamptz, ${stamp}::timestamptz
        FROM d, draft WHERE draft.paper_id NOT IN (SELECT paper_id FROM taken)
        -- Two slots on one day may both want a paper: the first keeps it (a header has no paper, so never conflicts).
        ON CONFLICT (channel_id, digest_date, paper_id) DO NOTHING
      )
      SELECT id FROM d`.execute(this.db);
    return r.rows[0]?.id ?? null;
  }

  /** Moves the channel's failed rows of the draft's papers into the new digest; returns their paper ids. */
  private async takeOverFailed(trx: Transaction<Database>, d: DigestDraft, digestId: number, stamp: string): Promise<Set<string>> {
    if (d.papers.length === 0) return new Set();
    const rows = await trx
      .selectFrom('deliveries')
      .select(['id', 'paper_id'])
      .where('channel_id', '=', d.channelId)
      .where('state', '=', 'failed')
      .where('paper_id', 'in', d.papers.map((p) => p.paperId))
      .execute();
    const byPaper = new Map(d.papers.map((p) => [p.paperId, p]));
    for (const row of rows) {
      const p = byPaper.get(row.paper_id!)!;
      await trx
        .updateTable('deliveries')
        .set((eb) => ({
          digest_id: digestId,
          digest_date: d.digestDate,
          rank: p.rank,
          topics: JSON.stringify(p.topics),
          state: 'planned' as const,
          attempts: eb.case().when('attempts', '>', 0).then(1).else(0).end(),
          next_attempt_at: null,
          message_id: null,
          lease_owner: null,
          lease_until: null,
          updated_at: stamp,
        }))
        .where('id', '=', row.id)
        .execute();
    }
    return idsOfPapers(rows);
  }

  /** Papers delivered to a channel, or on their way: not those that failed there (they may be offered again). */
  async deliveredPaperIds(channelId: number, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('deliveries')
      .select('paper_id')
      .where('channel_id', '=', channelId)
      .where('paper_id', 'in', [...paperIds])
      .where('state', '!=', 'failed')
      .execute();
    return idsOfPapers(rows);
  }

  /** Papers whose delivery to a channel failed for good (or was dropped when it was closed). */
  async failedPaperIds(channelId: number): Promise<Set<string>> {
    const rows = await this.db.selectFrom('deliveries').select('paper_id').where('channel_id', '=', channelId).where('kind', '=', 'paper').where('state', '=', 'failed').execute();
    return idsOfPapers(rows);
  }

  /** The paper delivery behind a posted message: how a reaction on a digest post finds its paper (a header has none). */
  async byMessage(channelId: number, messageId: string): Promise<(DeliveryRow & { paper_id: string }) | undefined> {
    const row = await this.db.selectFrom('deliveries').selectAll().where('channel_id', '=', channelId).where('message_id', '=', messageId).where('kind', '=', 'paper').executeTakeFirst();
    return row && row.paper_id !== null ? { ...row, paper_id: row.paper_id } : undefined;
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

  /** The platform's id of a digest's posted header (what thread mode posts its papers under); null before it is sent. */
  async headerMessageId(digestId: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('deliveries')
      .select('message_id')
      .where('digest_id', '=', digestId)
      .where('kind', '=', 'header')
      .where('state', '=', 'sent')
      .executeTakeFirst();
    return row?.message_id ?? null;
  }

  /**
   * Channels (enabled, in enabled teams) with a delivery (header or paper) ready to send, or held
   * under a lease that ran out; not those with a post in flight under a live lease (their
   * sender carries on with them).
   *
   * In turns across teams, so one team's fan-out never holds up another's: every team's
   * earliest-due channel, then every team's second, and so on (a team's channels by their
   * earliest due work, then id). Senders start channels in this order, so a team with one
   * channel due is served among the first, whatever another team has queued before it.
   */
  async channelsWithWork(now: Date): Promise<number[]> {
    const stamp = now.toISOString();
    const work = this.db
      .selectFrom('deliveries as d')
      .leftJoin('digests as g', 'g.id', 'd.digest_id')
      .select((eb) => ['d.channel_id', eb.fn.min<string>(eb.fn.coalesce('g.due_at', 'd.created_at')).as('due')])
      // The state test first, on its own, so the (state, channel_id) index serves it.
      .where('d.state', 'in', ['planned', 'sending'])
      .where(deliveryReady('d', stamp))
      .groupBy('d.channel_id');
    const ranked = this.db
      .selectFrom('channels as c')
      .innerJoin('teams as t', 't.id', 'c.team_id')
      .innerJoin(work.as('w'), 'w.channel_id', 'c.id')
      .select(['c.id', 'c.team_id', 'w.due', sql<number>`row_number() over (partition by c.team_id order by w.due, c.id)`.as('turn')])
      .where('c.disabled_reason', 'is', null)
      .where('t.disabled_reason', 'is', null)
      .where((eb) => eb.not(channelBusy(sql.ref<number>('c.id'), stamp)));
    const rows = await this.db.selectFrom(ranked.as('r')).select('r.id').orderBy('r.turn').orderBy('r.due').orderBy('r.team_id').orderBy('r.id').execute();
    return rows.map((r) => r.id);
  }

  /**
   * Takes the channel's next ready delivery (a header or a paper), in digest and rank order, or
   * null: a planned row whose retry time has come, or a row another instance was sending whose
   * lease ran out (it died or stalled; the adapter checks the platform before posting again,
   * since `attempts` goes above 1). Nothing is claimed while the channel has a post in flight
   * under a live lease, so a channel's messages go out one at a time, in order, whichever
   * instance sends them. One conditional UPDATE: no transaction is held across a network call.
   */
  async claimNext(channelId: number, now: Date, lease: Lease): Promise<DeliveryRow | null> {
    return (await this.claimRun(channelId, now, lease, 1))[0] ?? null;
  }

  /**
   * claimNext for up to `max` rows at once: the ready rows of the channel's next digest, in
   * rank order, all under one lease, in one statement. The sender posts them one by one (a
   * fan-out then spends one claim per digest, not per message) and gives back what it does not
   * post (releaseClaims). A run never spans two digests: a digest's rows are planned in one
   * transaction, so any two claims see all of its rows or none, and (PostgreSQL) a claim whose
   * snapshot predates another's commit finds every row of that digest taken, never a later
   * part of it.
   */
  async claimRun(channelId: number, now: Date, lease: Lease, max: number): Promise<DeliveryRow[]> {
    const r = await this.claimStatement.execute(channelId, now.toISOString(), lease.owner, lease.until.toISOString(), max);
    return r.rows.sort((a, b) => a.rank - b.rank || a.id - b.id);
  }

  /** claimRun's statement: one per digest sent, so built and compiled once (compiled-once.ts). */
  private claimStatementFor(): CompiledOnce<[number, string, string, string, number], DeliveryRow> {
    return new CompiledOnce(this.db, 5, (channelId: number, stamp: string, owner: string, until: string, max: number) => {
      // The rows of the channel that may go next, in digest and rank order.
      const candidates = (alias: 'cand' | 'first') =>
        this.db
          .selectFrom(`deliveries as ${alias}`)
          .where(`${alias}.channel_id`, '=', (w) => this.locking.lockChannel(w.selectFrom('channels').select('channels.id').where('channels.id', '=', channelId)))
          .where(deliveryReady(alias, stamp))
          // A digest goes out in rank order, header (rank 0) first: no row while one before it still waits.
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('deliveries as earlier')
                  .select('earlier.id')
                  .whereRef('earlier.digest_id', '=', `${alias}.digest_id`)
                  .whereRef('earlier.rank', '<', `${alias}.rank`)
                  .where('earlier.state', 'in', ['planned', 'sending'])
                  .where((e) => e.not(deliveryReady('earlier', stamp))),
              ),
            ),
          )
          .where((w) => w.not(channelBusy(channelId, stamp)))
          .orderBy(`${alias}.digest_id`)
          .orderBy(`${alias}.rank`);
      return (
        this.db
          .updateTable('deliveries')
          .set(claimedColumns(stamp, owner, until))
          .where('id', 'in', (eb) =>
            candidates('cand')
              .select('cand.id')
              .where('cand.digest_id', 'is not distinct from', candidates('first').select('first.digest_id').limit(1))
              .limit(max),
          )
          // Re-checked on the row itself: of two claims racing for one row, one updates nothing.
          .where(deliveryReady('deliveries', stamp))
          .returningAll()
      );
    });
  }

  /**
   * Gives back claimed rows this sender did not post (it stopped, or a row before them must
   * wait): planned again, with the attempt the claim counted taken back, so a later claim is
   * no retry. Only rows `owner` still holds.
   */
  async releaseClaims(ids: readonly number[], owner: string, now: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        state: 'planned' as const,
        attempts: eb('attempts', '-', 1),
        claimed_at: eb.case().when('attempts', '=', 1).then(null).else(eb.ref('claimed_at')).end(),
        lease_owner: null,
        lease_until: null,
        updated_at: now.toISOString(),
      }))
      .where('id', 'in', [...ids])
      .where('state', '=', 'sending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Extends our lease on every row of the channel we hold (a run being sent); false when we hold none any more. */
  async renewChannelLeases(channelId: number, lease: Lease): Promise<boolean> {
    const r = await this.db
      .updateTable('deliveries')
      .set({ lease_until: lease.until.toISOString() })
      .where('channel_id', '=', channelId)
      .where('state', '=', 'sending')
      .where('lease_owner', '=', lease.owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Extends our lease on a row we are still sending; false when it is no longer ours. */
  async renewLease(id: number, lease: Lease): Promise<boolean> {
    return renewLease(this.db, 'deliveries', id, lease);
  }

  /**
   * The settles below apply only while `owner` still holds the row (state 'sending', our
   * lease, even if it has run out unnoticed). False when another instance took it over: it
   * settles the post itself, through the platform's record, so ours is dropped.
   */
  async markSent(id: number, messageId: string, now: Date, owner: string): Promise<boolean> {
    return settled(this.settles.sent.execute(id, owner, now.toISOString(), messageId));
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date, owner: string): Promise<boolean> {
    return settled(this.settles.retry.execute(id, owner, now.toISOString(), error, nextAttemptAt.toISOString()));
  }

  async markFailed(id: number, error: string, now: Date, owner: string): Promise<boolean> {
    return settled(this.settles.failed.execute(id, owner, now.toISOString(), error));
  }

  /** The three settles, compiled once: one runs for every message sent. */
  private settlesFor() {
    const settle = (id: number, owner: string, stamp: string, set: Updateable<DeliveriesTable>) =>
      whileHeld(this.db, 'deliveries', id, owner).set({ ...set, updated_at: stamp, lease_owner: null, lease_until: null });
    return {
      sent: new CompiledOnce(this.db, 4, (id: number, owner: string, stamp: string, messageId: string) =>
        settle(id, owner, stamp, { state: 'sent', message_id: messageId, last_error: null }),
      ),
      retry: new CompiledOnce(this.db, 5, (id: number, owner: string, stamp: string, error: string, at: string) =>
        settle(id, owner, stamp, { state: 'planned', last_error: error, next_attempt_at: at }),
      ),
      failed: new CompiledOnce(this.db, 4, (id: number, owner: string, stamp: string, error: string) => settle(id, owner, stamp, { state: 'failed', last_error: error })),
    };
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
        .set({ state: 'failed', last_error: reason, updated_at: stamp, lease_owner: null, lease_until: null })
        .where('channel_id', '=', channelId)
        .where('state', 'in', ['planned', 'sending'])
        .execute();
    });
  }

  /**
   * Every open channel of the team stops, as closeChannel does one: the team removed the app
   * (Slack's app_uninstalled / tokens_revoked). Channels already stopped keep their own
   * reason. The channels count, for the log.
   */
  async closeTeamChannels(teamId: number, reason: string, now: Date): Promise<number> {
    const stamp = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const open = trx.selectFrom('channels').select('id').where('team_id', '=', teamId).where('disabled_reason', 'is', null);
      await trx
        .updateTable('deliveries')
        .set({ state: 'failed', last_error: reason, updated_at: stamp, lease_owner: null, lease_until: null })
        .where('channel_id', 'in', open)
        .where('state', 'in', ['planned', 'sending'])
        .execute();
      const closed = await trx.updateTable('channels').set({ disabled_reason: reason, disabled_at: stamp }).where('team_id', '=', teamId).where('disabled_reason', 'is', null).executeTakeFirst();
      return Number(closed.numUpdatedRows);
    });
  }

  /**
   * Before a new digest is planned: what older digests (due before `dueBefore`, i.e. past the
   * grace window) still hold unsent and never tried goes back into the pool, so the new
   * digest carries it under one header instead of two digests arriving at once. Rows already
   * tried stay: they may have reached the platform.
   */
  async releaseStale(channelId: number, dueBefore: Date): Promise<number> {
    // Headers go too (never tried): the new digest brings its own. One statement, so no transaction.
    const released = await this.db.deleteFrom('deliveries').where(staleRow([channelId], dueBefore)).executeTakeFirst();
    return Number(released.numDeletedRows);
  }

  /**
   * What planning reads of many channels' own rows, in four statements whatever their number (a
   * scheduled pass reads them per chunk of channels, not per channel): each one's last digest
   * date, its digests on or after `slotsFrom`, its failed papers, and whether releaseStale would
   * release anything due before `staleBefore`.
   */
  async planningStates(channelIds: readonly number[], slotsFrom: string, staleBefore: Date): Promise<Map<number, ChannelPlanningState>> {
    const out = new Map<number, ChannelPlanningState>(channelIds.map((id) => [id, { lastDigestDate: null, slots: new Set(), failed: new Set(), hasStale: false }]));
    if (channelIds.length === 0) return out;
    const ids = [...channelIds];
    // One after another on one connection: in parallel they would open pool connections (a
    // server process each) at every tick, and a few round trips cost less than that.
    // One index probe per channel (digests_channel_created), as lastDigest makes.
    const last = await this.db
      .selectFrom('channels as c')
      .select((eb) => [
        'c.id',
        eb.selectFrom('digests as g').select('g.digest_date').whereRef('g.channel_id', '=', 'c.id').orderBy('g.created_at', 'desc').orderBy('g.id', 'desc').limit(1).as('digest_date'),
      ])
      .where('c.id', 'in', ids)
      .execute();
    const slots = await this.db.selectFrom('digests').select(['channel_id', 'digest_date', 'slot']).where('channel_id', 'in', ids).where('digest_date', '>=', slotsFrom).execute();
    const failed = await this.db.selectFrom('deliveries').select(['channel_id', 'paper_id']).where('state', '=', 'failed').where('channel_id', 'in', ids).where('kind', '=', 'paper').execute();
    const stale = await this.db.selectFrom('deliveries').select('channel_id').distinct().where(staleRow(ids, staleBefore)).execute();
    for (const r of last) out.get(r.id)!.lastDigestDate = r.digest_date ?? null;
    for (const r of slots) out.get(r.channel_id)?.slots.add(`${r.digest_date} ${r.slot}`);
    for (const r of failed) if (r.paper_id !== null) out.get(r.channel_id)?.failed.add(r.paper_id);
    for (const r of stale) out.get(r.channel_id)!.hasStale = true;
    return out;
  }

  /**
   * At start: posts claimed but never settled may or may not have happened. Those no live
   * instance holds (the lease ran out, or its owner is no longer a registered instance) go
   * back to planned with their attempt count kept, so the adapter checks before posting again.
   * Rows a live instance is sending are left to it.
   */
  async recoverInFlight(now: Date): Promise<number> {
    const stamp = now.toISOString();
    const r = await this.db
      .updateTable('deliveries')
      .set({ state: 'planned', next_attempt_at: null, last_error: 'interrupted; checking before resending', updated_at: stamp, lease_owner: null, lease_until: null })
      .where('state', '=', 'sending')
      .where(orphaned('lease_owner', 'lease_until', stamp))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** The paper deliveries of one digest, in rank order. */
  async deliveriesOf(digestId: number): Promise<DeliveryRow[]> {
    return this.db.selectFrom('deliveries').selectAll().where('digest_id', '=', digestId).where('kind', '=', 'paper').orderBy('rank').execute();
  }

  /** A digest's header row, if it has one. */
  async headerOf(digestId: number): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('digest_id', '=', digestId).where('kind', '=', 'header').executeTakeFirst();
  }

  /** Where and when a paper was delivered to a channel, if it was. */
  async deliveryOf(channelId: number, paperId: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('channel_id', '=', channelId).where('paper_id', '=', paperId).orderBy('id', 'desc').executeTakeFirst();
  }

  /** Paper deliveries counted by state, for status and tests. */
  async countByState(channelId?: number): Promise<Record<string, number>> {
    let q = this.db.selectFrom('deliveries').select(['state', sql<number>`count(*)`.as('n')]).where('kind', '=', 'paper').groupBy('state');
    if (channelId !== undefined) q = q.where('channel_id', '=', channelId);
    const rows = await q.execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }
}

/** What releaseStale gives back (and planningStates looks for): rows never tried, of these channels' digests due before `dueBefore`. */
function staleRow(channelIds: readonly number[], dueBefore: Date) {
  return (eb: ExpressionBuilder<Database, 'deliveries'>) =>
    eb.and([
      eb('deliveries.state', '=', 'planned'),
      eb('deliveries.attempts', '=', 0),
      eb('deliveries.digest_id', 'in', eb.selectFrom('digests').select('digests.id').where('digests.channel_id', 'in', [...channelIds]).where('digests.due_at', '<', dueBefore.toISOString())),
    ]);
}

/** A delivery row that may be claimed now: planned and due, or sending under a lease that ran out. */
function deliveryReady(alias: string, stamp: string): Expression<SqlBool> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return sql<SqlBool>`((${col('state')} = 'planned' and (${col('next_attempt_at')} is null or ${col('next_attempt_at')} <= ${stamp}))
    or (${col('state')} = 'sending' and (${col('lease_until')} is null or ${col('lease_until')} < ${stamp})))`;
}

/** The channel has a post (header or paper) in flight under a live lease: nothing else of it may be claimed. */
function channelBusy(channel: number | Expression<number>, stamp: string): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from deliveries busy where busy.channel_id = ${channel} and busy.state = 'sending' and busy.lease_until >= ${stamp})`;
}

/** Held by no live instance: the lease ran out (or was never set), or its owner is not registered (gone). */
function orphaned(ownerCol: string, untilCol: string, stamp: string): Expression<SqlBool> {
  const owner = sql.ref(ownerCol);
  const until = sql.ref(untilCol);
  return sql<SqlBool>`(${until} is null or ${until} < ${stamp} or ${owner} is null or ${owner} not in (select id from instances))`;
}

/** Whether a settle applied (it updates nothing when the row was taken over). */
async function settled(r: Promise<{ numAffectedRows?: bigint }>): Promise<boolean> {
  return Number((await r).numAffectedRows ?? 0) > 0;
}

function idsOfPapers(rows: ReadonlyArray<{ paper_id: string | null }>): Set<string> {
  return new Set(rows.flatMap((r) => (r.paper_id === null ? [] : [r.paper_id])));
}
