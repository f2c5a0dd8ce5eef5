import { describe, expect, it } from 'vitest';
import { corpusItems, readCorpusDays, CORPUS_CANDIDATES } from '../../bench/lib/corpus.ts';
import { featureId, featureWords, readableTerms, termCounts, type TermCounts } from '../../src/relevance/features.ts';
import { decodeTermCounts, encodeTermCounts } from '../../src/relevance/term-codec.ts';
import { dot, idf, sublinearTf, termStatsOf, tfidfVector, type SparseVector } from '../../src/relevance/tfidf.ts';
import { termsOf } from '../../src/relevance/tokenize.ts';

const valueOf = (v: SparseVector, term: string) => {
  const k = v.ids.indexOf(featureId(term));
  return k < 0 ? undefined : v.values[k];
};
const norm = (v: SparseVector) => Math.sqrt(v.values.reduce((s, x) => s + x * x, 0));

describe('terms', () => {
  it('are folded, stop-word-free, Porter-stemmed unigrams and the bigrams of neighbouring content words', () => {
    expect(termsOf('The Agents of Résumé-Learning, in 3D and 2024!')).toEqual([
      { term: 'agent', surface: 'agents' },
      { term: 'agent resum', surface: 'agents resume' },
      { term: 'resum', surface: 'resume' },
      { term: 'resum learn', surface: 'resume learning' },
      { term: 'learn', surface: 'learning' },
      { term: 'learn 3d', surface: 'learning 3d' },
      { term: '3d', surface: '3d' },
    ]);
  });

  it('give "agent" and "agents" one feature, and never join the title to the abstract', () => {
    const a = termCounts('Agents', 'An agent plans.');
    const b = termCounts('Agent', 'Agents plan.');
    expect(a).toEqual(b);
    expect([...a.ids]).not.toContain(featureId('agent agent'));
    expect([...a.ids]).toContain(featureId('agent plan'));
  });

  it('are counted the same by the ingest path as by spelling them out, on real abstracts', () => {
    const days = readCorpusDays(CORPUS_CANDIDATES[1]!);
    const papers = corpusItems(days.slice(0, 40)).items.map((i) => i.paper);
    expect(papers.length).toBeGreaterThan(200);
    for (const p of papers) {
      const byHand = new Map<number, number>();
      for (const t of [...termsOf(p.title), ...termsOf(p.abstract)]) byHand.set(featureId(t.term), (byHand.get(featureId(t.term)) ?? 0) + 1);
      const tc = termCounts(p.title, p.abstract);
      expect(new Map([...tc.ids].map((id, i) => [id, tc.counts[i]!])), p.id).toEqual(byHand);
    }
  });

  it('are shown in the paper\'s own most used form, without repeating a shown word', () => {
    const words = featureWords('Agents that plan', 'Planning agents and an agent planner: agents plan.');
    expect(words.get(featureId('agent'))).toBe('agents');
    expect(words.get(featureId('agent plan'))).toBe('agents plan');
    expect(readableTerms(['black box', 'black', 'box models', 'models', 'harness'], 3)).toEqual(['black box', 'box models', 'harness']);
  });
});

describe('stored term counts', () => {
  it('round-trip through their bytes', () => {
    const ids = Uint32Array.from([0, 1, 5, 130, 16_383, 16_384, 700_000, (1 << 20) - 1]);
    const tc: TermCounts = { ids, counts: Uint32Array.from([1, 2, 1, 300, 1, 1, 7, 1]) };
    expect(decodeTermCounts(encodeTermCounts(tc))).toEqual(tc);
    expect(decodeTermCounts(encodeTermCounts({ ids: new Uint32Array(0), counts: new Uint32Array(0) })).ids).toHaveLength(0);
  });

  it('take about two bytes a feature for a real abstract (a few hundred features, small gaps)', () => {
    const papers = corpusItems(readCorpusDays(CORPUS_CANDIDATES[1]!).slice(0, 20)).items.map((i) => i.paper);
    let bytes = 0;
    let features = 0;
    for (const p of papers) {
      const tc = termCounts(p.title, p.abstract);
      const encoded = encodeTermCounts(tc);
      expect(decodeTermCounts(encoded)).toEqual(tc);
      bytes += encoded.length;
      features += tc.ids.length;
    }
    expect(features / papers.length).toBeGreaterThan(100);
    expect(bytes / features).toBeLessThan(2.5);
  });
});

describe('TF-IDF on a hand-made corpus', () => {
  // agent: in p1 (3 times) and p4; tool: p1 and p2; diffus: p3 and p4; model: p3 only.
  const corpus = [
    termCounts('Agents', 'agent agent tools'),
    termCounts('Tools', 'tool use'),
    termCounts('Diffusion', 'diffusion models'),
    termCounts('Agents for diffusion', 'diffusion agents'),
  ];
  const stats = termStatsOf(corpus);
  const everything = { minDf: 1, maxDfRatio: 1 };

  it('counts document frequencies', () => {
    expect(stats.docCount).toBe(4);
    expect(stats.df[featureId('agent')]).toBe(2);
    expect(stats.df[featureId('tool')]).toBe(2);
    expect(stats.df[featureId('model')]).toBe(1);
    expect(stats.df[featureId('agent agent')]).toBe(1);
  });

  it('weighs sublinear tf by smoothed idf, then L2-normalizes', () => {
    expect(sublinearTf(1)).toBe(1);
    expect(sublinearTf(3)).toBeCloseTo(1 + Math.log(3), 12);
    expect(idf(2, 4)).toBeCloseTo(Math.log(5 / 3) + 1, 12);
    const v = tfidfVector(corpus[0]!, stats, everything);
    // p1: agent x3 (title once, abstract twice), tool x1, "agent agent" x1, "agent tool" x1.
    const raw = {
      agent: (1 + Math.log(3)) * (Math.log(5 / 3) + 1),
      tool: Math.log(5 / 3) + 1,
      'agent agent': Math.log(5 / 2) + 1,
      'agent tool': Math.log(5 / 2) + 1,
    };
    const length = Math.hypot(...Object.values(raw));
    expect(v.ids).toHaveLength(4);
    for (const [term, x] of Object.entries(raw)) expect(valueOf(v, term), term).toBeCloseTo(x / length, 12);
    expect(norm(v)).toBeCloseTo(1, 12);
  });

  it('leaves out features held by one paper (min df 2) and by more than half of them (max df)', () => {
    const v = tfidfVector(corpus[0]!, stats);
    expect(valueOf(v, 'agent agent')).toBeUndefined();
    expect(valueOf(v, 'agent')).toBeGreaterThan(valueOf(v, 'tool')!);
    expect(norm(v)).toBeCloseTo(1, 12);
    const crowded = termStatsOf([...corpus, termCounts('Agents', ''), termCounts('Agents', '')]);
    expect(crowded.df[featureId('agent')]).toBe(4);
    expect(valueOf(tfidfVector(corpus[0]!, crowded), 'agent')).toBeUndefined();
  });

  it('gives cosine 1 to a paper and itself, 0 to papers sharing nothing, in between otherwise', () => {
    const [a, b, c, d] = corpus.map((tc) => tfidfVector(tc, stats, everything));
    expect(dot(a!, a!)).toBeCloseTo(1, 12);
    expect(dot(a!, c!)).toBe(0);
    expect(dot(a!, d!)).toBeGreaterThan(0);
    expect(dot(a!, d!)).toBeLessThan(1);
    expect(dot(a!, d!)).toBeGreaterThan(dot(a!, b!));
  });
});
