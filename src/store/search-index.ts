import type { SearchQuery } from '../search/query.ts';

export interface SearchPage {
  /** Paper ids, best first. */
  ids: string[];
  hasMore: boolean;
  /**
   * Set when the query matched so many papers that only the most recently added `window`
   * of them were ranked (a one-word query such as "model" at a million papers).
   */
  window: number | null;
}

/** Full-text search, kept behind an interface: the SQLite store uses FTS5, another store its own. */
export interface SearchIndex {
  search(q: SearchQuery, page: { limit: number; offset: number }): Promise<SearchPage>;
  /** The subset of `paperIds` that `q` matches. */
  matching(q: SearchQuery, paperIds: readonly string[]): Promise<Set<string>>;
}
