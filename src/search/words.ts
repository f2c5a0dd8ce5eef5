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

/** Stems recur (a day's papers share most of their words): the Porter rules run once per distinct word. */
const stems = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/** A folded word's Porter stem, exactly as FTS5's porter tokenizer would index it. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = word.length < PORTER_MIN || Buffer.byteLength(word) > PORTER_MAX ? word : stemmer(word);
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** Folded words that hold a letter: what people type and misspell (numbers are never corrected). */
export function hasLetter(word: string): boolean {
  return /\p{L}/u.test(word);
}
