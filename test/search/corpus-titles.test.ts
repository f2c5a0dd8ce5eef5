import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_CANDIDATES, corpusItems, readCorpusDays } from '../../bench/lib/corpus.ts';
import { titleRanks, type TitleRateReport } from '../../bench/lib/title-rate.ts';
import type { IngestItem } from '../../src/domain/paper.ts';
import { type Store } from '../../src/store/store.ts';
import { openTestStore } from '../support/test-store.ts';

/**
 * Every paper of the shared corpus (HF Daily Papers, 2024-05-27 to 2026-06-30; the trimmed
 * copy in test/fixtures, so a fresh clone runs this too), searched by its exact title.
 * `npm run bench` prints the same figures, and the rate of the full-text ranking alone.
 */
const CORPUS = CORPUS_CANDIDATES[1]!;

let store: Store;
let items: IngestItem[];
let report: TitleRateReport;

beforeAll(async () => {
  const parsed = corpusItems(readCorpusDays(CORPUS));
  items = parsed.items;
  store = await openTestStore();
  await store.papers.upsertMany(items, new Date('2026-07-01T00:00:00Z'));
  report = await titleRanks(store, items, { exactShortcut: true, depth: 5 });
}, 180_000);
afterAll(() => store.close());

describe('exact titles of the whole corpus', () => {
  it('covers every paper in the corpus', () => {
    expect(report.papers).toBe(9_124);
    expect(report.ranks.filter((r) => r.refused)).toEqual([]);
  });

  it('rank their own paper first', () => {
    const misses = report.ranks.filter((r) => r.sharing === 1 && r.rank !== 1);
    expect(misses).toEqual([]);
  });

  it('shared by several papers, put all of them on top', () => {
    const shared = report.ranks.filter((r) => r.sharing > 1);
    for (const r of shared) expect(r.rank, r.title).not.toBeNull();
    for (const r of shared) expect(r.rank!, r.title).toBeLessThanOrEqual(r.sharing);
  });
});
