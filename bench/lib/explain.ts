import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { Database } from '../../src/store/schema.ts';
import { FtsSearchIndex, type FtsTuning } from '../../src/store/sqlite/fts-search.ts';

export interface PlanCheck {
  query: string;
  statement: string;
  plan: string[];
  verdict: string;
  ok: boolean;
}

/** FTS5's idxNum flags (sqlite3.c, FTS5_BI_*): what the virtual table itself took care of. */
const ORDER_RANK = 0x20;
const ORDER_ROWID = 0x40;
const ORDER_DESC = 0x80;

/**
 * Runs representative searches with every statement captured, and checks with EXPLAIN QUERY
 * PLAN that FTS5 (not an SQLite sort over every match) handles the rank ordering, the rowid
 * ordering and the rowid bounds, and that common-word checks are rowid lookups.
 */
export async function checkPlans(path: string, queries: Array<[string, Partial<FtsTuning>?]>): Promise<PlanCheck[]> {
  const raw = new BetterSqlite3(path, { readonly: true });
  const captured: Array<{ sql: string; params: readonly unknown[] }> = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: raw }),
    log: (e) => {
      if (e.level === 'query' && e.query.sql.includes('papers_fts')) captured.push({ sql: e.query.sql, params: e.query.parameters });
    },
  });
  const checks: PlanCheck[] = [];
  const inspect = (query: string) => {
    for (const { sql, params } of captured.splice(0)) {
      const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      checks.push({ query, statement: describe(sql), plan, ...judge(sql, plan) });
    }
  };
  for (const [text, tuning] of queries) {
    await new FtsSearchIndex(db, tuning).search(parseSearchQuery(text), { limit: 5, offset: 0 });
    inspect(tuning ? `${text} with ${JSON.stringify(tuning)}` : text);
  }
  await db.destroy();
  return checks;
}

function describe(sql: string): string {
  if (sql.includes('ORDER BY f.rank')) return sql.includes('json_each') ? 'bm25 over the candidates' : 'bm25 ranked page';
  if (/INTERSECT|EXCEPT/.test(sql)) return 'clauses intersected among the newest papers';
  if (sql.includes('rowid IN (SELECT value FROM json_each')) return 'common clause checked, one rowid lookup per paper';
  if (!sql.includes('MATCH')) return 'walk down to the n-th newest paper';
  if (/LIMIT (1|2) OFFSET/.test(sql)) return 'walk back to the n-th newest match';
  if (/ORDER BY rowid DESC LIMIT/.test(sql)) return 'newest matches';
  return sql.replace(/\s+/g, ' ').slice(0, 60);
}

function judge(sql: string, plan: string[]): { verdict: string; ok: boolean } {
  const scans = plan.map((l) => /SCAN (?:f|papers_fts) VIRTUAL TABLE INDEX (\d+):(\S*)/.exec(l)).filter((m) => m !== null);
  const problems: string[] = [];
  // An ORDER BY that no FTS5 scan consumed makes SQLite collect and sort every match itself.
  if (plan.some((l) => l.includes('TEMP B-TREE FOR ORDER BY'))) problems.push('SQLite sorts the matches itself');
  if (scans.length === 0) problems.push('no FTS5 scan');
  for (const [, flagText, idx] of scans) {
    const flags = Number(flagText);
    if (sql.includes('MATCH') && !idx!.includes('M')) problems.push('MATCH not given to FTS5');
    if (sql.includes('ORDER BY f.rank') && !(flags & ORDER_RANK && idx!.includes('r'))) problems.push('rank order not consumed by FTS5');
    if (/ORDER BY rowid DESC|ORDER BY 1 DESC/.test(sql) && (flags & (ORDER_ROWID | ORDER_DESC)) !== (ORDER_ROWID | ORDER_DESC))
      problems.push('rowid order not consumed by FTS5');
    if (/rowid (>=|BETWEEN) CAST/.test(sql) && !idx!.includes('>')) problems.push('lower rowid bound not given to FTS5');
    if (sql.includes('BETWEEN CAST') && !idx!.includes('<')) problems.push('upper rowid bound not given to FTS5');
    if (sql.includes('+f.rowid IN') && idx!.includes('=')) problems.push('candidates looked up one by one instead of one ranked pass');
    if (/ rowid IN \(SELECT value/.test(sql) && !idx!.includes('=')) problems.push('check is not a rowid lookup');
  }
  return problems.length === 0 ? { verdict: 'ok', ok: true } : { verdict: [...new Set(problems)].join('; '), ok: false };
}
