import type { SearchPage } from '../store/search-index.ts';
import type { Store } from '../store/store.ts';
import { applyCorrections, asTyped, completeLastWord, findMisspellings } from './expand.ts';
import { parseSearchQuery, type SearchQuery } from './query.ts';
import type { Correction } from './vocabulary.ts';

export interface SearchOutcome {
  /** What was searched: the input parsed, completed and corrected. */
  query: SearchQuery;
  page: SearchPage;
  /** Words replaced by corrections; empty when the input was searched as typed. */
  corrections: Correction[];
  /** The input as typed (whitespace collapsed). */
  typed: string;
  /** The input with the corrected words quoted: searching it takes them as typed. Null without corrections. */
  asTyped: string | null;
  /** Searched as typed, but some words look misspelled: the query with them corrected, to offer. */
  didYouMean: string | null;
}

type Page = { limit: number; offset: number };

/**
 * A search as people type it, everywhere they can (`/papers search`, Discord autocomplete, the
 * CLI): parse, complete the last word, correct typos, rank. Words no paper holds are corrected
 * at once; words very few papers hold beside a far more common neighbour ("rome" next to
 * "role") only when the query finds nothing otherwise, and else offered as "did you mean". A
 * correction that still finds nothing falls back to the input as typed. Throws UserError for
 * input that is not a query.
 */
export async function searchPapers(store: Store, text: string, page: Page): Promise<SearchOutcome> {
  const typed = await completeLastWord(parseSearchQuery(text), store.vocabulary);
  const { sure, likely } = await findMisspellings(typed, store.vocabulary);
  const outcome = (query: SearchQuery, result: SearchPage, corrections: Correction[], offer: Correction[] = []): SearchOutcome => ({
    query,
    page: result,
    corrections,
    typed: typed.text,
    asTyped: corrections.length > 0 ? asTyped(typed.text, corrections) : null,
    didYouMean: offer.length > 0 ? applyCorrections(query, offer).text : null,
  });
  if (sure.length + likely.length === 0) return outcome(typed, await store.search.search(typed, page), []);
  const tries: Array<[SearchQuery, Correction[], Correction[]]> = [
    [applyCorrections(typed, sure), sure, likely],
    ...(likely.length > 0 ? [[applyCorrections(typed, [...sure, ...likely]), [...sure, ...likely], []] as [SearchQuery, Correction[], Correction[]]] : []),
  ];
  for (const [query, corrections, offer] of tries) {
    const result = await finds(store, query, page);
    if (result) return outcome(query, result, corrections, offer);
  }
  return outcome(typed, await store.search.search(typed, page), []);
}

/** The page, when the query finds anything at all (decided on its first page, so that every page of one search takes the same query). */
async function finds(store: Store, query: SearchQuery, page: Page): Promise<SearchPage | null> {
  const result = await store.search.search(query, page);
  if (result.ids.length > 0) return result;
  if (page.offset === 0) return null;
  return (await store.search.search(query, { limit: 1, offset: 0 })).ids.length > 0 ? result : null;
}
