import type { Paper } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { paperVectors, tasteScores, teamTaste } from './taste.ts';

export interface Recommendations {
  /** How the picks are ranked: the team's taste model, or HF upvotes while it has too few signals. */
  by: 'taste' | 'upvotes';
  positives: number;
  picks: Array<{ paperId: string; note: string | null }>;
}

/**
 * A team's best papers listed between two days that it has not seen: never posted or queued in
 * one of its channels, never voted for or saved by anyone in it. By its taste model once it has
 * one, else by HF upvotes.
 */
export async function recommendations(store: Store, teamId: number, from: string, to: string, limit: number, now: Date): Promise<Recommendations> {
  const listed = (await store.papers.listedBetween(from, to)).map((l) => l.paperId);
  const seen = await store.taste.seen(teamId, listed);
  const unseen = listed.filter((id) => !seen.has(id));
  const taste = await teamTaste(store, teamId, now);
  if (!taste.model) {
    const picks = (await papersIn(store, unseen))
      .sort((a, b) => b.upvotes - a.upvotes || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map((p) => ({ paperId: p.id, note: null }));
    return { by: 'upvotes', positives: taste.positives, picks };
  }
  const model = taste.model;
  const scores = await tasteScores(store, model, unseen);
  const best = [...scores].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0])).slice(0, limit);
  const papers = await store.papers.getMany(best.map(([id]) => id));
  const { vectors } = await paperVectors(store, papers);
  const picks = papers.map((paper) => {
    const why = model.explain(paper, vectors.get(paper.id)!, 3);
    return { paperId: paper.id, note: why.up.length ? `For your team's taste: ${why.up.join(', ')}` : null };
  });
  return { by: 'taste', positives: taste.positives, picks };
}

/** Papers by id, a bounded IN list at a time (a month of listings can be thousands). */
async function papersIn(store: Store, ids: readonly string[]): Promise<Paper[]> {
  const out: Paper[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await store.papers.getMany(ids.slice(i, i + 500))));
  return out;
}
