import { safeHttpUrl } from '../domain/paper.ts';
import type { CardAction, PaperCard } from './types.ts';

/** The buttons every platform shows under a paper, in order: Upvote, Save, then links. */
export function cardActions(card: PaperCard): CardAction[] {
  const { paper } = card;
  const links: Array<[string, string | null]> = [
    ['arXiv', paper.links.arxiv],
    ['PDF', paper.links.pdf],
    ['HF', paper.links.hf],
    ['Code', paper.links.github],
  ];
  return [
    { kind: 'vote', paperId: paper.id, count: card.teamVotes, active: card.voted },
    { kind: 'save', paperId: paper.id, active: card.saved },
    ...links.flatMap(([label, raw]): CardAction[] => {
      const url = safeHttpUrl(raw);
      return url ? [{ kind: 'open', label, url }] : [];
    }),
  ];
}

/** Button ids carry the action and paper: `pb:vote:2608.14391`. Short enough for Discord's 100 and Slack's 255. */
export function actionId(kind: 'vote' | 'save', paperId: string): string {
  return `pb:${kind}:${paperId}`;
}

export function parseActionId(id: string): { kind: 'vote' | 'save'; paperId: string } | null {
  const m = /^pb:(vote|save):(.{1,40})$/.exec(id);
  return m ? { kind: m[1] as 'vote' | 'save', paperId: m[2]! } : null;
}
