import { isUserError } from '../../src/domain/errors.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { Store } from '../../src/store/store.ts';

export interface SearchRun {
  /** Paper ids, best first. */
  ids: string[];
  /** The UserError message when the text could not be searched (counted as no results). */
  refused: string | null;
}

/**
 * THE search the relevance evaluation measures: what `/papers search <text>` runs, page 1.
 * Every evaluated query goes through here and nowhere else, so when search gains query
 * expansion (typo correction, prefix completion) behind a new entry point, this body is the
 * one thing to change for the "after" figures.
 */
export async function runSearch(store: Store, text: string, limit: number): Promise<SearchRun> {
  try {
    const page = await store.search.search(parseSearchQuery(text), { limit, offset: 0 });
    return { ids: page.ids, refused: null };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { ids: [], refused: e.message };
  }
}
