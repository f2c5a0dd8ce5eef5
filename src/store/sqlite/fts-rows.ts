import type BetterSqlite3 from 'better-sqlite3';
import { ALIAS_MARK, authorIndexWords } from '../../search/author-names.ts';

/**
 * How papers become rows of the FTS5 index `papers_fts` (migration 0003). Two choices shape it:
 *
 * - The rowid orders papers by their own date, not by when we ingested them: the paper's day
 *   (published, else first seen) in the high bits and its `seq` in the low 32. A search that
 *   ranks only its newest matches walks back from the top rowid, so a backfill of old papers
 *   never pushes new ones out of that window. `seq` is the rowid's low 32 bits.
 * - The index stems English (porter), but author names must match only as written, and FTS5
 *   has one tokenizer per table. So every author word is indexed with AUTHOR_MARK appended: a
 *   private-use character that unicode61 keeps inside the token and no Porter rule removes.
 *   Queries for an author append the same mark.
 */

/** Appended to every word of an author name, in the index and in queries. */
export const AUTHOR_MARK = '\uE000';

export const SEQ_BITS = 2 ** 32;

/** The FTS rowid of a papers row `r`, as SQL (migration 0003 repeats it in its triggers). */
export const FTS_ROWID_SQL = (r: string) =>
  `((CAST(COALESCE(julianday(substr(${r}.published_at, 1, 10)), julianday(substr(${r}.first_seen_at, 1, 10))) - 2440587.5 AS INTEGER) << 32) + ${r}.seq)`;

/** The papers row's `seq` of an FTS rowid, as SQL. */
export const SEQ_OF_ROWID_SQL = (rowid: string) => `(${rowid} & 4294967295)`;

/** The name of the SQL function that marks author words; registered on every connection (openSqlite). */
export const AUTHOR_WORDS_FUNCTION = 'paperboy_author_words';

/**
 * Author names as the index holds them: folded words (author-names.ts), each marked so the
 * stemmer leaves it alone, and each author's initials alias (already marked with ALIAS_MARK).
 */
export function markAuthorWords(text: string): string {
  return authorIndexWords(text)
    .map((w) => (w.endsWith(ALIAS_MARK) ? w : w + AUTHOR_MARK))
    .join(' ');
}

export function registerFtsFunctions(raw: BetterSqlite3.Database): void {
  raw.function(AUTHOR_WORDS_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? markAuthorWords(text) : text));
}
