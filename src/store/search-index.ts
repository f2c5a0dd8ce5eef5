import type { Kysely } from 'kysely';
import type { SearchQuery } from '../search/query.ts';
import type { Database } from './schema.ts';

export interface SearchPage {
  /** Paper ids, best first. */
  ids: string[];
  hasMore: boolean;
  /**
   * Set when the query matched so many papers that only recent ones were ranked: its `window`
   * newest matches or, when every word is very common (a one-word query such as "model" at a
   * million papers), its matches among the `window` newest papers.
   */
  window: number | null;
}

/** A paper one ingest has just inserted: its seq and the text written, handed to the indexers so none reads it back. */
export interface FreshPaper {
  seq: number;
  title: string;
  abstract: string;
  authors_text: string;
  keywords_text: string;
  published_at: string | null;
  first_seen_at: string;
}

/**
 * Something kept beside the papers table and fed from it at ingest (the search index, the
 * similarity vectors). PapersRepo calls each once per upsertMany, inside its transaction.
 */
export interface IngestIndexer {
  /**
   * Indexes the papers just inserted (`fresh`, in seq order; every seq above `afterSeq`),
   * inside the inserting transaction `trx`. One statement for the whole batch is two to three
   * times faster than a trigger per row (bench/README.md).
   */
  indexNewPapers(trx: Kysely<Database>, afterSeq: number, fresh: readonly FreshPaper[]): Promise<void>;
  /** Also called when an ingest only updated papers (the index follows text changes itself, see PostgreSQL's). */
  readonly indexesUpdates?: boolean;
}

/**
 * Full-text search, kept behind an interface: the SQLite store uses FTS5, another store its own.
 * Every implementation stems English in titles, abstracts and keywords, matches author names as
 * written, ranks exact titles first and a last word's completions (`q.lastWord`) below the
 * words as typed, and windows by the papers' own dates. Topic matching is not here: it runs
 * in memory over a digest's candidates (src/search/topic-matching.ts).
 */
export interface SearchIndex extends IngestIndexer {
  search(q: SearchQuery, page: { limit: number; offset: number }): Promise<SearchPage>;
}
