import { ComponentType, type APIEmbed, type ButtonInteraction, type Message } from 'discord.js';
import { parseActionId } from '../../src/commands/card-actions.ts';
import { errorReply, type Runtime } from '../../src/commands/dispatch.ts';
import { applyPaperAction } from '../../src/commands/paper-actions.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import type { Logger } from '../../src/logger.ts';
import { channelKeyOf, GUILD_ONLY, teamKeyOf } from './keys.ts';
import { ephemeralText, updateOptions } from './message-options.ts';
import { replaceCard, type ButtonRow } from './render.ts';
import { escapeReplyText } from './text.ts';

/**
 * Upvote / Save under a paper: toggles it for the person who clicked, redraws that paper's
 * embed and buttons with the team's new counts, and tells the person privately what changed.
 */
export async function answerButton(interaction: ButtonInteraction, rt: Runtime, log: Logger): Promise<void> {
  const action = parseActionId(interaction.customId);
  if (!action) {
    await interaction.reply(ephemeralText('That button is not one of mine any more.'));
    return;
  }
  const team = teamKeyOf(interaction);
  const channel = channelKeyOf(interaction);
  if (!team || !channel) {
    await interaction.reply(ephemeralText(GUILD_ONLY));
    return;
  }
  let result;
  try {
    result = await applyPaperAction({ kind: action.kind, paperId: action.paperId, team, channel, userId: interaction.user.id }, rt);
  } catch (e) {
    await interaction.reply(ephemeralText(escapeReplyText(errorReply(e, log).text)));
    return;
  }
  const redrawn = redraw(interaction.message, interaction.customId, result.card);
  if (redrawn) {
    await interaction.update(updateOptions(redrawn));
    await interaction.followUp(ephemeralText(escapeReplyText(result.message)));
  } else {
    await interaction.reply(ephemeralText(escapeReplyText(result.message)));
  }
}

/** The message's embeds and button rows with `card` redrawn where `customId` sits. */
export function redraw(message: Message, customId: string, card: PaperCard): { embeds: APIEmbed[]; components: ButtonRow[] } | null {
  const embeds = message.embeds.map((e) => e.toJSON());
  const rows = message.components.flatMap((c) => {
    const json = c.toJSON();
    return json.type === ComponentType.ActionRow ? [json as ButtonRow] : [];
  });
  return replaceCard({ embeds, components: rows }, customId, card);
}
