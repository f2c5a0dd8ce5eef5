import { describe, expect, it } from 'vitest';
import { countOccurrences, NaiveSearch, naiveQueryWords } from '../../bench/lib/naive-search.ts';

const paper = (id: string, title: string, abstract: string, authors: string[] = []) => ({ id, title, abstract, authors });

/**
 * Scores worked out by hand with arxiv-sanity-lite's formula: per query word, 10 if in the
 * authors, 20 if in the title, plus its count in the summary capped at 3.
 */
const PAPERS = [
  // diffusion: title 20 + summary 4 -> 3; models: title 20 = 43
  paper('2501.00001', 'Diffusion Models for Audio', 'We study diffusion. Diffusion, diffusion and diffusion.', ['Ann Lee']),
  // diffusion: authors 10 + summary 1; models: summary 1 = 12
  paper('2501.00002', 'Transformers', 'Diffusion models are not discussed.', ['Bob Diffusion']),
  // models: title 20 + summary 3 = 23 (counts do not overlap: "modelsmodels" is two)
  paper('2501.00003', 'A Model of Models', 'modelsmodels models models', ['Cy Park']),
  // diffusion: title 20, twice: ties broken by id, descending
  paper('2501.00004', 'Diffusion', 'Nothing else.', []),
  paper('2501.00005', 'Diffusion', 'Nothing else.', []),
  paper('2501.00006', 'Unrelated', 'Nothing at all.', ['Dee Diaz']),
];

describe("arxiv-sanity-lite's search_rank, ported", () => {
  const search = new NaiveSearch(PAPERS);

  it('ranks by its weights, then by paper id descending', () => {
    expect(search.search('Diffusion  models', 10)).toEqual([
      { id: '2501.00001', score: 43 },
      { id: '2501.00003', score: 23 },
      { id: '2501.00005', score: 20 },
      { id: '2501.00004', score: 20 },
      { id: '2501.00002', score: 12 },
    ]);
    expect(search.search('diffusion models', 3).map((h) => h.id)).toEqual(['2501.00001', '2501.00003', '2501.00005']);
  });

  it('matches substrings, so half-typed words and plurals of the query still score', () => {
    expect(search.search('diff', 10).map((h) => h.id)).toEqual(['2501.00001', '2501.00005', '2501.00004', '2501.00002']);
    expect(search.search('model', 1)).toEqual([{ id: '2501.00003', score: 23 }]);
  });

  it('leaves out papers that score nothing, and answers nothing to an empty query', () => {
    expect(search.search('quantum', 10)).toEqual([]);
    expect(search.search('   ', 10)).toEqual([]);
  });

  it('gives what scoring every paper gives, for short, common and absent words', () => {
    for (const q of ['a', 'of models', 'diffusion models', 'dee', 'zz nothing', 'e e']) expect(search.search(q, 4), q).toEqual(search.searchExhaustive(q, 4));
  });

  it("counts like Python's str.count and splits like str.split", () => {
    expect(countOccurrences('aaaa', 'aa')).toBe(2);
    expect(countOccurrences('abcabcabcabc', 'abc', 3)).toBe(3);
    expect(countOccurrences('abc', 'x')).toBe(0);
    expect(naiveQueryWords('  Large\tLanguage  MODELS ')).toEqual(['large', 'language', 'models']);
  });
});
