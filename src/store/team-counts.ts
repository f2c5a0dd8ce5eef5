import type { Kysely } from 'kysely';
import { CompiledOnce } from './compiled-once.ts';
import type { Database } from './schema.ts';

/**
 * How many of a team's rows in `votes` or `saves` each paper has: the counts on cards. A digest
 * post asks for one paper at a time, once per message, so that statement is compiled once.
 */
export class TeamPaperCounts {
  private readonly one: CompiledOnce<[number, string], { n: number }>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly table: 'votes' | 'saves',
  ) {
    this.one = new CompiledOnce(db, 2, (teamId: number, paperId: string) =>
      db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', teamId).where('paper_id', '=', paperId),
    );
  }

  async ofOne(teamId: number, paperId: string): Promise<number> {
    return Number((await this.one.execute(teamId, paperId)).rows[0]?.n ?? 0);
  }

  async of(teamId: number, paperIds: readonly string[]): Promise<Map<string, number>> {
    if (paperIds.length === 0) return new Map();
    if (paperIds.length === 1) {
      const n = await this.ofOne(teamId, paperIds[0]!);
      return n > 0 ? new Map([[paperIds[0]!, n]]) : new Map();
    }
    const rows = await this.db
      .selectFrom(this.table)
      .select(['paper_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('team_id', '=', teamId)
      .where('paper_id', 'in', [...paperIds])
      .groupBy('paper_id')
      .execute();
    return new Map(rows.map((r) => [r.paper_id, Number(r.n)]));
  }
}
