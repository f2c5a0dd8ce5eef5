import { Events, type Client, type Interaction } from 'discord.js';
import { errorReply, type Runtime } from '../../src/commands/dispatch.ts';
import type { Logger } from '../../src/logger.ts';
import { answerAutocomplete } from './autocomplete.ts';
import { answerButton } from './buttons.ts';
import { answerChatInput } from './chat-input.ts';
import { ephemeralText } from './message-options.ts';
import { escapeReplyText } from './text.ts';

export interface InteractionSettings {
  /**
   * How long a command may run before it is deferred. Discord's 3 s count from when the
   * interaction was created and include both network trips, so this leaves most of them spare.
   */
  deferAfterMs: number;
}

export const DEFAULT_INTERACTION_SETTINGS: InteractionSettings = { deferAfterMs: 1500 };

export function registerInteractionHandlers(client: Client, rt: Runtime, log: Logger, settings: InteractionSettings): void {
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, rt, log, settings));
}

async function handleInteraction(interaction: Interaction, rt: Runtime, log: Logger, settings: InteractionSettings): Promise<void> {
  const ilog = log.child({ interaction: interaction.id, guild: interaction.guildId, channel: interaction.channelId, user: interaction.user.id });
  try {
    if (interaction.isChatInputCommand()) await answerChatInput(interaction, rt, settings.deferAfterMs);
    else if (interaction.isAutocomplete()) await answerAutocomplete(interaction, rt, ilog);
    else if (interaction.isButton()) await answerButton(interaction, rt, ilog);
  } catch (e) {
    // runCommand turns handler failures into replies; this catches the adapter's own (a
    // failed callback, an unexpected payload) so the person still hears something.
    const text = escapeReplyText(errorReply(e, ilog).text);
    if (!interaction.isRepliable()) return;
    try {
      if (interaction.deferred || interaction.replied) await interaction.followUp(ephemeralText(text));
      else await interaction.reply(ephemeralText(text));
    } catch (again) {
      ilog.warn('could not tell the user about a failure', { err: again });
    }
  }
}
