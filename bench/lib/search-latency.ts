import { UserError } from '../../src/domain/errors.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { FtsSearchIndex } from '../../src/store/sqlite/fts-search.ts';
import type { Store } from '../../src/store/store.ts';
import { percentiles, type Percentiles } from './stats.ts';
import type { MixQuery } from './query-mix.ts';

/** /papers search shows five results a page. */
const PAGE = { limit: 5, offset: 0 };

export interface KindLatency {
  kind: string;
  search: Percentiles;
  /** search() plus loading the page's papers, as /papers search does. */
  withPapers: Percentiles;
  /** How the planner ran these queries: scored / +checked (common words checked, not scored) / windowed / newest. */
  plans: Record<string, number>;
  empty: number;
}

export async function measureSearch(store: Store, planner: FtsSearchIndex, mix: MixQuery[], passes: number): Promise<{ kinds: KindLatency[]; all: Percentiles; allWithPapers: Percentiles }> {
  const run = async (m: MixQuery) => {
    const t0 = performance.now();
    const page = await store.search.search(parseSearchQuery(m.text), PAGE);
    const t1 = performance.now();
    await store.papers.getMany(page.ids);
    return { search: t1 - t0, withPapers: performance.now() - t0, page };
  };
  const usable: MixQuery[] = [];
  for (const m of mix) {
    try {
      await run(m); // warm-up: the figures are for a store that is in use
      usable.push(m);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
    }
  }
  const byKind = new Map<string, { search: number[]; withPapers: number[]; plans: Record<string, number>; empty: number }>();
  for (let pass = 0; pass < passes; pass++)
    for (const m of usable) {
      const k = byKind.get(m.kind) ?? { search: [], withPapers: [], plans: {}, empty: 0 };
      byKind.set(m.kind, k);
      const r = await run(m);
      k.search.push(r.search);
      k.withPapers.push(r.withPapers);
      if (pass === 0) {
        const plan = await planner.plan(parseSearchQuery(m.text));
        const label = plan.kind === 'recent' ? 'newest' : `${plan.checked ? 'scored+checked' : 'scored'}${r.page.window ? ' windowed' : ''}`;
        k.plans[label] = (k.plans[label] ?? 0) + 1;
        if (r.page.ids.length === 0) k.empty++;
      }
    }
  const kinds = [...byKind].map(([kind, k]) => ({ kind, search: percentiles(k.search), withPapers: percentiles(k.withPapers), plans: k.plans, empty: k.empty }));
  return {
    kinds,
    all: percentiles([...byKind.values()].flatMap((k) => k.search)),
    allWithPapers: percentiles([...byKind.values()].flatMap((k) => k.withPapers)),
  };
}
