import type { Rng } from './prng.ts';

/**
 * The known-item queries of the relevance evaluation (issue 8, item 7): a person remembers a
 * paper by two of its key phrases and types them, or types them slightly wrong. Each builder
 * returns null when the paper gives it nothing to work with (the caller counts those).
 */

const ALPHABETIC = /^[A-Za-z]+$/;

/**
 * The other grammatical number of an English noun, by the regular rules people get wrong
 * when typing: `models` <-> `model`, `policies` <-> `policy`, `losses` <-> `loss`,
 * `patches` <-> `patch`. Null for words ending in -us or -is (`corpus`, `analysis`), whose
 * plurals are irregular. Suffixes are matched ignoring case and written in lower case
 * (`LLMs` -> `LLM`, `BERT` -> `BERTs`).
 */
export function flipNumber(word: string): string | null {
  const w = word.toLowerCase();
  if (w.endsWith('us') || w.endsWith('is')) return null;
  if (w.endsWith('s') && !w.endsWith('ss')) {
    if (w.endsWith('ies') && w.length > 4) return word.slice(0, -3) + 'y';
    if (/(?:sses|xes|ches|shes)$/.test(w)) return word.slice(0, -2);
    return word.slice(0, -1);
  }
  if (/[^aeiou]y$/.test(w)) return word.slice(0, -1) + 'ies';
  if (/(?:ss|x|ch|sh)$/.test(w)) return word + 'es';
  return word + 's';
}

/** Whether `word` can have its number flipped: alphabetic, 4 letters or more, a regular plural. */
function flippable(word: string): boolean {
  return ALPHABETIC.test(word) && word.length >= 4 && flipNumber(word) !== null;
}

/** `text` with one seeded word's number flipped; null when no word qualifies. */
export function withNumberFlipped(text: string, rng: Rng): string | null {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const candidates = words.flatMap((w, i) => (flippable(w) ? [i] : []));
  if (candidates.length === 0) return null;
  const at = rng.pick(candidates);
  words[at] = flipNumber(words[at]!)!;
  return words.join(' ');
}

/** Inner positions i where letters i and i+1 can be swapped: neither is the first or last letter, and they differ. */
export function swappablePairs(word: string): number[] {
  if (!ALPHABETIC.test(word) || word.length < 5) return [];
  const lower = word.toLowerCase();
  const at: number[] = [];
  for (let i = 1; i + 1 <= word.length - 2; i++) if (lower[i] !== lower[i + 1]) at.push(i);
  return at;
}

/** `word` with the letters at `i` and `i + 1` swapped. */
export function swapAdjacent(word: string, i: number): string {
  return word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
}

/** `text` with one typo: two adjacent inner letters swapped in one seeded word of 5+ letters; null when none qualifies. */
export function withOneTypo(text: string, rng: Rng): string | null {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const candidates = words.flatMap((w, i) => (swappablePairs(w).length > 0 ? [i] : []));
  if (candidates.length === 0) return null;
  const at = rng.pick(candidates);
  words[at] = swapAdjacent(words[at]!, rng.pick(swappablePairs(words[at]!)));
  return words.join(' ');
}

export const MID_TYPING_WORDS = 3;
export const MID_TYPING_LETTERS = 4;

/**
 * What someone has typed halfway through a title: its first three words, the last cut to
 * four characters (when it is longer). Null for a title of fewer than three words.
 */
export function midTyping(title: string): string | null {
  const words = title.split(/\s+/).filter((w) => w !== '').slice(0, MID_TYPING_WORDS);
  if (words.length < MID_TYPING_WORDS) return null;
  const last = [...words[MID_TYPING_WORDS - 1]!];
  words[MID_TYPING_WORDS - 1] = last.slice(0, MID_TYPING_LETTERS).join('');
  return words.join(' ');
}

/** The keywords with repeats (ignoring case) and blanks left out, first spelling kept. */
export function distinctKeywords(keywords: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const k of keywords.map((k) => k.trim())) if (k !== '' && !byKey.has(k.toLowerCase())) byKey.set(k.toLowerCase(), k);
  return [...byKey.values()];
}

/** Two different keywords (ignoring case), seeded, in the order picked; null when the paper has fewer than two. */
export function twoKeywords(keywords: readonly string[], rng: Rng): [string, string] | null {
  const distinct = distinctKeywords(keywords);
  if (distinct.length < 2) return null;
  const first = rng.int(distinct.length);
  let second = rng.int(distinct.length - 1);
  if (second >= first) second++;
  return [distinct[first]!, distinct[second]!];
}
