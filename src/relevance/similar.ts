import type { Paper } from '../domain/paper.ts';
import type { SearchQuery, Term } from '../search/query.ts';
import type { Store } from '../store/store.ts';
import { featureWords, readableTerms, termCounts } from './features.ts';
import { dot, sharedFeatures, tfidfVector, type SparseVector, type TermStats } from './tfidf.ts';

export const SIMILAR = {
  /** Papers returned. */
  results: 5,
  /** Candidates fetched from the search index and scored by cosine: bounds the work at any store size. */
  candidates: 300,
  /** The paper's words ORed into the candidate query. */
  queryWords: 8,
  /**
   * A query word must be in at most this share of papers (or this many, in a small store): the
   * rarer words of a paper find its neighbours. 10% finds 85% of the exhaustive top 5 on the
   * real corpus (2% finds 67%: neighbours share middling words too; `npm run bench -- --only similar`).
   */
  rareShare: 0.1,
  rareFloor: 200,
  /**
   * ...and in at most this many: below the search index's bound for scoring a word at all
   * (FtsTuning.maxScoredDf, 50,000), over which the clause would only list newest matches.
   */
  maxDf: 40_000,
  /** Below this cosine two papers share only incidental words. */
  minSimilarity: 0.05,
} as const;

export interface SimilarPaper {
  paperId: string;
  /** TF-IDF cosine, 0..1. */
  similarity: number;
  /** What the two papers share most, in the asked paper's words. */
  shared: string[];
}

export type SimilarResult =
  | { kind: 'found'; papers: SimilarPaper[]; candidates: number }
  /** The paper has no words to compare (no abstract, a title of stop words). */
  | { kind: 'no-text' }
  | { kind: 'none'; candidates: number };

/**
 * The papers most like `paper` by TF-IDF cosine over title and abstract (arxiv-sanity-lite's
 * "similar"), without scanning the store: the search index ranks the papers that share the
 * paper's most telling rare words, and the best few hundred of those are scored exactly.
 */
export async function findSimilar(store: Store, paper: Paper): Promise<SimilarResult> {
  const stats = await store.vectors.stats();
  const own = (await store.vectors.countsOf([paper.id])).get(paper.id) ?? termCounts(paper.title, paper.abstract);
  if (own.ids.length === 0) return { kind: 'no-text' };
  // Words that no other paper holds (or that half the store holds) drop out of the vector.
  const vector = tfidfVector(own, stats);
  if (vector.ids.length === 0) return { kind: 'none', candidates: 0 };
  const words = featureWords(paper.title, paper.abstract);
  const query = candidateQuery(vector, words, stats);
  if (!query) return { kind: 'none', candidates: 0 };

  const page = await store.search.search(query, { limit: SIMILAR.candidates + 1, offset: 0 });
  const ids = page.ids.filter((id) => id !== paper.id).slice(0, SIMILAR.candidates);
  const counts = await store.vectors.countsOf(ids);
  const scored: Array<{ paperId: string; similarity: number; x: SparseVector }> = [];
  for (const id of ids) {
    const tc = counts.get(id);
    if (!tc) continue;
    const x = tfidfVector(tc, stats);
    const similarity = dot(vector, x);
    if (similarity >= SIMILAR.minSimilarity) scored.push({ paperId: id, similarity, x });
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.paperId.localeCompare(b.paperId));
  if (scored.length === 0) return { kind: 'none', candidates: ids.length };
  const papers = scored.slice(0, SIMILAR.results).map((s) => ({
    paperId: s.paperId,
    similarity: s.similarity,
    shared: readableTerms(sharedFeatures(vector, s.x).flatMap((f) => words.get(f.id) ?? []), 3),
  }));
  return { kind: 'found', papers, candidates: ids.length };
}

/**
 * One clause ORing the paper's highest-weighted rare single words (as the paper writes them),
 * or, when it has none that rare, its highest-weighted words of any frequency.
 */
function candidateQuery(vector: SparseVector, words: Map<number, string>, stats: TermStats): SearchQuery | null {
  const unigrams: Array<{ word: string; weight: number; df: number }> = [];
  for (let k = 0; k < vector.ids.length; k++) {
    const word = words.get(vector.ids[k]!);
    if (word && !word.includes(' ')) unigrams.push({ word, weight: vector.values[k]!, df: stats.df[vector.ids[k]!] ?? 0 });
  }
  unigrams.sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word));
  const rareDf = Math.min(Math.max(SIMILAR.rareShare * stats.docCount, SIMILAR.rareFloor), SIMILAR.maxDf);
  const rare = unigrams.filter((u) => u.df <= rareDf);
  const chosen = (rare.length > 0 ? rare : unigrams).slice(0, SIMILAR.queryWords).map((u) => u.word);
  if (chosen.length === 0) return null;
  const clause: Term[] = chosen.map((w) => ({ tokens: [w], field: 'any' }));
  return { must: [clause], not: [], since: null, titleKey: null, text: chosen.join(' OR ') };
}
