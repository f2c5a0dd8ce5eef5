import type { Paper } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import type { PaperCard } from './types.ts';

/** Cards for papers as one team sees them; `userId` adds that person's own vote/save marks. */
export async function buildCards(
  store: Store,
  teamId: number,
  userId: string | null,
  papers: readonly Paper[],
  notes?: ReadonlyMap<string, string | null>,
): Promise<PaperCard[]> {
  const ids = papers.map((p) => p.id);
  const [votes, saves, voted, saved] = await Promise.all([
    store.votes.counts(teamId, ids),
    store.saves.counts(teamId, ids),
    userId ? store.votes.votedBy(teamId, userId, ids) : Promise.resolve(null),
    userId ? store.saves.savedBy(teamId, userId, ids) : Promise.resolve(null),
  ]);
  return papers.map((paper) => ({
    paper,
    teamVotes: votes.get(paper.id) ?? 0,
    saves: saves.get(paper.id) ?? 0,
    voted: voted ? voted.has(paper.id) : null,
    saved: saved ? saved.has(paper.id) : null,
    note: notes?.get(paper.id) ?? null,
  }));
}
