import { foldedWords } from './words.ts';

/**
 * Author names as search matches them (`author:` terms, topics and the indexes of both stores):
 * case and diacritics folded, and a name written with initials ("T. Dao") meeting the same name
 * written in full ("Tri Dao"). Every author is indexed as its folded words and, after them, an
 * initials alias (first initial and surname, each word ending in ALIAS_MARK so it never meets a
 * written word):
 *
 *   "Tri Dao"  -> tri dao t~ dao~        "T. Dao" -> t dao t~ dao~
 *
 * A query with an initial ("T. Dao", "C. D. Manning") looks for the alias; a query written in
 * full ("Tri Dao") looks for the name as written or for its initials as written ("T. Dao"), not
 * for the alias: "Tri Dao" must not find "Trung Dao".
 */

/** Ends each word of the initials alias (a private-use character: tokenizers keep it, Porter leaves it). */
export const ALIAS_MARK = '\uE001';

/** Letters NFD leaves whole (no combining mark to strip), folded by hand: "Łukasz" is found as "Lukasz". */
const UNDECOMPOSED: Readonly<Record<string, string>> = {
  ł: 'l', đ: 'd', ð: 'd', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th', ħ: 'h', ŧ: 't', ŀ: 'l', ŉ: 'n',
};
const UNDECOMPOSED_RE = new RegExp(`[${Object.keys(UNDECOMPOSED).join('')}]`, 'gu');

/** The folded words of a name (or names): lower case, accents off, ł → l. */
export function nameWords(text: string): string[] {
  return foldedWords(text).map((w) => w.replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c]!));
}

/** `authors_text` holds the authors joined by "; " (papers.ts). */
const AUTHOR_SEPARATOR = /[;\n]/;

/** Each author's name as indexed: its words, and its initials alias (none for a one-word name). */
export function authorNames(authorsText: string): Array<{ words: string[]; alias: string[] }> {
  return authorsText.split(AUTHOR_SEPARATOR).map((author) => {
    const words = nameWords(author);
    return { words, alias: words.length >= 2 ? [initialOf(words[0]!) + ALIAS_MARK, words[words.length - 1]! + ALIAS_MARK] : [] };
  });
}

/** The words an authors field is indexed as: each author's words, then its initials alias. */
export function authorIndexWords(authorsText: string): string[] {
  const out: string[] = [];
  for (const { words, alias } of authorNames(authorsText)) out.push(...words, ...alias);
  return out;
}

/**
 * The phrases (word sequences, each over the indexed words) any of which an `author:` term
 * matches. One word ("dao", "lecun") is matched as written, in any author's name.
 */
export function authorPhrases(tokens: readonly string[]): string[][] {
  const words = nameWords(tokens.join(' '));
  if (words.length <= 1) return [words];
  const given = words.slice(0, -1);
  const surname = words[words.length - 1]!;
  if (given.some((w) => w.length === 1)) return [[initialOf(given[0]!) + ALIAS_MARK, surname + ALIAS_MARK]];
  return [words, [...given.map(initialOf), surname]];
}

const initialOf = (word: string) => [...word][0]!;
