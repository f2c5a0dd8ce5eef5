import { featureId } from './hash.ts';
import { termsOf, writeFeatureIds } from './tokenize.ts';

export { FEATURE_BITS, FEATURE_SPACE, FEATURE_VERSION, featureId } from './hash.ts';

/** A paper's raw term counts: feature ids ascending, with how often each occurs. */
export interface TermCounts {
  ids: Uint32Array;
  counts: Uint32Array;
}

/** Feature ids of the paper being counted (reused: ingest counts one paper after another). */
let scratch: Uint32Array = new Uint32Array(4096);

/** Term counts of a paper's title and abstract, each tokenized on its own: no bigram spans the two. */
export function termCounts(title: string, abstract: string): TermCounts {
  let w = writeFeatureIds(title, scratch, 0);
  w = writeFeatureIds(abstract, w.out, w.end);
  scratch = w.out;
  const sorted = scratch.subarray(0, w.end).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const ids = new Uint32Array(distinct);
  const counts = new Uint32Array(distinct);
  let k = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) ids[++k] = sorted[i]!;
    counts[k] = counts[k]! + 1;
  }
  return { ids, counts };
}

/**
 * What each of a paper's features stands for, in the paper's own words: the form it uses most
 * ("agents" for the stem "agent"; "reinforcement learning" for "reinforc learn").
 */
export function featureWords(title: string, abstract: string): Map<number, string> {
  const tally = new Map<number, Map<string, number>>();
  for (const t of [...termsOf(title), ...termsOf(abstract)]) {
    const id = featureId(t.term);
    let forms = tally.get(id);
    if (!forms) tally.set(id, (forms = new Map()));
    forms.set(t.surface, (forms.get(t.surface) ?? 0) + 1);
  }
  const out = new Map<number, string>();
  for (const [id, forms] of tally) {
    let best = '';
    let n = 0;
    // Most used; ties go to the shorter, then the alphabetically first form: deterministic.
    for (const [form, k] of forms) if (k > n || (k === n && (form.length < best.length || (form.length === best.length && form < best)))) [best, n] = [form, k];
    out.set(id, best);
  }
  return out;
}

/**
 * Terms to show a person, best first, without repeats: a term whose every word is already
 * shown ("black" after "black box") adds nothing and is skipped.
 */
export function readableTerms(terms: Iterable<string>, max: number): string[] {
  const out: string[] = [];
  const shown = new Set<string>();
  for (const t of terms) {
    if (out.length >= max) break;
    const words = t.split(' ');
    if (words.every((w) => shown.has(w))) continue;
    out.push(t);
    for (const w of words) shown.add(w);
  }
  return out;
}
