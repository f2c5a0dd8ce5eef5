import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { TeamPaperCounts } from './team-counts.ts';

export interface VoteState {
  voted: boolean;
  /** Votes on the paper from this team. */
  count: number;
}

export class VotesRepo {
  private readonly perPaper: TeamPaperCounts;

  constructor(private readonly db: Kysely<Database>) {
    this.perPaper = new TeamPaperCounts(db, 'votes');
  }

  /** Sets a user's vote (idempotent: a reaction delivered twice counts once). */
  async set(teamId: number, userId: string, paperId: string, on: boolean, now: Date): Promise<VoteState> {
    if (on) {
      await this.db
        .insertInto('votes')
        .values({ team_id: teamId, user_id: userId, paper_id: paperId, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['team_id', 'paper_id', 'user_id']).doNothing())
        .execute();
    } else {
      await this.db.deleteFrom('votes').where('team_id', '=', teamId).where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
    }
    return { voted: on, count: await this.count(teamId, paperId) };
  }

  /** Flips a user's vote, atomically. */
  async toggle(teamId: number, userId: string, paperId: string, now: Date): Promise<VoteState> {
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom('votes')
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .where('paper_id', '=', paperId)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) {
        await trx.insertInto('votes').values({ team_id: teamId, user_id: userId, paper_id: paperId, created_at: now.toISOString() }).execute();
      }
      const voted = Number(removed.numDeletedRows) === 0;
      return { voted, count: await new VotesRepo(trx).count(teamId, paperId) };
    });
  }

  async count(teamId: number, paperId: string): Promise<number> {
    return this.perPaper.ofOne(teamId, paperId);
  }

  /** Team vote counts for the given papers (absent = 0). */
  async counts(teamId: number, paperIds: readonly string[]): Promise<Map<string, number>> {
    return this.perPaper.of(teamId, paperIds);
  }

  /** Which of the papers this user has voted for. */
  async votedBy(teamId: number, userId: string, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('votes')
      .select('paper_id')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .where('paper_id', 'in', [...paperIds])
      .execute();
    return new Set(rows.map((r) => r.paper_id));
  }

  /**
   * Papers listed between two days, ranked by HF upvotes blended with this team's votes: a
   * vote from your own team says more about what your team wants to read than a stranger's.
   */
  async top(teamId: number, from: string, to: string, limit: number, teamVoteWeight: number): Promise<Array<{ paperId: string; teamVotes: number; score: number }>> {
    const rows = await this.db
      .selectFrom('papers as p')
      .innerJoin(
        (eb) => eb.selectFrom('listings').select('paper_id').distinct().where('day', '>=', from).where('day', '<=', to).as('l'),
        (join) => join.onRef('l.paper_id', '=', 'p.id'),
      )
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('votes')
            .select(['paper_id', (eb2) => eb2.fn.countAll<number>().as('n')])
            .where('team_id', '=', teamId)
            .groupBy('paper_id')
            .as('v'),
        (join) => join.onRef('v.paper_id', '=', 'p.id'),
      )
      .select(['p.id', sql<number>`COALESCE(v.n, 0)`.as('team_votes'), sql<number>`p.upvotes + ${teamVoteWeight} * COALESCE(v.n, 0)`.as('score')])
      .orderBy('score', 'desc')
      .orderBy('p.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ paperId: r.id, teamVotes: Number(r.team_votes), score: Number(r.score) }));
  }
}
