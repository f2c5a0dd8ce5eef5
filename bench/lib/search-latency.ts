import { sql } from 'kysely';
import { UserError } from '../../src/domain/errors.ts';
import type { SearchQuery } from '../../src/search/query.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import { BM25_WEIGHTS, FtsExpressions, type FtsSearchIndex } from '../../src/store/sqlite/fts-search.ts';
import { SEQ_OF_ROWID_SQL } from '../../src/store/sqlite/fts-rows.ts';
import type { Store } from '../../src/store/store.ts';
import { percentiles, type Percentiles } from './stats.ts';
import type { MixQuery } from './query-mix.ts';

/** /papers search shows five results a page. */
const PAGE = { limit: 5, offset: 0 };

export interface KindLatency {
  kind: string;
  /** The whole search as /papers search runs it: parse, complete, correct, plan, rank. */
  search: Percentiles;
  /** search() plus loading the page's papers, as /papers search does. */
  withPapers: Percentiles;
  /** One bare FTS5 statement for the same (completed, corrected) query: MATCH, bm25, LIMIT. */
  bare: Percentiles;
  /** How the planner ran these queries: scored / +checked (common words checked, not scored) / windowed / newest. */
  plans: Record<string, number>;
  empty: number;
  corrected: number;
}

export interface SearchFigures {
  kinds: KindLatency[];
  all: Percentiles;
  allWithPapers: Percentiles;
  allBare: Percentiles;
}

const RANK = `bm25(${BM25_WEIGHTS.map((w) => w.toFixed(1)).join(', ')})`;

/**
 * The statement a search without any planning would run: the query's clauses ANDed (the last
 * word ORed with its completions), its exclusions, since:, bm25() over every match.
 */
function bareStatement(store: Store, q: SearchQuery) {
  const must = q.must.map((c, i) => (q.lastWord && i === q.lastWord.clause ? [...c, ...q.lastWord.completions.map((w) => ({ tokens: [w], field: c[0]!.field }))] : c));
  const match = new FtsExpressions().match(must, q.not);
  return sql<{ id: string }>`
    SELECT p.id FROM papers_fts f JOIN papers p ON p.seq = ${sql.raw(SEQ_OF_ROWID_SQL('f.rowid'))}
    WHERE f.papers_fts MATCH ${match} AND f.rank MATCH ${RANK} ${q.since ? sql`AND p.published_at >= ${q.since}` : sql``}
    ORDER BY f.rank LIMIT ${PAGE.limit}`.execute(store.db);
}

export async function measureSearch(store: Store, planner: FtsSearchIndex, mix: MixQuery[], passes: number): Promise<SearchFigures> {
  const run = async (m: MixQuery) => {
    const t0 = performance.now();
    const outcome = await searchPapers(store, m.text, PAGE);
    const t1 = performance.now();
    await store.papers.getMany(outcome.page.ids);
    return { search: t1 - t0, withPapers: performance.now() - t0, outcome };
  };
  const usable: Array<MixQuery & { query: SearchQuery }> = [];
  for (const m of mix) {
    try {
      // Warm-up: the figures are for a store that is in use.
      usable.push({ ...m, query: (await run(m)).outcome.query });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
    }
  }
  const byKind = new Map<string, { search: number[]; withPapers: number[]; bare: number[]; plans: Record<string, number>; empty: number; corrected: number }>();
  for (const m of usable) await bareStatement(store, m.query);
  for (let pass = 0; pass < passes; pass++)
    for (const m of usable) {
      const k = byKind.get(m.kind) ?? { search: [], withPapers: [], bare: [], plans: {}, empty: 0, corrected: 0 };
      byKind.set(m.kind, k);
      const r = await run(m);
      k.search.push(r.search);
      k.withPapers.push(r.withPapers);
      const t0 = performance.now();
      await bareStatement(store, m.query);
      k.bare.push(performance.now() - t0);
      if (pass === 0) {
        const plan = await planner.plan(r.outcome.query);
        const label = plan.kind === 'recent' ? 'newest' : plan.kind === 'by author' ? 'by author' : `${plan.checked ? 'scored+checked' : 'scored'}${r.outcome.page.window ? ' windowed' : ''}`;
        k.plans[label] = (k.plans[label] ?? 0) + 1;
        if (r.outcome.page.ids.length === 0) k.empty++;
        if (r.outcome.corrections.length > 0) k.corrected++;
      }
    }
  const kinds = [...byKind].map(([kind, k]) => ({
    kind,
    search: percentiles(k.search),
    withPapers: percentiles(k.withPapers),
    bare: percentiles(k.bare),
    plans: k.plans,
    empty: k.empty,
    corrected: k.corrected,
  }));
  const all = (f: (k: { search: number[]; withPapers: number[]; bare: number[] }) => number[]) => percentiles([...byKind.values()].flatMap(f));
  return { kinds, all: all((k) => k.search), allWithPapers: all((k) => k.withPapers), allBare: all((k) => k.bare) };
}
