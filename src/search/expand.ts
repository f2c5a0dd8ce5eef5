import { titleKey } from '../domain/paper.ts';
import type { SearchQuery, Term } from './query.ts';
import { termAt } from './query.ts';
import { COMPLETION, type Correction, type Vocabulary } from './vocabulary.ts';
import { stem } from './words.ts';

/**
 * What a search does with the words people type before the index sees them: the last word is
 * completed (it may be half-typed) and misspelled words are corrected, both from the store's
 * own vocabulary. Dialect-neutral: every store's SearchIndex gets the same expanded query.
 */

/**
 * Fills in the known words the query's last plain word may be the start of, most frequent first,
 * one per stem (the index matches every form of a stem anyway), forms of the word itself left
 * out (they match already).
 */
export async function completeLastWord(q: SearchQuery, vocabulary: Vocabulary): Promise<SearchQuery> {
  if (!q.lastWord) return q;
  const word = termAt(q, q.lastWord).tokens[0]!;
  const stems = new Set([stem(word)]);
  const completions: string[] = [];
  for (const w of await vocabulary.completions(word, 4 * COMPLETION.limit)) {
    if (completions.length === COMPLETION.limit) break;
    if (stems.has(stem(w))) continue;
    stems.add(stem(w));
    completions.push(w);
  }
  return { ...q, lastWord: { ...q.lastWord, completions } };
}

/** What a query's words look like against the store's vocabulary. */
export interface Misspellings {
  corrections: Correction[];
  /** Words in no paper with nothing close enough to suggest. */
  unknown: string[];
}

/**
 * The query's misspelled words: those no paper holds (`unknown`: corrections to be made at
 * once), or those few papers hold beside a far more common neighbour (`rare`: corrections to
 * try when the query finds nothing as typed, "rome" next to "role"). Quoted words, author
 * names and a last word being completed are taken as typed; Vocabulary.assess says which
 * other words are looked at.
 */
export async function findMisspellings(q: SearchQuery, vocabulary: Vocabulary, which: 'unknown' | 'rare'): Promise<Misspellings> {
  const completing = q.lastWord && q.lastWord.completions.length > 0 ? termAt(q, q.lastWord) : null;
  const words = new Set<string>();
  for (const t of q.must.flat()) if (!t.quoted && t.field !== 'authors' && t !== completing) for (const w of t.tokens) words.add(w);
  const df = await vocabulary.dfOf([...words]);
  const found: Misspellings = { corrections: [], unknown: [] };
  for (const w of words) {
    if ((which === 'unknown') !== !df.has(w)) continue;
    const a = await vocabulary.assess(w, df.get(w) ?? 0);
    if (a?.likely) found.corrections.push({ from: w, to: a.likely.word });
    else if (a?.papers === 0) found.unknown.push(w);
  }
  return found;
}

/** The query with the corrected words replaced, in its terms and its text. */
export function applyCorrections(q: SearchQuery, corrections: readonly Correction[]): SearchQuery {
  if (corrections.length === 0) return q;
  const to = new Map(corrections.map((c) => [c.from, c.to]));
  const fix = (t: Term): Term => (t.quoted || t.field === 'authors' || !t.tokens.some((w) => to.has(w)) ? t : { ...t, tokens: t.tokens.map((w) => to.get(w) ?? w) });
  let text = q.text;
  for (const c of corrections) text = text.replace(wordIn(c.from), c.to);
  return { ...q, must: q.must.map((c) => c.map(fix)), text, titleKey: titleKey(text) || null };
}

/** The query text with each corrected word quoted, so that searching it again takes it as typed. */
export function asTyped(text: string, corrections: readonly Correction[]): string {
  let out = text;
  for (const c of corrections) out = out.replace(wordIn(c.from), (w) => `"${w}"`);
  return out;
}

/** The first whole-word, any-case occurrence of a corrected word (corrected words are plain a-z). */
const wordIn = (word: string) => new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, 'iu');
