import { UserError } from '../domain/errors.ts';
import type { ChannelKey, TeamKey } from '../store/teams.ts';
import { buildCards } from './cards.ts';
import { plural } from './text.ts';
import type { Runtime } from './dispatch.ts';
import type { PaperCard } from './types.ts';

export interface PaperAction {
  kind: 'vote' | 'save';
  paperId: string;
  team: TeamKey;
  channel: ChannelKey;
  userId: string;
  /** true/false sets (a reaction added/removed); undefined toggles (a button). */
  set?: boolean;
}

export interface PaperActionResult {
  /** The paper as the team now sees it, for redrawing the message. */
  card: PaperCard;
  /** What happened, for an ephemeral confirmation. */
  message: string;
}

/** A vote or save from a button or a reaction, applied for one user within one team. */
export async function applyPaperAction(a: PaperAction, rt: Pick<Runtime, 'store' | 'clock'>): Promise<PaperActionResult> {
  const { store, clock } = rt;
  const now = clock.now();
  const paper = await store.papers.get(a.paperId);
  if (!paper) throw new UserError('not_found', `I no longer have paper ${a.paperId}.`);
  const team = await store.teams.ensureTeam(a.team, now);
  let message: string;
  if (a.kind === 'vote') {
    const state =
      a.set === undefined ? await store.votes.toggle(team.id, a.userId, paper.id, now) : await store.votes.set(team.id, a.userId, paper.id, a.set, now);
    message = state.voted ? `Upvoted ${paper.id} (${plural(state.count, 'team vote')}).` : `Removed your vote on ${paper.id}.`;
  } else {
    const saved = a.set ?? !(await store.saves.find(team.id, a.userId, paper.id));
    if (saved) await store.saves.save(team.id, a.userId, paper.id, null, now);
    else await store.saves.unsave(team.id, a.userId, paper.id);
    message = saved ? `Saved ${paper.id} to your reading list (\`/papers saved\`).` : `Removed ${paper.id} from your reading list.`;
  }
  const [card] = await buildCards(store, team.id, null, [paper]);
  return { card: card!, message };
}
