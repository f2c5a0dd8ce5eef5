import { isUserError } from '../../src/domain/errors.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import type { Store } from '../../src/store/store.ts';

export interface SearchRun {
  /** Paper ids, best first. */
  ids: string[];
  /** The UserError message when the text could not be searched (counted as no results). */
  refused: string | null;
}

/**
 * THE search the relevance evaluation measures: what `/papers search <text>` runs, page 1
 * (`searchPapers`: parse, complete the last word, correct typos, rank). Every evaluated query
 * goes through here and nowhere else, so a change of entry point is a change of this body only.
 * The "before" figures in bench/README.md were taken when it was `parseSearchQuery` then
 * `store.search.search`.
 */
export async function runSearch(store: Store, text: string, limit: number): Promise<SearchRun> {
  try {
    return { ids: (await searchPapers(store, text, { limit, offset: 0 })).page.ids, refused: null };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { ids: [], refused: e.message };
  }
}
