import { buildCards } from '../commands/cards.ts';
import type { DigestPostResult } from '../commands/types.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';
import { planChannelDigest } from '../digest/preview.ts';
import type { Store } from '../store/store.ts';
import type { ChatPoster } from './port.ts';

/** Chat posters by platform name; adapters register theirs when they start. */
export class Posters {
  private readonly byPlatform = new Map<string, ChatPoster>();
  register(poster: ChatPoster): void {
    this.byPlatform.set(poster.platform, poster);
  }
  get(platform: string): ChatPoster | undefined {
    return this.byPlatform.get(platform);
  }
}

/** Posts a channel's digest right away (a manager's `/papers digest post`). */
export async function postDigestNow(
  channelId: number,
  deps: { store: Store; posters: Posters; clock: Clock; logger: Logger },
): Promise<DigestPostResult> {
  const { store, posters, clock, logger } = deps;
  const channel = await store.teams.getChannel(channelId);
  if (!channel) throw new Error(`channel ${channelId} does not exist`);
  const team = await store.db.selectFrom('teams').selectAll().where('id', '=', channel.team_id).executeTakeFirstOrThrow();
  const poster = posters.get(team.platform);
  if (!poster) return { posted: 0, note: `I'm not connected to ${team.platform} right now, so I can't post here.` };
  const plan = await planChannelDigest(store, channelId, { clock, logger });
  if (plan.picked.length === 0) return { posted: 0, note: 'Nothing new to post: every matching paper was already posted here. `/papers digest` explains.' };
  const papers = await store.papers.getMany(plan.picked.map((p) => p.paperId));
  const cards = await buildCards(store, team.id, null, papers);
  let posted = 0;
  for (const [i, card] of cards.entries()) {
    const outcome = await poster.post(channel.external_id, { kind: 'paper', key: `now-${channel.id}-${plan.digestDate}-${card.paper.id}`, card, digestDate: plan.digestDate });
    if (!outcome.ok) {
      logger.warn('digest post failed', { channelId, paperId: card.paper.id, outcome });
      return { posted, note: `Posting stopped after ${posted}: ${outcome.reason}` };
    }
    await store.deliveries.recordPosted({ channelId, digestDate: plan.digestDate, paperId: card.paper.id, rank: i + 1, messageId: outcome.messageId }, clock.now());
    posted++;
  }
  return { posted };
}
