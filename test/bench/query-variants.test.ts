import { describe, expect, it } from 'vitest';
import { buildKnownItemQueries } from '../../bench/lib/known-item.ts';
import { seededRng } from '../../bench/lib/prng.ts';
import { flipNumber, midTyping, swapAdjacent, swappablePairs, twoKeywords, withNumberFlipped, withOneTypo } from '../../bench/lib/query-variants.ts';

/** The words of `a` and `b` that differ, as [from, to] pairs. */
function changedWords(a: string, b: string): Array<[string, string]> {
  const x = a.split(' ');
  const y = b.split(' ');
  expect(y).toHaveLength(x.length);
  return x.flatMap((w, i) => (w === y[i] ? [] : [[w, y[i]!] as [string, string]]));
}

describe('number flip', () => {
  it('turns plurals singular and singulars plural by the regular rules', () => {
    const pairs: Array<[string, string]> = [
      ['models', 'model'],
      ['policies', 'policy'],
      ['losses', 'loss'],
      ['patches', 'patch'],
      ['boxes', 'box'],
      ['agent', 'agents'],
      ['policy', 'policies'],
      ['delay', 'delays'],
      ['loss', 'losses'],
      ['LLMs', 'LLM'],
      ['BERT', 'BERTs'],
    ];
    for (const [from, to] of pairs) expect(flipNumber(from), from).toBe(to);
  });

  it('leaves words with irregular plurals alone', () => {
    expect(flipNumber('corpus')).toBeNull();
    expect(flipNumber('analysis')).toBeNull();
  });

  it('flips exactly one alphabetic word of four letters or more', () => {
    for (let seed = 0; seed < 30; seed++) {
      const text = 'RL of multi-agent large language models';
      const flipped = withNumberFlipped(text, seededRng(seed))!;
      const changed = changedWords(text, flipped);
      expect(changed).toHaveLength(1);
      const [from, to] = changed[0]!;
      expect(['large', 'language', 'models']).toContain(from);
      expect(to).toBe(flipNumber(from));
    }
  });

  it('gives up when no word qualifies', () => {
    expect(withNumberFlipped('RL of 3D', seededRng(1))).toBeNull();
    expect(withNumberFlipped('multi-agent corpus', seededRng(1))).toBeNull();
  });
});

describe('typo', () => {
  it('swaps only inner letters that differ', () => {
    expect(swappablePairs('model')).toEqual([1, 2]);
    expect(swappablePairs('hello')).toEqual([1]);
    expect(swappablePairs('book')).toEqual([]);
    expect(swappablePairs('multi-agent')).toEqual([]);
    expect(swapAdjacent('model', 2)).toBe('moedl');
  });

  it('changes one word of five letters or more by one adjacent swap, first and last letters kept', () => {
    for (let seed = 0; seed < 30; seed++) {
      const text = 'diffusion transformer for RL';
      const typo = withOneTypo(text, seededRng(seed))!;
      const changed = changedWords(text, typo);
      expect(changed).toHaveLength(1);
      const [from, to] = changed[0]!;
      expect(['diffusion', 'transformer']).toContain(from);
      expect(to[0]).toBe(from[0]);
      expect(to.at(-1)).toBe(from.at(-1));
      const at = [...from].findIndex((c, i) => c !== to[i]);
      expect(at).toBeGreaterThan(0);
      expect(swapAdjacent(from, at)).toBe(to);
    }
  });

  it('gives up when no word is long enough', () => {
    expect(withOneTypo('a big cat', seededRng(1))).toBeNull();
    expect(withOneTypo('aaaaa', seededRng(1))).toBeNull();
  });
});

describe('mid-typing', () => {
  it('keeps three title words and cuts the last to four letters', () => {
    expect(midTyping('Diffusion Transformers Scale Well')).toBe('Diffusion Transformers Scal');
    expect(midTyping('UNCAGE: Contrastive Attention Guidance')).toBe('UNCAGE: Contrastive Atte');
  });

  it('leaves a short third word whole and needs three words', () => {
    expect(midTyping('A Survey of LLMs')).toBe('A Survey of');
    expect(midTyping('Qwen2 Report')).toBeNull();
  });
});

describe('known-item queries', () => {
  const papers = Array.from({ length: 40 }, (_, i) => ({
    id: `2501.${String(i).padStart(5, '0')}`,
    title: i % 5 === 0 ? 'Short' : `Paper number ${i} about models`,
    keywords: i % 4 === 0 ? ['only one'] : ['diffusion models', 'policy learning', `keyword ${i}`],
  }));

  it('picks two different keywords of the paper', () => {
    for (let seed = 0; seed < 20; seed++) {
      const [a, b] = twoKeywords(['RL', 'rl', 'world models', 'agents'], seededRng(seed))!;
      expect(a.toLowerCase()).not.toBe(b.toLowerCase());
      expect(['RL', 'world models', 'agents']).toContain(a);
      expect(['RL', 'world models', 'agents']).toContain(b);
    }
    expect(twoKeywords(['RL', 'rl'], seededRng(1))).toBeNull();
  });

  it('draws only papers with two keywords, counts the variants it cannot build, and is repeatable', () => {
    const set = buildKnownItemQueries(papers, 1000, 7);
    expect(set.eligible).toBe(30);
    expect(set.sampled).toBe(30);
    expect(set.skipped['mid-typing']).toBe(papers.filter((p, i) => i % 4 !== 0 && p.title === 'Short').length);
    expect(buildKnownItemQueries(papers, 1000, 7)).toEqual(set);
    expect(buildKnownItemQueries(papers, 1000, 8).queries).not.toEqual(set.queries);
  });

  it('a smaller sample is the start of a larger one, with the same queries', () => {
    const small = buildKnownItemQueries(papers, 10, 3);
    const large = buildKnownItemQueries(papers, 20, 3);
    expect(large.queries.slice(0, small.queries.length)).toEqual(small.queries);
  });
});
