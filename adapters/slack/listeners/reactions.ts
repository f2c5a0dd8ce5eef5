import type { App, webApi } from '@slack/bolt';
import { applyPaperAction, type PaperActionResult } from '../../../src/commands/paper-actions.ts';
import { isUserError } from '../../../src/domain/errors.ts';
import type { Logger } from '../../../src/logger.ts';
import { BOT_EVENTS } from '../manifest.ts';
import { replaceCardActions } from '../render.ts';
import { readMessage } from '../threads.ts';
import type { SlackListenerContext } from './context.ts';

/** Emoji names (as Slack sends them, skin tone stripped) that vote or save. */
const REACTION_KINDS: Readonly<Record<string, 'vote' | 'save'>> = {
  '+1': 'vote',
  thumbsup: 'vote',
  arrow_up: 'vote',
  bookmark: 'save',
};

export function reactionKind(reaction: string): 'vote' | 'save' | null {
  return REACTION_KINDS[reaction.split('::')[0]!] ?? null;
}

/** The parts of reaction_added / reaction_removed this uses. */
export interface ReactionEvent {
  type: 'reaction_added' | 'reaction_removed';
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
  event_ts: string;
}

/**
 * 👍 / ⬆️ vote and 🔖 saves on a digest paper message; removing the reaction undoes it. The
 * message is then redrawn with the new counts, as after a button click.
 */
export function registerReactions(app: App, ctx: SlackListenerContext): void {
  for (const name of BOT_EVENTS) {
    app.event(name, async ({ event, body, context, client }) => {
      const eventId = (body as { event_id?: string }).event_id;
      const teamId = context.teamId ?? (body as { team_id?: string }).team_id;
      if (!eventId || !teamId) return;
      const botUserId = context.botUserId ?? ctx.botUserId;
      await handleReaction(event as ReactionEvent, { eventId, teamId, retryNum: context.retryNum, botUserId }, ctx, client);
    });
  }
}

export async function handleReaction(
  e: ReactionEvent,
  meta: { eventId: string; teamId: string; retryNum?: number | undefined; botUserId: string | null },
  ctx: SlackListenerContext,
  client: webApi.WebClient,
): Promise<void> {
  const log = ctx.logger.child({ event: meta.eventId, team: meta.teamId, user: e.user, reaction: e.reaction });
  if (!ctx.events.claim(meta.eventId)) {
    log.debug('slack event already handled; dropping the copy', { retryNum: meta.retryNum });
    return;
  }
  const kind = reactionKind(e.reaction);
  if (!kind || e.item.type !== 'message' || !e.item.channel || !e.item.ts || e.user === meta.botUserId) {
    log.debug('slack reaction ignored', { why: kind ? 'not a message, or the bot itself' : 'not a vote or save emoji' });
    return;
  }
  try {
    const { store } = ctx.runtime;
    const team = await store.teams.findTeam('slack', meta.teamId);
    const channel = team && (await store.teams.findChannel(team.id, e.item.channel));
    const delivery = channel && (await store.outbox.byMessage(channel.id, e.item.ts));
    if (!delivery) {
      log.debug('slack reaction ignored', { why: 'not on a digest paper message' });
      return;
    }
    if (!ctx.events.isNewest(`${meta.teamId}:${e.user}:${e.item.channel}:${e.item.ts}:${kind}`, e.event_ts)) {
      log.info('slack reaction event older than one already applied; ignoring it');
      return;
    }
    const { channel: channelId, ts } = e.item;
    // Serialized with the buttons' clicks on the same message (same key), so the last redraw carries the newest count.
    const r = await ctx.serial.run(`${channelId}:${ts}`, async () => {
      const applied = await applyPaperAction(
        { kind, paperId: delivery.paper_id, team: { platform: 'slack', externalId: meta.teamId }, channel: { externalId: channelId }, userId: e.user, set: e.type === 'reaction_added' },
        ctx.runtime,
      );
      await redrawReacted(client, channelId, ts, applied, log);
      return applied;
    });
    log.info('slack reaction applied', { paper: delivery.paper_id, kind, message: r.message });
  } catch (err) {
    if (isUserError(err)) {
      log.info('slack reaction not applied', { reason: err.message });
      return;
    }
    // Let Slack's redelivery try again (setting a vote or save twice is harmless).
    ctx.events.release(meta.eventId);
    throw err;
  }
}

/** The reacted-to message, read back from Slack, with its paper's buttons showing the new counts. */
async function redrawReacted(client: webApi.WebClient, channel: string, ts: string, r: PaperActionResult, log: Logger): Promise<void> {
  try {
    const message = await readMessage(client, channel, ts);
    const blocks = replaceCardActions(message?.blocks, r.card);
    if (!message || !blocks) {
      log.debug('slack reaction: no buttons to redraw', { found: message !== null });
      return;
    }
    await client.chat.update({ channel, ts, text: message.text || r.card.paper.title, blocks });
  } catch (err) {
    // The vote or save is recorded; only the drawing of its count is stale until the next one.
    log.warn('slack redraw after a reaction failed', { err });
  }
}
