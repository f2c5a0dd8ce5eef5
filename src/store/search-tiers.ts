import type { Kysely } from 'kysely';
import { withCompletionsTier, type SearchQuery } from '../search/query.ts';
import { byProximity, PROXIMITY_DEPTH, reordersByProximity } from '../search/proximity.ts';
import type { Database } from './schema.ts';
import type { SearchPage } from './search-index.ts';

/** One tier's ranking: paper ids best first, and the window when only recent matches were ranked. */
export interface Ranked {
  ids: string[];
  window: number | null;
}

/**
 * How many ranked papers a page still needs (`n`), how many more are worth ranking when cheap
 * (`depth`: the proximity pass reorders that many), and which (by seq: the exact-title papers,
 * already placed) to leave out. Only `n` decides whether a plan must fall back to a costlier one.
 */
export interface Want {
  n: number;
  depth: number;
  skip: number[];
}

/**
 * The order every store's search shares: exact titles first, then the query ranked with its
 * words as typed, then, when the last word is still being typed (not when the query is a
 * whole title), the papers that only its completions match. Each tier is ranked by the store
 * (`rank`) and then by proximity (src/search/proximity.ts), from the top, and the page sliced
 * from the whole, so page 2 starts where page 1 ended.
 */
export async function searchInTiers(
  db: Kysely<Database>,
  q: SearchQuery,
  page: { limit: number; offset: number },
  rank: (tier: SearchQuery, want: Want) => Promise<Ranked>,
): Promise<SearchPage> {
  const exact = q.titleKey ? await exactTitle(db, q.titleKey) : [];
  const want = { n: page.offset + page.limit + 1 - exact.length, skip: exact.map((e) => e.seq) };
  const ids = exact.map((e) => e.id);
  let window: number | null = null;
  // A query that is a whole title was typed to its end: its last word is not half-typed.
  for (const tier of [q, exact.length > 0 ? null : withCompletionsTier(q)]) {
    if (tier === null || want.n <= 0) continue;
    const ranked = await rank(tier, { ...want, depth: reordersByProximity(tier) ? Math.max(want.n, PROXIMITY_DEPTH) : want.n });
    ids.push(...(await byProximity(db, tier, ranked.ids)).slice(0, want.n));
    window ??= ranked.window;
    want.n -= Math.min(want.n, ranked.ids.length);
  }
  return { ids: ids.slice(page.offset, page.offset + page.limit), hasMore: ids.length > page.offset + page.limit, window };
}

/** Papers whose whole title is the query (case and punctuation aside), newest stored first. */
function exactTitle(db: Kysely<Database>, key: string): Promise<Array<{ id: string; seq: number }>> {
  return db.selectFrom('papers').select(['id', 'seq']).where('title_key', '=', key).orderBy('seq', 'desc').limit(3).execute();
}
