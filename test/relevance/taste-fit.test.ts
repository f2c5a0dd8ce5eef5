import { describe, expect, it } from 'vitest';
import { contributions, decision, fitLinearSvm, SVM_DEFAULTS, type Example } from '../../src/relevance/taste-fit.ts';
import type { SparseVector } from '../../src/relevance/tfidf.ts';

/** An L2-normalized sparse vector from (feature, value) pairs. */
function vec(pairs: Array<[number, number]>): SparseVector {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const n = Math.hypot(...sorted.map((p) => p[1]));
  return { ids: Uint32Array.from(sorted.map((p) => p[0])), values: Float64Array.from(sorted.map((p) => p[1] / n)) };
}

// Liked papers hold feature 10 or 11 (the theme); others hold 20 or 21. Feature 1..6 are noise shared by both.
const examples: Example[] = [];
for (let i = 0; i < 12; i++) examples.push({ x: vec([[10 + (i % 2), 1], [1 + (i % 6), 0.5]]), y: 1, weight: 1 });
for (let i = 0; i < 40; i++) examples.push({ x: vec([[20 + (i % 2), 1], [1 + (i % 6), 0.5]]), y: -1, weight: 0.5 });

describe('the taste model (linear SVM, dual coordinate descent)', () => {
  it('learns positive weights for the liked features and negative ones for the others', () => {
    const m = fitLinearSvm(examples);
    const w = (f: number) => m.weights[m.ids.indexOf(f)] ?? 0;
    expect(w(10)).toBeGreaterThan(0.3);
    expect(w(11)).toBeGreaterThan(0.3);
    expect(w(20)).toBeLessThan(-0.3);
    expect(w(21)).toBeLessThan(-0.3);
    for (const e of examples) expect(Math.sign(decision(m, e.x))).toBe(e.y);
    // A new paper on the theme scores above one off it, and the theme word is what lifts it.
    const onTheme = vec([[10, 1], [3, 1]]);
    expect(decision(m, onTheme)).toBeGreaterThan(decision(m, vec([[20, 1], [3, 1]])));
    expect(contributions(m, onTheme)[0]).toMatchObject({ id: 10 });
    expect(contributions(m, onTheme)[0]!.contribution).toBeGreaterThan(0);
  });

  it('is deterministic: the same examples give the same weights, bit for bit', () => {
    const a = fitLinearSvm(examples);
    const b = fitLinearSvm([...examples]);
    expect(b.ids).toEqual(a.ids);
    expect(b.weights).toEqual(a.weights);
    expect(b.bias).toBe(a.bias);
  });

  it('lets a heavier example count more', () => {
    // One ambiguous paper (features 10 and 20 alike): its label pulls harder with more weight.
    const ambiguous = vec([[10, 1], [20, 1]]);
    const light = fitLinearSvm([...examples, { x: ambiguous, y: -1, weight: 0.1 }]);
    const heavy = fitLinearSvm([...examples, { x: ambiguous, y: -1, weight: 20 }]);
    expect(decision(heavy, ambiguous)).toBeLessThan(decision(light, ambiguous));
  });

  it('gives no weight to a feature only one example holds', () => {
    const m = fitLinearSvm([...examples, { x: vec([[10, 1], [99, 1]]), y: 1, weight: 1 }]);
    expect([...m.ids]).not.toContain(99);
    expect([...m.ids]).toContain(10);
    expect([...fitLinearSvm([...examples, { x: vec([[10, 1], [99, 1]]), y: 1, weight: 1 }], { ...SVM_DEFAULTS, minExamples: 1 }).ids]).toContain(99);
  });

  it('returns an empty model for no examples', () => {
    expect(fitLinearSvm([])).toMatchObject({ bias: 0 });
  });
});
