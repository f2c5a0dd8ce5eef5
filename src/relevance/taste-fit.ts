import { FEATURE_SPACE } from './hash.ts';
import type { SparseVector } from './tfidf.ts';

/** A training example: a paper's TF-IDF vector, liked (+1) or not (-1), and how much it counts. */
export interface Example {
  x: SparseVector;
  y: 1 | -1;
  /** 1 for a full example; less for a weak one (a paper shown and left untouched). */
  weight: number;
}

/** A linear model over features: score = w·x + bias. Feature ids ascending. */
export interface LinearModel {
  ids: Uint32Array;
  weights: Float32Array;
  bias: number;
}

export interface SvmOptions {
  /** Regularization: smaller C, smoother weights. arxiv-sanity-lite uses LinearSVC(C=0.1) on tens of thousands of papers; a team has far fewer examples. */
  c: number;
  /** Upper bound on passes over the examples: bounds the fitting time whatever happens. */
  maxEpochs: number;
  /** Stops once the largest and smallest projected gradient are this close (liblinear's stopping rule and default, 0.1). */
  tolerance: number;
  /** Seed of the per-epoch example order. */
  seed: number;
  /**
   * A feature held by fewer examples gets no weight: a word only one of the team's papers uses
   * says nothing about its taste (most bigrams are such). It also keeps the fit small and fast.
   */
  minExamples: number;
}

export const SVM_DEFAULTS: SvmOptions = { c: 1, maxEpochs: 50, tolerance: 0.1, seed: 20260821, minExamples: 2 };

/**
 * An L2-regularized, squared-hinge linear SVM (scikit-learn's LinearSVC, which is liblinear),
 * fitted by dual coordinate descent (Hsieh et al., ICML 2008) with class_weight='balanced' as
 * arxiv-sanity-lite uses it, and per-example weights on top. The bias is an extra feature of
 * value 1, regularized like the rest (as liblinear does). Deterministic: the only "random" part,
 * the order of examples in each pass, comes from a fixed seed. Cost is passes x nonzeros: a
 * few thousand examples of a few hundred features take tens of milliseconds.
 */
export function fitLinearSvm(examples: readonly Example[], options: SvmOptions = SVM_DEFAULTS): LinearModel {
  const n = examples.length;
  if (n === 0) return { ids: new Uint32Array(0), weights: new Float32Array(0), bias: 0 };
  // Per feature: how many examples hold it (> 0), then, once renumbered, -(its column + 1).
  const mark = new Int32Array(FEATURE_SPACE);
  for (let i = 0; i < n; i++) {
    const ids = examples[i]!.x.ids;
    for (let k = 0; k < ids.length; k++) mark[ids[k]!] = mark[ids[k]!]! + 1;
  }
  // The examples as one sparse matrix (CSR) of the features kept, renumbered 0..F-1 in order of
  // first appearance so the weights are a small dense array: the passes below are tight loops
  // over typed arrays.
  const offsets = new Int32Array(n + 1);
  const features: number[] = [];
  for (let i = 0; i < n; i++) {
    const ids = examples[i]!.x.ids;
    let kept = 0;
    for (let k = 0; k < ids.length; k++) {
      const m = mark[ids[k]!]!;
      if (m < 0) kept++;
      else if (m >= options.minExamples) {
        mark[ids[k]!] = -(features.length + 1);
        features.push(ids[k]!);
        kept++;
      }
    }
    offsets[i + 1] = offsets[i]! + kept;
  }
  const cols = new Int32Array(offsets[n]!);
  const values = new Float64Array(offsets[n]!);
  for (let i = 0; i < n; i++) {
    const x = examples[i]!.x;
    let at = offsets[i]!;
    for (let k = 0; k < x.ids.length; k++) {
      const m = mark[x.ids[k]!]!;
      if (m >= 0) continue;
      cols[at] = -m - 1;
      values[at++] = x.values[k]!;
    }
  }

  let totalWeight = 0;
  const classTotal = { pos: 0, neg: 0 };
  for (const e of examples) {
    totalWeight += e.weight;
    if (e.y === 1) classTotal.pos += e.weight;
    else classTotal.neg += e.weight;
  }
  const classWeight = (y: 1 | -1) => {
    const w = y === 1 ? classTotal.pos : classTotal.neg;
    return w > 0 ? totalWeight / (2 * w) : 0;
  };
  // Squared hinge: no upper bound on alpha; D_ii = 1 / (2 C_i) sits on the diagonal instead.
  const y = new Float64Array(n);
  const diag = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = examples[i]!;
    y[i] = e.y;
    const ci = options.c * e.weight * classWeight(e.y);
    diag[i] = ci > 0 ? 1 / (2 * ci) : Infinity;
    let sq = 1; // the bias feature
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) sq += values[k]! * values[k]!;
    qii[i] = sq + diag[i]!;
  }

  const w = new Float64Array(features.length);
  let bias = 0;
  const alpha = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = seeded(options.seed);
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    shuffle(order, rng);
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (let o = 0; o < n; o++) {
      const i = order[o]!;
      const d_ii = diag[i]!;
      if (d_ii === Infinity) continue;
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      let wx = bias;
      for (let k = from; k < to; k++) wx += w[cols[k]!]! * values[k]!;
      const yi = y[i]!;
      const a = alpha[i]!;
      const g = yi * wx - 1 + d_ii * a;
      const pg = a === 0 ? Math.min(g, 0) : g;
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (Math.abs(pg) < 1e-12) continue;
      const next = Math.max(a - g / qii[i]!, 0);
      alpha[i] = next;
      const d = (next - a) * yi;
      for (let k = from; k < to; k++) w[cols[k]!] = w[cols[k]!]! + d * values[k]!;
      bias += d;
    }
    if (maxPg - minPg <= options.tolerance) break;
  }

  // Nonzero weights by feature id: (id, column) packed in one number, so a plain numeric sort orders them.
  let nonzero = 0;
  for (let f = 0; f < w.length; f++) if (w[f] !== 0) nonzero++;
  const packed = new Float64Array(nonzero);
  for (let f = 0, j = 0; f < w.length; f++) if (w[f] !== 0) packed[j++] = features[f]! * FEATURE_SPACE + f;
  packed.sort();
  const ids = new Uint32Array(nonzero);
  const weights = new Float32Array(nonzero);
  for (let j = 0; j < nonzero; j++) {
    ids[j] = Math.floor(packed[j]! / FEATURE_SPACE);
    weights[j] = w[packed[j]! % FEATURE_SPACE]!;
  }
  return { ids, weights, bias };
}

/** The model's score of a vector: w·x + bias (positive = on the liked side). */
export function decision(model: LinearModel, x: SparseVector): number {
  let s = model.bias;
  for (let k = 0; k < x.ids.length; k++) {
    const j = lowerBound(model.ids, x.ids[k]!);
    if (j < model.ids.length && model.ids[j] === x.ids[k]) s += model.weights[j]! * x.values[k]!;
  }
  return s;
}

/** Each feature's share of the score, weight x value, largest magnitude first: what pushed it up or down. */
export function contributions(model: LinearModel, x: SparseVector): Array<{ id: number; contribution: number }> {
  const out: Array<{ id: number; contribution: number }> = [];
  for (let k = 0; k < x.ids.length; k++) {
    const j = lowerBound(model.ids, x.ids[k]!);
    if (j < model.ids.length && model.ids[j] === x.ids[k]) out.push({ id: x.ids[k]!, contribution: model.weights[j]! * x.values[k]! });
  }
  return out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.id - b.id);
}

function lowerBound(sorted: Uint32Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** mulberry32: a fixed seed, the same order on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
