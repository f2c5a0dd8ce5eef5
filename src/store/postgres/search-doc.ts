import type { Term } from '../../search/query.ts';
import { ALIAS_MARK, authorNames, authorPhrases, nameWords } from '../../search/author-names.ts';
import { foldedWords, stem } from '../../search/words.ts';

/**
 * PostgreSQL's tsvector and tsquery values for our search, written as their text forms. The
 * words are SQLite's (src/search/words.ts mirrors FTS5's `porter unicode61 remove_diacritics 2`):
 * folded, Porter-stemmed except in author names (indexed with their initials aliases,
 * author-names.ts), no stop words. Weights tell the fields apart for ranking: title A, authors
 * B (unstemmed), keywords C, abstract D. Author words are also lexemes of their own (marked, as
 * SQLite's are), so a plain query word, looked up as a stem in A, C and D or as written in B,
 * needs no weight in the tsquery: a weighted tsquery makes PostgreSQL recheck every GIN match
 * against the stored tsvector, an unweighted one (phrases aside) is answered by the index alone.
 * For the same reason each pair of neighbouring words in one author's name is a lexeme too
 * (namePair): a name is looked up as its pairs, not as a phrase, which PostgreSQL would check
 * on the document of every paper holding both words (27,000 for "Xin Zhang" at a million papers).
 */

export interface SearchText {
  title: string;
  authors_text: string;
  keywords_text: string;
  abstract: string;
}

/** PostgreSQL keeps at most this many positions per lexeme, and positions up to 16,383. */
const MAX_POSITIONS = 256;
const MAX_POSITION = 16_383;
/**
 * PostgreSQL refuses a lexeme over 2,047 bytes ("word is too long"), which would fail the
 * whole batch of papers being indexed; to_tsvector drops such words, and so do we (no one
 * searches for one; SQLite's index keeps it).
 */
const MAX_LEXEME_BYTES = 2_047;
const fits = (lexeme: string) => lexeme.length * 3 <= MAX_LEXEME_BYTES || Buffer.byteLength(lexeme, 'utf8') <= MAX_LEXEME_BYTES;

/** A lexeme as tsvector and tsquery text take it: quoted, with `'` and `\` escaped (folded words hold neither; escaped anyway). */
const quote = (lexeme: string) => (/['\\]/.test(lexeme) ? `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${lexeme}'`);

const WEIGHTS = ['A', 'B', 'C', 'D'] as const;

/** Appended to an author word (SQLite's AUTHOR_MARK): never part of a folded word, so stems and names never meet. */
const AUTHOR_MARK = '\uE000';
/** An author word as a lexeme: marked, unless it is an initials alias (already marked apart). */
const authorLexeme = (word: string) => (word.endsWith(ALIAS_MARK) ? word : word + AUTHOR_MARK);
/** Two neighbouring words of one author's name as one lexeme (folded words hold no space). */
const namePair = (a: string, b: string) => `${a} ${b}${AUTHOR_MARK}`;

/** A name's words as a tsquery: one word as itself, more as all their neighbouring pairs (within one author's name). */
function nameQuery(words: readonly string[]): string {
  if (words.length === 1) return quote(authorLexeme(words[0]!));
  const pairs = words.slice(1).map((w, i) => quote(namePair(words[i]!, w)));
  return pairs.length === 1 ? pairs[0]! : `(${pairs.join(' & ')})`;
}

/**
 * The tsvector text of a paper. Fields follow each other with a one-position gap, so a
 * phrase never runs from the end of one field into the next. Positions are kept as numbers
 * (position * 4 + weight) and written out once per lexeme: this runs for every ingested paper.
 */
export function searchDoc(p: SearchText): string {
  const positions = new Map<string, number[]>();
  let at = 0;
  /** Moves to the next position (PostgreSQL keeps none past MAX_POSITION). */
  const next = () => {
    if (at < MAX_POSITION) at++;
  };
  /** Records `lexeme` at the current position. */
  const record = (lexeme: string, weight: number) => {
    if (!fits(lexeme)) return;
    const list = positions.get(lexeme);
    if (!list) positions.set(lexeme, [at * 4 + weight]);
    else if (list.length < MAX_POSITIONS) list.push(at * 4 + weight);
  };
  /** A field's words, one position each, then a one-position gap. */
  const addField = (words: readonly string[], weight: number, lexemeOf: (word: string) => string) => {
    for (const w of words) {
      next();
      record(lexemeOf(w), weight);
    }
    at++;
  };
  addField(foldedWords(p.title), 0, stem);
  // The authors field: each word (then the alias) at its own position, and each pair of neighbours
  // in one name as one lexeme at the second word's position.
  for (const { words, alias } of authorNames(p.authors_text)) {
    for (const run of [words, alias]) {
      for (let i = 0; i < run.length; i++) {
        next();
        record(authorLexeme(run[i]!), 1);
        if (i > 0) record(namePair(run[i - 1]!, run[i]!), 1);
      }
    }
  }
  at++;
  addField(foldedWords(p.keywords_text), 2, stem);
  addField(foldedWords(p.abstract), 3, stem);
  let out = '';
  for (const [lexeme, list] of positions) {
    let entry = `${quote(lexeme)}:`;
    for (let i = 0; i < list.length; i++) entry += `${i === 0 ? '' : ','}${list[i]! >> 2}${WEIGHTS[list[i]! & 3]}`;
    out += out === '' ? entry : ' ' + entry;
  }
  return out;
}

/** Words in sequence, each restricted to `weights` ('' for anywhere). */
const phrase = (words: readonly string[], weights: '' | 'A') => words.map((w) => (weights === '' ? quote(w) : `${quote(w)}:${weights}`)).join(' <-> ');

/** The tsquery text of one parsed term (tokens folded as the index folds them). */
export function termQuery(t: Term): string {
  const words = foldedWords(t.tokens.join(' '));
  if (words.length === 0) return `${quote(t.tokens.join(''))}:A`; // cannot happen for parsed tokens; matches nothing real
  const stems = words.map(stem);
  switch (t.field) {
    case 'title':
      return phrase(stems, 'A');
    case 'authors': {
      const variants = authorPhrases(t.tokens).filter((v) => v.length > 0).map(nameQuery);
      return variants.length === 1 ? variants[0]! : `(${variants.join(' | ')})`;
    }
    case 'any':
      // A stem is only ever a lexeme of the title, keywords or abstract, a marked word only of the authors.
      return `(${phrase(stems, '')} | ${nameQuery(nameWords(t.tokens.join(' ')))})`;
  }
}

const anyOf = (terms: readonly Term[]) => (terms.length === 1 ? termQuery(terms[0]!) : `(${terms.map(termQuery).join(' | ')})`);

/** The tsquery text of a query: every clause (its terms ORed) ANDed, minus any paper matching an exclusion. */
export function queryText(must: readonly Term[][], not: readonly Term[]): string {
  const all = must.map(anyOf).join(' & ');
  return not.length === 0 ? all : `(${all}) & !${anyOf(not)}`;
}
