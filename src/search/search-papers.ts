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
}

type Page = { limit: number; offset: number };

/**
 * A search as people type it, everywhere they can (`/papers search`, Discord autocomplete, the
 * CLI): parse, complete the last word, correct typos, rank. Words no paper holds are corrected
 * at once (one lookup of the query's words tells which); only when the query then finds
 * nothing are its rare words tried against far commoner neighbours ("rome" next to "role"),
 * and a correction that still finds nothing falls back to the input as typed. Throws UserError
 * for input that is not a query.
 */
export async function searchPapers(store: Store, text: string, page: Page): Promise<SearchOutcome> {
  const typed = await completeLastWord(parseSearchQuery(text), store.vocabulary);
  const outcome = (query: SearchQuery, result: SearchPage, corrections: Correction[]): SearchOutcome => ({
    query,
    page: result,
    corrections,
    typed: typed.text,
    asTyped: corrections.length > 0 ? asTyped(typed.text, corrections) : null,
  });
  const unknown = (await findMisspellings(typed, store.vocabulary, 'unknown')).corrections;
  const first = applyCorrections(typed, unknown);
  const firstPage = await store.search.search(first, page);
  if (await finds(store, first, firstPage, page)) return outcome(first, firstPage, unknown);
  const rare = (await findMisspellings(typed, store.vocabulary, 'rare')).corrections;
  if (rare.length > 0) {
    const second = applyCorrections(typed, [...unknown, ...rare]);
    const secondPage = await store.search.search(second, page);
    if (await finds(store, second, secondPage, page)) return outcome(second, secondPage, [...unknown, ...rare]);
  }
  // Nothing found either way: the input as typed (already searched when nothing was corrected).
  return unknown.length > 0 ? outcome(typed, await store.search.search(typed, page), []) : outcome(first, firstPage, []);
}

/** Whether the query finds anything at all, decided on its first page, so that every page of one search takes the same query. */
async function finds(store: Store, query: SearchQuery, result: SearchPage, page: Page): Promise<boolean> {
  if (result.ids.length > 0) return true;
  if (page.offset === 0) return false;
  return (await store.search.search(query, { limit: 1, offset: 0 })).ids.length > 0;
}
