import type { IngestItem } from '../../src/domain/paper.ts';
import { titleKey } from '../../src/domain/paper.ts';
import { UserError } from '../../src/domain/errors.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import type { Store } from '../../src/store/store.ts';

export interface TitleRank {
  id: string;
  title: string;
  /** 1-based position of the paper when its own title is the query; null when not in the first `depth`. */
  rank: number | null;
  /** How many papers share this title (ignoring case and punctuation): only one of them can be first. */
  sharing: number;
  /** The title could not be searched at all (a UserError). */
  refused: string | null;
}

export interface TitleRateReport {
  papers: number;
  atRank1: number;
  /** Papers whose title no other paper has. */
  unique: number;
  uniqueAtRank1: number;
  ranks: TitleRank[];
}

/** One search of a title: the ids found (best first, at most `depth`), or why it was refused. */
export type TitleSearch = (title: string, depth: number) => Promise<{ ids: string[]; refused: string | null }>;

/**
 * Searches every paper's exact title, as `/papers search` does, and records where the paper
 * comes. `exactShortcut: false` drops the title-key lookup (and the completion and correction
 * of words), leaving the full-text ranking alone to find it.
 */
export async function titleRanks(store: Store, items: IngestItem[], opts: { exactShortcut: boolean; depth?: number }): Promise<TitleRateReport> {
  return titleRanksWith(
    items,
    async (title, depth) => {
      try {
        const want = { limit: depth, offset: 0 };
        const page = opts.exactShortcut ? (await searchPapers(store, title, want)).page : await store.search.search({ ...parseSearchQuery(title), titleKey: null }, want);
        return { ids: page.ids, refused: null };
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return { ids: [], refused: e.message };
      }
    },
    opts.depth,
  );
}

/** The same, through any search (the relevance evaluation passes the one it measures). */
export async function titleRanksWith(items: IngestItem[], search: TitleSearch, depth = 10): Promise<TitleRateReport> {
  const papers = [...new Map(items.map((it) => [it.paper.id, it.paper])).values()];
  const sharing = new Map<string, number>();
  for (const p of papers) sharing.set(titleKey(p.title), (sharing.get(titleKey(p.title)) ?? 0) + 1);
  const ranks: TitleRank[] = [];
  for (const p of papers) {
    const { ids, refused } = await search(p.title, depth);
    const at = ids.indexOf(p.id);
    ranks.push({ id: p.id, title: p.title, rank: at === -1 ? null : at + 1, sharing: sharing.get(titleKey(p.title)) ?? 1, refused });
  }
  const unique = ranks.filter((r) => r.sharing === 1);
  return {
    papers: ranks.length,
    atRank1: ranks.filter((r) => r.rank === 1).length,
    unique: unique.length,
    uniqueAtRank1: unique.filter((r) => r.rank === 1).length,
    ranks,
  };
}
