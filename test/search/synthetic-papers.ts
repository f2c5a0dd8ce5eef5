import { seededRng, type Rng } from '../../bench/lib/prng.ts';
import type { Paper } from '../../src/domain/paper.ts';
import type { SearchQuery, Term } from '../../src/search/query.ts';
import { foldedWords, stem } from '../../src/search/words.ts';
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

/**
 * The papers a parsed query describes, by plain evaluation over their words (a phrase stays
 * within one field): title, abstract and keywords compared as Porter stems, author names as written.
 */
export function reference(q: SearchQuery, papers: Paper[]): string[] {
  const has = (list: string[], t: string[]) => list.some((_, i) => t.every((w, j) => list[i + j] === w));
  const stems = (text: string) => foldedWords(text).map(stem);
  const fields = (p: Paper) => {
    const title = stems(p.title);
    const authors = foldedWords(p.authors.join('; '));
    return { title, authors, text: [title, stems(p.abstract), stems(p.keywords.join('; '))] };
  };
  return papers
    .filter((p) => {
      const f = fields(p);
      const words = (t: Term) => foldedWords(t.tokens.join(' '));
      const stemmed = (t: Term) => words(t).map(stem);
      const matches = (t: Term) =>
        t.field === 'title'
          ? has(f.title, stemmed(t))
          : t.field === 'authors'
            ? has(f.authors, words(t))
            : f.text.some((list) => has(list, stemmed(t))) || has(f.authors, words(t));
      return q.must.every((c) => c.some(matches)) && !q.not.some(matches) && (!q.since || (p.publishedAt ?? '') >= q.since);
    })
    .map((p) => p.id)
    .sort();
}

