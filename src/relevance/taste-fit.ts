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
  /** Stops once the largest and smallest projected gradient are this close (liblinear's stopping rule). */
  tolerance: number;
  /** Seed of the per-epoch example order. */
  seed: number;
}

export const SVM_DEFAULTS: SvmOptions = { c: 1, maxEpochs: 60, tolerance: 0.02, seed: 20260821 };

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
  // Features seen in the examples, renumbered 0..F-1: the weights stay small and dense.
  const features = Uint32Array.from(new Set(examples.flatMap((e) => [...e.x.ids]))).sort();
  const local = examples.map((e) => Int32Array.from(e.x.ids, (id) => lowerBound(features, id)));

  const totalWeight = examples.reduce((s, e) => s + e.weight, 0);
  const classWeight = new Map<number, number>();
  for (const y of [1, -1]) {
    const w = examples.filter((e) => e.y === y).reduce((s, e) => s + e.weight, 0);
    classWeight.set(y, w > 0 ? totalWeight / (2 * w) : 0);
  }
  // Squared hinge: no upper bound on alpha; D_ii = 1 / (2 C_i) sits on the diagonal instead.
  const diag = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = examples[i]!;
    const ci = options.c * e.weight * classWeight.get(e.y)!;
    diag[i] = ci > 0 ? 1 / (2 * ci) : Infinity;
    let sq = 1; // the bias feature
    for (const v of e.x.values) sq += v * v;
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
    for (const i of order) {
      if (diag[i] === Infinity) continue;
      const e = examples[i]!;
      const idx = local[i]!;
      let wx = bias;
      for (let k = 0; k < idx.length; k++) wx += w[idx[k]!]! * e.x.values[k]!;
      const g = e.y * wx - 1 + diag[i]! * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (Math.abs(pg) < 1e-12) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qii[i]!, 0);
      const d = (alpha[i]! - old) * e.y;
      for (let k = 0; k < idx.length; k++) w[idx[k]!] = w[idx[k]!]! + d * e.x.values[k]!;
      bias += d;
    }
    if (maxPg - minPg <= options.tolerance) break;
  }

  const keep: number[] = [];
  for (let f = 0; f < w.length; f++) if (w[f] !== 0) keep.push(f);
  return { ids: Uint32Array.from(keep, (f) => features[f]!), weights: Float32Array.from(keep, (f) => w[f]!), bias };
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
