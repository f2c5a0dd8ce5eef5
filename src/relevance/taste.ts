import { createHash } from 'node:crypto';
import type { Paper } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { FEATURE_VERSION, featureWords, readableTerms, termCounts, type TermCounts } from './features.ts';
import { contributions, decision, fitLinearSvm, type Example, type LinearModel } from './taste-fit.ts';
import { tfidfVector, type SparseVector, type TermStats } from './tfidf.ts';

/** Below this many liked papers a team's taste is a guess: digests keep ranking by upvotes. */
export const TASTE_MIN_POSITIVES = 10;

/**
 * How much each negative counts against a liked paper (1). A paper posted to the team and left
 * untouched may simply have gone unread: a weak negative. Papers listed beside liked ones are
 * weaker still, but give a team that never got a digest something to contrast with (as
 * arxiv-sanity-lite contrasts each tag with every other paper).
 */
export const NEGATIVE_WEIGHTS = { delivered: 0.5, listedBeside: 0.25 } as const;
/**
 * What a fit reads, at most: the most recent liked papers, and negatives up to a few per liked
 * paper (posted ones first, then listed-beside ones, the newest of each). Bounds the fitting
 * time of a team with years of signals; the newest signals say most about its taste now.
 */
export const FIT_BOUNDS = { positives: 500, negativesPerPositive: 2, minNegatives: 50, negatives: 1_000 } as const;

/** A team's fitted taste: scores papers and says which words moved each score. */
export class TasteModel {
  constructor(
    readonly model: LinearModel,
    /** Liked papers and negatives it was fitted on. */
    readonly positives: number,
    readonly negatives: number,
  ) {}

  /** w·x + b over the paper's TF-IDF vector: above 0, on the liked side. */
  score(x: SparseVector): number {
    return decision(this.model, x);
  }

  /**
   * The words that pushed a paper's score up and down most (weight x TF-IDF value, as
   * arxiv-sanity-lite shows its SVM's top weights), in the paper's own words.
   */
  explain(paper: Pick<Paper, 'title' | 'abstract'>, x: SparseVector, top = 5): { score: number; up: string[]; down: string[] } {
    const words = featureWords(paper.title, paper.abstract);
    const parts = contributions(this.model, x).filter((c) => words.has(c.id));
    const pick = (sign: 1 | -1) => readableTerms(parts.filter((c) => Math.sign(c.contribution) === sign).map((c) => words.get(c.id)!), top);
    return { score: this.score(x), up: pick(1), down: pick(-1) };
  }
}

export interface TeamTaste {
  /** Distinct papers the team voted for or saved. */
  positives: number;
  /** Null below TASTE_MIN_POSITIVES. */
  model: TasteModel | null;
}

/**
 * The team's taste model, fitted on its current signals: reused from the store when the
 * signals are the ones it was fitted on, refitted (and stored) when a vote, save or delivery
 * changed them. So a digest plan, /papers why and /papers recommend share one fit.
 */
export async function teamTaste(store: Store, teamId: number, now: Date = new Date()): Promise<TeamTaste> {
  const allPositives = await store.taste.positives(teamId);
  if (allPositives.length < TASTE_MIN_POSITIVES) return { positives: allPositives.length, model: null };
  const liked = new Set(allPositives);
  const positives = allPositives.slice(0, FIT_BOUNDS.positives);
  const wanted = Math.min(FIT_BOUNDS.negatives, Math.max(FIT_BOUNDS.minNegatives, FIT_BOUNDS.negativesPerPositive * positives.length));
  const delivered = (await store.taste.delivered(teamId, wanted + liked.size)).filter((id) => !liked.has(id)).slice(0, wanted);
  const shown = new Set(delivered);
  const besideWanted = wanted - delivered.length;
  const beside =
    besideWanted > 0 ? (await store.taste.listedBesideLiked(teamId, besideWanted + liked.size + shown.size)).filter((id) => !liked.has(id) && !shown.has(id)).slice(0, besideWanted) : [];
  const key = signalsKey(positives, delivered, beside);

  const stored = await store.taste.model(teamId);
  if (stored && stored.signalsKey === key) {
    return { positives: allPositives.length, model: new TasteModel({ ids: stored.ids, weights: stored.weights, bias: stored.bias }, stored.positives, stored.negatives) };
  }

  const stats = await store.vectors.stats();
  const counts = await store.vectors.countsOf([...positives, ...delivered, ...beside]);
  const examples: Example[] = [];
  const add = (ids: readonly string[], y: 1 | -1, weight: number) => {
    for (const id of ids) {
      const tc = counts.get(id);
      if (tc) examples.push({ x: tfidfVector(tc, stats), y, weight });
    }
  };
  add(positives, 1, 1);
  add(delivered, -1, NEGATIVE_WEIGHTS.delivered);
  add(beside, -1, NEGATIVE_WEIGHTS.listedBeside);
  const model = fitLinearSvm(examples);
  const negatives = delivered.length + beside.length;
  await store.taste.saveModel(teamId, { signalsKey: key, positives: positives.length, negatives, ...model, fittedAt: now.toISOString() });
  return { positives: allPositives.length, model: new TasteModel(model, positives.length, negatives) };
}

/** A digest of everything a fit depends on: the feature scheme and the three id lists (each sorted). */
function signalsKey(positives: readonly string[], delivered: readonly string[], beside: readonly string[]): string {
  const h = createHash('sha256');
  h.update(`v${FEATURE_VERSION}\n`);
  for (const [name, ids] of [['liked', positives], ['shown', delivered], ['beside', beside]] as const) h.update(`${name}:${[...ids].sort().join(',')}\n`);
  return h.digest('hex');
}

/** TF-IDF vectors of papers, from their stored term counts (or their text, if a paper has none stored). */
export async function paperVectors(store: Store, papers: ReadonlyArray<Pick<Paper, 'id' | 'title' | 'abstract'>>): Promise<{ stats: TermStats; vectors: Map<string, SparseVector> }> {
  const stats = await store.vectors.stats();
  const counts = await store.vectors.countsOf(papers.map((p) => p.id));
  const vectors = new Map<string, SparseVector>();
  for (const p of papers) vectors.set(p.id, tfidfVector(counts.get(p.id) ?? termCounts(p.title, p.abstract), stats));
  return { stats, vectors };
}

/** Taste scores of papers by id (papers with no stored vector score as an empty text would). */
export async function tasteScores(store: Store, taste: TasteModel, paperIds: readonly string[]): Promise<Map<string, number>> {
  const stats = await store.vectors.stats();
  const counts = await store.vectors.countsOf(paperIds);
  const empty: TermCounts = { ids: new Uint32Array(0), counts: new Uint32Array(0) };
  return new Map(paperIds.map((id) => [id, taste.score(tfidfVector(counts.get(id) ?? empty, stats))]));
}
