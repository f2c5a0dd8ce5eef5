import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { OpenStoreOptions, Store } from '../../src/store/store.ts';
import { storeWith } from './hand-made-papers.ts';
import { reference, syntheticPapers } from './synthetic-papers.ts';

const PAPERS = syntheticPapers(300);
const PAGE = 7;

/** Every page in turn, until the index says there is no more. */
async function allPages(store: Store, text: string): Promise<string[][]> {
  const q = parseSearchQuery(text);
  const pages: string[][] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.search.search(q, { limit: PAGE, offset });
    pages.push(page.ids);
    if (!page.hasMore) break;
    expect(page.ids).toHaveLength(PAGE);
  }
  return pages;
}

const TUNINGS: Array<[string, NonNullable<OpenStoreOptions['fts']>]> = [
  ['full ranking', {}],
  ['a recency window', { fullRankLimit: 30, window: 25 }],
  ['common words only checked', { maxScoredDf: 40, sampleRows: 1e6 }],
  // SQLite's and PostgreSQL's "newest" plans: every query listed unranked, from the newest 250 papers when it has more than one word.
  ['every word common', { maxScoredDf: 1, phraseCostFactor: 1, sampleRows: 1e6, commonWindow: 200, commonShare: 0, recentPapers: 250 }],
  // PostgreSQL's newest rows (the last 120 days of 2025, about a third of the papers) asked first for every query.
  ['the newest rows asked first', { fullRankLimit: 30, window: 25, recentDays: 120, recentMargin: 0 }],
  ['every word common, the newest rows asked first', { commonWindow: 20, commonShare: 0, recentPapers: 250, recentDays: 120, recentMargin: 0 }],
];

describe.each(TUNINGS)('pages with %s', (_, tuning) => {
  let store: Store;
  beforeAll(async () => {
    store = await storeWith(PAPERS, { fts: tuning });
  });
  afterAll(() => store.close());

  it.each(['model', 'language model', 'language -vision', 'diffusion OR mamba', 'the of'])('%s: page 2 continues page 1, nothing twice', async (text) => {
    const pages = await allPages(store, text);
    const flat = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(flat).size).toBe(flat.length);
    const oneGo = await store.search.search(parseSearchQuery(text), { limit: 1000, offset: 0 });
    expect(flat).toEqual(oneGo.ids);
  });

  it('an exact title is first on page 1 and never repeats later', async () => {
    const target = PAPERS[137]!;
    const pages = await allPages(store, target.title);
    expect(pages[0]![0]).toBe(target.id);
    const flat = pages.flat();
    expect(flat.filter((id) => id === target.id)).toHaveLength(1);
    expect(new Set(flat).size).toBe(flat.length);
  });
});

describe('a page past the end', () => {
  it('is empty and has no more', async () => {
    const store = await storeWith(PAPERS);
    const page = await store.search.search(parseSearchQuery('mamba'), { limit: 10, offset: 10_000 });
    expect(page).toEqual({ ids: [], hasMore: false, window: null });
    await store.close();
  });
});

describe('when every word is common', () => {
  // One word: nothing for the proximity pass to reorder.
  it('lists the newest matches unranked, those with the word in their title first', async () => {
    const store = await storeWith(PAPERS, { fts: TUNINGS[3]![1] });
    const page = await store.search.search(parseSearchQuery('model'), { limit: 300, offset: 0 });
    const titles = (await store.papers.getMany(page.ids)).map((p) => p.title.toLowerCase());
    const inTitle = titles.map((t) => /\bmodels?\b/.test(t));
    const firstOutside = inTitle.indexOf(false);
    expect(firstOutside).toBeGreaterThan(0);
    expect(inTitle.slice(firstOutside)).not.toContain(true);
    expect(page.window).not.toBeNull(); // the reply says only recent papers were looked at
    await store.close();
  });
});

describe('a recency window', () => {
  // A query with more matches than are ranked ranks only its newest: the window must be the
  // newest matches by the papers' own date, whichever way they were found (SQLite's plans;
  // PostgreSQL's GIN scan sorted by day, or its walk down the date index), common words and rare.
  // walkCost 0 makes PostgreSQL walk the date index for every such query, 1,000 scan the GIN
  // index; recentDays 120 with recentMargin 0 asks its newest rows' table first (SQLite has no such knobs).
  const knobs = [0, 1_000].flatMap((walkCost) => [{ walkCost }, { walkCost, recentDays: 120, recentMargin: 0 }]);
  it.each(['model', 'language', 'graph', 'diffusion OR mamba', 'language -vision', 'the of'].flatMap((text) => knobs.map((k) => [text, JSON.stringify(k)] as const)))('%s (%s): ranks exactly its newest matches by date', async (text, k) => {
    const store = await storeWith(PAPERS, { fts: { fullRankLimit: 12, window: 10, ...JSON.parse(k) } });
    const q = parseSearchQuery(text);
    const all = reference(q, PAPERS);
    expect(all.length, text).toBeGreaterThan(12);
    const stored = new Map(PAPERS.map((p, i) => [p.id, i]));
    const day = (id: string) => PAPERS[stored.get(id)!]!.publishedAt!.slice(0, 10);
    const newest = [...all].sort((a, b) => day(b).localeCompare(day(a)) || stored.get(b)! - stored.get(a)!).slice(0, 10);
    const page = await store.search.search({ ...q, titleKey: null }, { limit: 1000, offset: 0 });
    expect(page.window).toBe(10);
    expect([...page.ids].sort(), text).toEqual([...newest].sort());
    await store.close();
  });
});

