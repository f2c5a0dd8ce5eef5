import { Events, type Client, type MessageReaction, type PartialMessageReaction, type PartialUser, type User } from 'discord.js';
import { actionId } from '../../src/commands/card-actions.ts';
import type { Runtime } from '../../src/commands/dispatch.ts';
import { applyPaperAction } from '../../src/commands/paper-actions.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import { describeError, errorRef } from '../../src/domain/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { redraw } from './buttons.ts';
import { PLATFORM } from './keys.ts';

const VOTE_EMOJI = new Set(['👍', '⬆']);
const SAVE_EMOJI = new Set(['🔖']);

/** Which paper action a unicode reaction stands for; skin tones and emoji presentation selectors ignored. */
export function reactionAction(emoji: { id: string | null; name: string | null }): 'vote' | 'save' | null {
  if (emoji.id !== null || !emoji.name) return null;
  const base = emoji.name.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '');
  if (VOTE_EMOJI.has(base)) return 'vote';
  if (SAVE_EMOJI.has(base)) return 'save';
  return null;
}

/**
 * 👍 / ⬆️ votes and 🔖 saves on a posted digest paper; removing the reaction undoes it.
 * Reactions by bots (this one included) are ignored, as are those on other messages.
 */
export function registerReactionHandlers(client: Client, rt: Runtime, log: Logger): void {
  client.on(Events.MessageReactionAdd, (reaction, user) => void onReaction(client, rt, log, reaction, user, true));
  client.on(Events.MessageReactionRemove, (reaction, user) => void onReaction(client, rt, log, reaction, user, false));
}

async function onReaction(
  client: Client,
  rt: Runtime,
  log: Logger,
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  added: boolean,
): Promise<void> {
  const fields = { message: reaction.message.id, user: user.id, emoji: reaction.emoji.name, added };
  try {
    const outcome = await applyReaction(client, rt, log, reaction, user, added);
    log.debug(outcome === 'applied' ? 'reaction applied' : 'reaction ignored', { ...fields, outcome });
  } catch (e) {
    // Nobody to answer: a reaction has no reply. Logged with a ref like every other failure.
    log.error('reaction failed', { ...fields, ref: errorRef(), err: e });
  }
}

type ReactionOutcome = 'applied' | 'not-ours' | 'by-bot' | 'not-a-digest-post';

async function applyReaction(
  client: Client,
  rt: Runtime,
  log: Logger,
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  added: boolean,
): Promise<ReactionOutcome> {
  const kind = reactionAction(reaction.emoji);
  if (!kind) return 'not-ours';
  // A removal carries only the user's id (so `bot` is unknown), but a bot's reaction never
  // counted, so taking it back changes nothing.
  if (user.id === client.user?.id || user.bot) return 'by-bot';
  const { guildId, channelId, id: messageId } = reaction.message;
  if (!guildId) return 'not-a-digest-post';
  const team = await rt.store.teams.findTeam(PLATFORM, guildId);
  const channel = team ? await rt.store.teams.findChannel(team.id, channelId) : undefined;
  const delivery = channel ? await rt.store.outbox.byMessage(channel.id, messageId) : undefined;
  if (!delivery) return 'not-a-digest-post';
  const result = await applyPaperAction(
    { kind, paperId: delivery.paper_id, team: { platform: PLATFORM, externalId: guildId }, channel: { externalId: channelId }, userId: user.id, set: added },
    rt,
  );
  if (kind === 'vote') await redrawCounts(reaction, delivery.paper_id, result.card, log);
  return 'applied';
}

/** Keeps the Upvote button's count in step with the reactions; the vote stands even if this fails. */
async function redrawCounts(reaction: MessageReaction | PartialMessageReaction, paperId: string, card: PaperCard, log: Logger): Promise<void> {
  try {
    const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
    const redrawn = redraw(message, actionId('vote', paperId), card);
    if (redrawn) await message.edit({ embeds: redrawn.embeds, components: redrawn.components, allowedMentions: { parse: [] } });
  } catch (e) {
    log.warn('could not redraw vote count after a reaction', { message: reaction.message.id, err: describeError(e) });
  }
}
