/**
 * Features are hashed terms (the hashing trick, as scikit-learn's HashingVectorizer): a feature
 * id is a 32-bit FNV-1a hash of the term, modulo 2^20. Why not a vocabulary: a store that
 * grows by ingest has no moment to fit one, and a million papers hold tens of millions of
 * distinct bigrams. 2^20 ids bound everything: document frequencies are one 4 MB array, a
 * paper's vector is its few hundred ids, a team's model at most 2^20 weights. Collisions
 * (mostly among rare bigrams) blur a little; the words of an explanation are recovered by
 * re-tokenizing the paper's own text, so a collision never shows a word the paper lacks.
 * Changing FEATURE_BITS or the tokenizer changes every id: bump FEATURE_VERSION and re-index.
 */
export const FEATURE_BITS = 20;
export const FEATURE_SPACE = 1 << FEATURE_BITS;
const FEATURE_MASK = FEATURE_SPACE - 1;
/** Stored models name the feature scheme they were fitted on; another version is refitted. */
export const FEATURE_VERSION = 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, continuing from `h` (unmasked 32-bit state). */
export function fnvContinue(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

export function fnvState(s: string): number {
  return fnvContinue(FNV_OFFSET, s);
}

/** The feature id of a hash state. */
export function maskFeature(h: number): number {
  return h & FEATURE_MASK;
}

/** The feature id of a term: deterministic across processes and dialects. */
export function featureId(term: string): number {
  return maskFeature(fnvState(term));
}
