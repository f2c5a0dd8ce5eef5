import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seededRng, type Rng } from '../../bench/lib/prng.ts';
import { UserError } from '../../src/domain/errors.ts';
import { parseSearchQuery, wordTokens, type SearchQuery } from '../../src/search/query.ts';
import { FtsSearchIndex, type FtsTuning, type Plan } from '../../src/store/sqlite/fts-search.ts';
import type { Store } from '../../src/store/store.ts';
import { items, paper, storeWith } from './hand-made-papers.ts';
import { anyWord, NAMES, reference, syntheticPapers } from './synthetic-papers.ts';

/**
 * However the index runs a query (everything scored by bm25(); common words only checked;
 * every word common, newest first), it must find exactly the papers the query describes,
 * as a plain evaluation of the parsed query over the papers' words says.
 */
function randomQuery(r: Rng): string {
  const parts: string[] = [];
  for (let i = 0, n = 1 + r.int(4); i < n; i++) {
    const w = anyWord(r);
    const roll = r.next();
    if (roll < 0.15) parts.push(`"${anyWord(r)} ${anyWord(r)}"`);
    else if (roll < 0.25) parts.push(`-${w}`);
    else if (roll < 0.35 && parts.length > 0) parts.push('OR', w);
    else if (roll < 0.42) parts.push(`title:${w}`);
    else if (roll < 0.48) parts.push(`author:${r.pick(NAMES).split(' ')[1]!}`);
    else if (roll < 0.52) parts.push(`since:2025-${String(1 + r.int(12)).padStart(2, '0')}-01`);
    else parts.push(w);
  }
  return parts.join(' ');
}

const PAPERS = syntheticPapers(300);
const NEVER_WINDOWED = { fullRankLimit: 1e9, window: 1e9 };
type PlanShape = 'scored' | 'scored+checked' | 'scored+excluded' | 'recent' | 'by author' | 'newest papers searched';
const shape = (p: Plan): PlanShape =>
  p.kind === 'recent' || p.kind === 'by author' ? p.kind : p.check.length > 0 ? 'scored+checked' : p.exclude !== null ? 'scored+excluded' : 'scored';
type Walker = { rankRecentCandidates(...a: unknown[]): unknown };

// The sample covers the whole table, so "common" is decided on exact counts. The last field says
// whether some page must report a window (true) or every page must report none (false).
const TUNINGS: Array<[string, Partial<FtsTuning>, PlanShape[], boolean]> = [
  ['everything scored', { ...NEVER_WINDOWED }, ['scored'], false],
  ['common words only checked', { ...NEVER_WINDOWED, maxScoredDf: 40, phraseCostFactor: 2, sampleRows: 1e6, commonWindow: 1e6 }, ['scored', 'scored+checked', 'scored+excluded', 'recent'], false],
  // A budget of 3 checks is soon spent: the newest papers are searched instead.
  // Small windows: a query with more matches ranks only its newest ones, and says so.
  ['small windows', { fullRankLimit: 12, window: 8, maxScoredDf: 40, phraseCostFactor: 2, sampleRows: 1e6, commonWindow: 10, recentPapers: 100, checkBudget: 5 }, ['scored', 'scored+checked', 'recent', 'newest papers searched'], true],
  ['a tiny check budget', { ...NEVER_WINDOWED, maxScoredDf: 40, phraseCostFactor: 2, sampleRows: 1e6, commonWindow: 1e6, checkBudget: 3 }, ['scored+checked', 'newest papers searched'], false],
  ['every word common', { ...NEVER_WINDOWED, maxScoredDf: 3, phraseCostFactor: 1, sampleRows: 1e6, commonWindow: 1e6 }, ['recent'], false],
];

describe.each(TUNINGS)('with %s', (_, tuning, shapes, windows) => {
  let store: Store;
  beforeAll(async () => {
    store = await storeWith(PAPERS, { fts: tuning });
  });
  afterAll(() => store.close());

  it('400 random queries find exactly the papers they describe', async () => {
    const r = seededRng(5);
    const planner = new FtsSearchIndex(store.db, tuning);
    const walked = vi.spyOn(store.search as unknown as Walker, 'rankRecentCandidates');
    const seen = new Set<PlanShape>();
    let nonEmpty = 0;
    let windowed = 0;
    for (let i = 0; i < 400; i++) {
      const text = randomQuery(r);
      let q: SearchQuery;
      try {
        q = parseSearchQuery(text);
      } catch (e) {
        if (e instanceof UserError) continue;
        throw e;
      }
      const page = await store.search.search({ ...q, titleKey: null }, { limit: 1000, offset: 0 });
      const expected = reference(q, PAPERS);
      if (page.window === null) expect([...page.ids].sort(), text).toEqual(expected);
      else expect(expected, text).toEqual(expect.arrayContaining(page.ids));
      // No window is ever reached under these tunings (300 papers, limits far above): a page that says otherwise is wrong.
      if (!windows) expect(page.window, text).toBeNull();
      if (page.window !== null) windowed++;
      const someIds = PAPERS.filter(() => r.chance(0.3)).map((p) => p.id);
      const inSome = new Set(someIds);
      expect([...(await store.matcher.matching(q, someIds))].sort(), text).toEqual(expected.filter((id) => inSome.has(id)));
      if (expected.length > 0) nonEmpty++;
      seen.add(shape(await planner.plan(q)));
      if (walked.mock.calls.length > 0) seen.add('newest papers searched');
      walked.mockClear();
    }
    expect(nonEmpty).toBeGreaterThan(100);
    if (windows) expect(windowed).toBeGreaterThan(0);
    // Each tuning must actually send queries down the paths it is meant to test.
    for (const s of shapes) expect(seen).toContain(s);
    if (tuning.maxScoredDf === undefined) expect([...seen].filter((s) => s !== 'by author')).toEqual(['scored']);
  });
});

/** Papers by their own date, newest first (ties in the order they were stored): the order windows follow. */
const byDateNewestFirst = (ids: string[]) =>
  [...ids].sort((a, b) => {
    const [pa, pb] = [PAPERS.find((p) => p.id === a)!, PAPERS.find((p) => p.id === b)!];
    return pb.publishedAt!.slice(0, 10).localeCompare(pa.publishedAt!.slice(0, 10)) || b.localeCompare(a);
  });

describe('author names alone', () => {
  it('are listed newest first by date, exclusions and since: applied, on every page', async () => {
    const store = await storeWith(PAPERS, { fts: { fullRankLimit: 5, window: 3 } });
    for (const text of [`author:${NAMES[0]!.split(' ')[1]!}`, `author:${NAMES[1]!.split(' ')[1]!} OR author:${NAMES[2]!.split(' ')[1]!} -zebra`, `author:${NAMES[3]!.split(' ')[1]!} since:2025-06-01`]) {
      const q = parseSearchQuery(text);
      expect(await new FtsSearchIndex(store.db).plan(q)).toMatchObject({ kind: 'by author' });
      const expected = byDateNewestFirst(reference(q, PAPERS));
      expect(expected.length, text).toBeGreaterThan(5);
      const first = await store.search.search(q, { limit: 4, offset: 0 });
      const second = await store.search.search(q, { limit: 1000, offset: 4 });
      // Every match, not a window of them: nothing is ranked, so nothing is left out.
      expect(first.window).toBeNull();
      expect([...first.ids, ...second.ids], text).toEqual(expected);
    }
    await store.close();
  });
});

describe('windows', () => {
  it('a query with too many matches ranks only its newest by date, and says so', async () => {
    const store = await storeWith(PAPERS, { fts: { fullRankLimit: 20, window: 10 } });
    const q = parseSearchQuery('zebra OR quantum OR mamba');
    const all = reference(q, PAPERS);
    expect(all.length).toBeGreaterThan(20);
    const page = await store.search.search(q, { limit: 1000, offset: 0 });
    expect(page.window).toBe(10);
    expect(page.ids).toHaveLength(10);
    // The papers were stored in id order with their dates shuffled: the window follows the dates.
    expect([...page.ids].sort()).toEqual(byDateNewestFirst(all).slice(0, 10).sort());
    await store.close();
  });

  it('an old paper stored after the new ones (a backfill) does not push them out of the window', async () => {
    const store = await storeWith(PAPERS, { fts: { fullRankLimit: 20, window: 10 } });
    const q = parseSearchQuery('zebra OR quantum OR mamba');
    const before = (await store.search.search(q, { limit: 1000, offset: 0 })).ids;
    const backfill = Array.from({ length: 30 }, (_, i) =>
      paper(`1901.${String(i + 1).padStart(5, '0')}`, 'zebra quantum mamba', 'zebra quantum mamba', { publishedAt: '2019-01-01T00:00:00.000Z' }),
    );
    await store.papers.upsertMany(items(backfill), new Date('2026-07-02T00:00:00Z'));
    expect((await store.search.search(q, { limit: 1000, offset: 0 })).ids.sort()).toEqual([...before].sort());
    await store.close();
  });

  it('a query of only common words lists the newest matches by date, title matches first', async () => {
    const store = await storeWith(PAPERS, { fts: { maxScoredDf: 3, sampleRows: 1e6, commonWindow: 40 } });
    const q = parseSearchQuery('model');
    const page = await store.search.search(q, { limit: 1000, offset: 0 });
    expect(page.window).toBe(40);
    const newest = byDateNewestFirst(reference(q, PAPERS)).slice(0, 40);
    expect([...page.ids].sort()).toEqual([...newest].sort());
    const inTitle = (id: string) => wordTokens(PAPERS.find((p) => p.id === id)!.title).includes('model');
    const flags = page.ids.map(inTitle);
    const firstOther = flags.indexOf(false);
    expect(firstOther).toBeGreaterThan(0);
    expect(flags.slice(firstOther)).not.toContain(true);
    // Each group newest first by date.
    const titleIds = page.ids.slice(0, firstOther);
    expect(titleIds).toEqual(newest.filter(inTitle));
    const otherIds = page.ids.slice(firstOther);
    expect(otherIds).toEqual(newest.filter((id) => !inTitle(id)));
    await store.close();
  });
});
