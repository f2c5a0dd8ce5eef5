import { FEATURE_SPACE } from './hash.ts';
import type { TermCounts } from './features.ts';

/** A sparse vector: feature ids ascending, with their values. */
export interface SparseVector {
  ids: Uint32Array;
  values: Float64Array;
}

/** Document frequencies over the whole store: how many papers hold each feature, and of how many. */
export interface TermStats {
  docCount: number;
  /** Indexed by feature id, FEATURE_SPACE long. */
  df: Uint32Array;
}

export interface TfidfOptions {
  /** A feature in fewer papers is left out: held by one paper alone, it relates no two papers. */
  minDf: number;
  /** A feature in more than this share of papers says nothing ("model", "propos"). */
  maxDfRatio: number;
}

/** arxiv-sanity-lite's min_df / max_df idea; min_df 2 rather than 5, as a store starts small. */
export const TFIDF_DEFAULTS: TfidfOptions = { minDf: 2, maxDfRatio: 0.5 };

export const EMPTY_VECTOR: SparseVector = { ids: new Uint32Array(0), values: new Float64Array(0) };

/** Smoothed inverse document frequency, as scikit-learn's smooth_idf: as if one more paper held every feature. */
export function idf(df: number, docCount: number): number {
  return Math.log((1 + docCount) / (1 + df)) + 1;
}

/** Sublinear term frequency: a word said ten times is not ten times the topic. */
export function sublinearTf(count: number): number {
  return count > 0 ? 1 + Math.log(count) : 0;
}

/** The L2-normalized TF-IDF vector of a paper's term counts (empty when no feature survives the df bounds). */
export function tfidfVector(tc: TermCounts, stats: TermStats, options: TfidfOptions = TFIDF_DEFAULTS): SparseVector {
  const weights = options === TFIDF_DEFAULTS ? idfTable(stats) : idfTableFor(stats, options);
  const ids = new Uint32Array(tc.ids.length);
  const values = new Float64Array(tc.ids.length);
  let n = 0;
  let sq = 0;
  for (let i = 0; i < tc.ids.length; i++) {
    const id = tc.ids[i]!;
    const w = weights[id]!;
    if (w === 0) continue;
    const count = tc.counts[i]!;
    const v = (count === 1 ? 1 : sublinearTf(count)) * w;
    ids[n] = id;
    values[n++] = v;
    sq += v * v;
  }
  if (sq === 0) return EMPTY_VECTOR;
  const norm = Math.sqrt(sq);
  for (let i = 0; i < n; i++) values[i] = values[i]! / norm;
  return { ids: ids.subarray(0, n), values: values.subarray(0, n) };
}

/** Each feature's IDF, 0 where the df bounds leave it out: computed once per TermStats (they never change). */
const IDF_TABLES = new WeakMap<TermStats, Float64Array>();

function idfTable(stats: TermStats): Float64Array {
  let t = IDF_TABLES.get(stats);
  if (!t) IDF_TABLES.set(stats, (t = idfTableFor(stats, TFIDF_DEFAULTS)));
  return t;
}

function idfTableFor(stats: TermStats, options: TfidfOptions): Float64Array {
  const maxDf = options.maxDfRatio * stats.docCount;
  const t = new Float64Array(stats.df.length);
  for (let id = 0; id < stats.df.length; id++) {
    const df = stats.df[id]!;
    if (df >= options.minDf && df <= maxDf) t[id] = idf(df, stats.docCount);
  }
  return t;
}

/** Dot product of two sparse vectors (cosine, for L2-normalized ones). */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) s += a.values[i++]! * b.values[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** The per-feature products of two sparse vectors, largest first: what two papers share most. */
export function sharedFeatures(a: SparseVector, b: SparseVector): Array<{ id: number; weight: number }> {
  const out: Array<{ id: number; weight: number }> = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) out.push({ id: x, weight: a.values[i++]! * b.values[j++]! });
    else if (x < y) i++;
    else j++;
  }
  return out.sort((p, q) => q.weight - p.weight || p.id - q.id);
}

/** Document frequencies of a set of papers (tests and the benchmark; the store keeps its own). */
export function termStatsOf(papers: readonly TermCounts[]): TermStats {
  const df = new Uint32Array(FEATURE_SPACE);
  for (const p of papers) for (const id of p.ids) df[id] = df[id]! + 1;
  return { docCount: papers.length, df };
}
