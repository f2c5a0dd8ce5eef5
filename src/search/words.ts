import { stemmer } from 'stemmer';

/**
 * Words as the search index sees them, for the parts of search that run in TypeScript (the
 * vocabulary, topic matching, ranking checks). They mirror FTS5's `porter unicode61
 * remove_diacritics 2` tokenizer: lower case, accents folded, runs of letters and digits;
 * test/search/words.test.ts checks the stems against SQLite's own on the whole corpus.
 */

/** FTS5's porter tokenizer leaves tokens shorter than 3 or longer than 64 bytes as they are. */
const PORTER_MIN = 3;
const PORTER_MAX = 64;

const ASCII = /^[\x00-\x7f]*$/;
const WORD = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;

/** Lower-case, accent-free words of `text`, in order (duplicates kept: phrases need positions). */
export function foldedWords(text: string): string[] {
  if (ASCII.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return (text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().match(WORD) ?? []).map((w) => w.normalize('NFC'));
}

/** A folded word's Porter stem, exactly as FTS5's porter tokenizer would index it. */
export function stem(word: string): string {
  if (word.length < PORTER_MIN || Buffer.byteLength(word) > PORTER_MAX) return word;
  return stemmer(word);
}

/** Folded words that hold a letter: what people type and misspell (numbers are never corrected). */
export function hasLetter(word: string): boolean {
  return /\p{L}/u.test(word);
}
