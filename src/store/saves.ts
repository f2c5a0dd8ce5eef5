import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { TeamPaperCounts } from './team-counts.ts';

export interface SavedPaper {
  paperId: string;
  userId: string;
  note: string | null;
  savedAt: string;
}

export class SavesRepo {
  private readonly perPaper: TeamPaperCounts;

  constructor(private readonly db: Kysely<Database>) {
    this.perPaper = new TeamPaperCounts(db, 'saves');
  }

  /** Saves (or re-notes) a paper for a user; returns whether it was new. */
  async save(teamId: number, userId: string, paperId: string, note: string | null, now: Date): Promise<boolean> {
    const existing = await this.find(teamId, userId, paperId);
    await this.db
      .insertInto('saves')
      .values({ team_id: teamId, user_id: userId, paper_id: paperId, note, created_at: now.toISOString() })
      .onConflict((oc) =>
        oc.columns(['team_id', 'user_id', 'paper_id']).doUpdateSet(note === null ? { paper_id: paperId } : { note }),
      )
      .execute();
    return !existing;
  }

  /** Removes the save, and with it the messages about that paper still waiting to be sent to that person (it is no longer watched for them). */
  async unsave(teamId: number, userId: string, paperId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .deleteFrom('saves')
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .where('paper_id', '=', paperId)
        .executeTakeFirst();
      await trx
        .deleteFrom('watch_notices')
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .where('state', '=', 'planned')
        .where('event_id', 'in', (eb) => eb.selectFrom('watch_events').select('id').where('paper_id', '=', paperId))
        .execute();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async find(teamId: number, userId: string, paperId: string): Promise<SavedPaper | null> {
    const r = await this.db
      .selectFrom('saves')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .where('paper_id', '=', paperId)
      .executeTakeFirst();
    return r ? { paperId: r.paper_id, userId: r.user_id, note: r.note, savedAt: r.created_at } : null;
  }

  /** A user's saves (or, without a user, the whole team's), newest first. */
  async list(teamId: number, userId: string | null, limit = 1000): Promise<SavedPaper[]> {
    let q = this.db.selectFrom('saves').selectAll().where('team_id', '=', teamId);
    if (userId !== null) q = q.where('user_id', '=', userId);
    const rows = await q.orderBy('created_at', 'desc').orderBy('paper_id').limit(limit).execute();
    return rows.map((r) => ({ paperId: r.paper_id, userId: r.user_id, note: r.note, savedAt: r.created_at }));
  }

  /** How many team members saved each paper. */
  async counts(teamId: number, paperIds: readonly string[]): Promise<Map<string, number>> {
    return this.perPaper.of(teamId, paperIds);
  }

  async savedBy(teamId: number, userId: string, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('saves')
      .select('paper_id')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .where('paper_id', 'in', [...paperIds])
      .execute();
    return new Set(rows.map((r) => r.paper_id));
  }
}
