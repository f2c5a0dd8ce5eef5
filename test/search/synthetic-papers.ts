import { seededRng, type Rng } from '../../bench/lib/prng.ts';
import type { Paper } from '../../src/domain/paper.ts';
import { wordTokens, type SearchQuery, type Term } from '../../src/search/query.ts';
import { paper } from './hand-made-papers.ts';

/** Papers from a small Zipf-distributed vocabulary: some words are in nearly every paper, some in few. */
export const VOCAB = [
  ...['the', 'of', 'model', 'language', 'learning', 'diffusion', 'graph', 'agent', 'vision', 'speech', 'robot', 'kernel', 'sparse', 'mamba', 'quantum', 'zebra'],
  ...Array.from({ length: 44 }, (_, i) => `term${i}`),
];
export const NAMES = ['Ada Byron', 'Tri Dao', 'Albert Gu', 'Lena Park', 'Minh Dao', 'Ines Moreau'];

/** Zipf-like: "the" is in nearly every paper, the last words in a few percent. */
export function words(r: Rng, n: number): string {
  return Array.from({ length: n }, () => VOCAB[Math.floor(Math.exp(r.next() * Math.log(VOCAB.length + 1))) - 1]!).join(' ');
}

/** Any word, common or rare, equally likely: queries should hit both. */
export function anyWord(r: Rng): string {
  return r.chance(0.5) ? r.pick(VOCAB) : words(r, 1);
}

export function syntheticPapers(n: number): Paper[] {
  const r = seededRng(99);
  return Array.from({ length: n }, (_, i) =>
    paper(`2501.${String(i + 1).padStart(5, '0')}`, words(r, 3 + r.int(5)), words(r, 10 + r.int(30)), {
      authors: Array.from({ length: 1 + r.int(3) }, () => r.pick(NAMES)),
      keywords: r.chance(0.5) ? [words(r, 2)] : [],
      publishedAt: `2025-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}T00:00:00.000Z`,
    }),
  );
}

/** The papers a parsed query describes, by plain evaluation over their words (a phrase stays within one field). */
export function reference(q: SearchQuery, papers: Paper[]): string[] {
  const has = (list: string[], t: string[]) => list.some((_, i) => t.every((w, j) => list[i + j] === w));
  const fields = (p: Paper): Record<Term['field'], string[][]> => {
    const title = wordTokens(p.title);
    const authors = wordTokens(p.authors.join('; '));
    return { title: [title], authors: [authors], any: [title, wordTokens(p.abstract), authors, wordTokens(p.keywords.join('; '))] };
  };
  return papers
    .filter((p) => {
      const f = fields(p);
      const matches = (t: Term) => f[t.field].some((list) => has(list, t.tokens));
      return q.must.every((c) => c.some(matches)) && !q.not.some(matches) && (!q.since || (p.publishedAt ?? '') >= q.since);
    })
    .map((p) => p.id)
    .sort();
}

