import { sql, type Expression, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { IngestItem } from '../domain/paper.ts';
import { watchChanges, type WatchChange, type WatchedState } from '../watch/changes.ts';
import { claimedColumns, renewLease, whileHeld, type Lease } from './leases.ts';
import type { Database, WatchEventKind, WatchNoticeRow, WatchNoticesTable } from './schema.ts';

/** A change to a paper, for the reading list. */
export interface PaperChange {
  paperId: string;
  kind: WatchEventKind;
  value: string;
  at: string;
}

/** A claimed notice with what it announces. */
export interface NoticeToSend {
  row: WatchNoticeRow;
  /** An earlier claim never settled (crash, lost lease): it may have been sent. */
  inDoubt: boolean;
  platform: string;
  /** The team's id on its platform: the poster that messages as this team (Slack install mode). */
  teamExternalId: string;
  kind: WatchEventKind;
  value: string;
  paper: { id: string; title: string };
}

/**
 * Watched papers (every saved paper is watched): during ingest, in the ingest's transaction,
 * what changed on a saved paper becomes an event and one notice per saver; the notices are
 * then sent as direct messages with the outbox's rules (OutboxRepo): one conditional UPDATE
 * claims a row under a lease, settles apply only while the lease is ours, and a restart puts
 * only orphaned in-flight rows back (with their attempt count, so the adapter knows an earlier
 * try may have landed). A notice marked sent is never sent again.
 */
export class WatchRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The stored state of those of `ids` someone has saved (the only ones watched). */
  async watchedState(trx: Kysely<Database>, ids: readonly string[]): Promise<Map<string, WatchedState>> {
    if (ids.length === 0) return new Map();
    const rows = await trx
      .selectFrom('papers as p')
      .select(['p.id', 'p.arxiv_version', 'p.github_url', 'p.withdrawn'])
      .where('p.id', 'in', [...ids])
      .where((eb) => eb.exists(eb.selectFrom('saves as s').select('s.paper_id').whereRef('s.paper_id', '=', 'p.id')))
      .execute();
    return new Map(rows.map((r) => [r.id, { id: r.id, version: r.arxiv_version === null ? null : Number(r.arxiv_version), github: r.github_url, withdrawn: Number(r.withdrawn) === 1 }]));
  }

  /**
   * Records what a batch of sightings changed on watched papers: an event per change (a change
   * already recorded is not recorded again) and a notice per person who saved the paper.
   * Runs inside the ingest's transaction, so a paper's new state and its notices commit together.
   */
  async recordChanges(trx: Kysely<Database>, prior: ReadonlyMap<string, WatchedState>, items: readonly IngestItem[], stamp: string): Promise<number> {
    let recorded = 0;
    for (const item of items) {
      const before = prior.get(item.paper.id);
      if (!before) continue;
      for (const change of watchChanges(before, item)) if (await this.record(trx, change, stamp)) recorded++;
    }
    return recorded;
  }

  private async record(trx: Kysely<Database>, change: WatchChange, stamp: string): Promise<boolean> {
    const event = await trx
      .insertInto('watch_events')
      .values({ paper_id: change.paperId, kind: change.kind, value: change.value, created_at: stamp })
      .onConflict((oc) => oc.columns(['paper_id', 'kind', 'value']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!event) return false;
    const savers = await trx.selectFrom('saves').select(['team_id', 'user_id']).where('paper_id', '=', change.paperId).execute();
    if (savers.length > 0) {
      await trx
        .insertInto('watch_notices')
        .values(savers.map((s) => ({ event_id: event.id, team_id: s.team_id, user_id: s.user_id, created_at: stamp, updated_at: stamp })))
        .onConflict((oc) => oc.columns(['event_id', 'team_id', 'user_id']).doNothing())
        .execute();
    }
    return true;
  }

  /**
   * Takes the next notice ready to send to a team on one of `platforms` (those this process can
   * message), or null. Ready: planned and due, or sending under a lease that ran out.
   */
  async claimNext(platforms: readonly string[], now: Date, lease: Lease): Promise<NoticeToSend | null> {
    if (platforms.length === 0) return null;
    const stamp = now.toISOString();
    const row = await this.db
      .updateTable('watch_notices')
      .set(claimedColumns(stamp, lease.owner, lease.until.toISOString()))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('watch_notices as cand')
          .innerJoin('teams as t', 't.id', 'cand.team_id')
          .select('cand.id')
          .where('t.platform', 'in', [...platforms])
          .where('t.disabled_reason', 'is', null)
          .where(noticeReady('cand', stamp))
          .orderBy('cand.id')
          .limit(1),
      )
      // Re-checked on the row itself: of two claims racing for one row, one updates nothing.
      .where(noticeReady('watch_notices', stamp))
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    const about = await this.db
      .selectFrom('watch_events as e')
      .innerJoin('papers as p', 'p.id', 'e.paper_id')
      .select(['e.kind', 'e.value', 'p.id', 'p.title'])
      .where('e.id', '=', row.event_id)
      .executeTakeFirstOrThrow();
    const team = await this.db.selectFrom('teams').select(['platform', 'external_id']).where('id', '=', row.team_id).executeTakeFirstOrThrow();
    // A claim keeps the first unsettled claim's time; a refusal clears it (markRetry).
    const inDoubt = row.claimed_at !== null && new Date(row.claimed_at).getTime() !== now.getTime();
    return { row, inDoubt, platform: team.platform, teamExternalId: team.external_id, kind: about.kind, value: about.value, paper: { id: about.id, title: about.title } };
  }

  async renewLease(id: number, lease: Lease): Promise<boolean> {
    return renewLease(this.db, 'watch_notices', id, lease);
  }

  markSent(id: number, messageId: string, now: Date, owner: string): Promise<boolean> {
    return this.settle(id, owner, { state: 'sent', message_id: messageId, last_error: null, updated_at: now.toISOString() });
  }

  /** The try was refused (not delivered): claimed_at is cleared, so the next claim knows no try is in doubt. */
  markRetry(id: number, error: string, nextAttemptAt: Date, now: Date, owner: string): Promise<boolean> {
    return this.settle(id, owner, { state: 'planned', last_error: error, next_attempt_at: nextAttemptAt.toISOString(), claimed_at: null, updated_at: now.toISOString() });
  }

  markFailed(id: number, error: string, now: Date, owner: string): Promise<boolean> {
    return this.settle(id, owner, { state: 'failed', last_error: error, updated_at: now.toISOString() });
  }

  private async settle(id: number, owner: string, set: Updateable<WatchNoticesTable>): Promise<boolean> {
    const r = await whileHeld(this.db, 'watch_notices', id, owner).set({ ...set, lease_owner: null, lease_until: null }).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** At start: notices claimed by no live instance go back to planned, attempts kept (the adapter then checks or holds back). */
  async recoverInFlight(now: Date): Promise<number> {
    const stamp = now.toISOString();
    const r = await this.db
      .updateTable('watch_notices')
      .set({ state: 'planned', next_attempt_at: null, last_error: 'interrupted; checking before resending', updated_at: stamp, lease_owner: null, lease_until: null })
      .where('state', '=', 'sending')
      .where(sql<SqlBool>`(lease_until is null or lease_until < ${stamp} or lease_owner is null or lease_owner not in (select id from instances))`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Notices by state (tests, status). */
  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('watch_notices').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state').execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** Every recorded change to these papers, oldest first. */
  async changesOf(paperIds: readonly string[]): Promise<PaperChange[]> {
    if (paperIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('watch_events')
      .select(['paper_id', 'kind', 'value', 'created_at'])
      .where('paper_id', 'in', [...paperIds])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ paperId: r.paper_id, kind: r.kind, value: r.value, at: r.created_at }));
  }

  /** The arXiv version and withdrawal flag stored for each of these papers. */
  async statesOf(paperIds: readonly string[]): Promise<Map<string, { version: number | null; withdrawn: boolean }>> {
    if (paperIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('papers').select(['id', 'arxiv_version', 'withdrawn']).where('id', 'in', [...paperIds]).execute();
    return new Map(rows.map((r) => [r.id, { version: r.arxiv_version === null ? null : Number(r.arxiv_version), withdrawn: Number(r.withdrawn) === 1 }]));
  }

  /** When the person last looked at their reading list, or null. */
  async lastSeen(teamId: number, userId: string): Promise<string | null> {
    const r = await this.db.selectFrom('reading_list_views').select('seen_at').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    return r?.seen_at ?? null;
  }

  async markSeen(teamId: number, userId: string, now: Date): Promise<void> {
    const stamp = now.toISOString();
    await this.db
      .insertInto('reading_list_views')
      .values({ team_id: teamId, user_id: userId, seen_at: stamp })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ seen_at: stamp }))
      .execute();
  }
}

/** A notice that may be claimed now: planned and due, or sending under a lease that ran out. */
function noticeReady(alias: string, stamp: string): Expression<SqlBool> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return sql<SqlBool>`((${col('state')} = 'planned' and (${col('next_attempt_at')} is null or ${col('next_attempt_at')} <= ${stamp}))
    or (${col('state')} = 'sending' and (${col('lease_until')} is null or ${col('lease_until')} < ${stamp})))`;
}
