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

/** A query's likely misspellings: words in no paper (`sure`), and words in very few next to a far more common one (`likely`). */
export interface Misspellings {
  sure: Correction[];
  likely: Correction[];
  /** Words in no paper with nothing close enough to suggest. */
  unknown: string[];
}

/**
 * Assesses every word that may be corrected: not quoted, not an author name, not a last word
 * that is being completed (Vocabulary.assess says which words are looked at).
 */
export async function findMisspellings(q: SearchQuery, vocabulary: Vocabulary): Promise<Misspellings> {
  const completing = q.lastWord && q.lastWord.completions.length > 0 ? termAt(q, q.lastWord) : null;
  const found: Misspellings = { sure: [], likely: [], unknown: [] };
  const seen = new Set<string>();
  for (const t of q.must.flat()) {
    if (t.quoted || t.field === 'authors' || t === completing) continue;
    for (const w of t.tokens) {
      if (seen.has(w)) continue;
      seen.add(w);
      const a = await vocabulary.assess(w);
      if (a?.likely) (a.papers === 0 ? found.sure : found.likely).push({ from: w, to: a.likely.word });
      else if (a?.papers === 0) found.unknown.push(w);
    }
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
