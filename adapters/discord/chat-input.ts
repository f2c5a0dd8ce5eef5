import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatInputCommandInteraction } from 'discord.js';
import { runCommand, type Invocation, type Runtime } from '../../src/commands/dispatch.ts';
import type { RawOptions } from '../../src/commands/options.ts';
import type { Reply } from '../../src/commands/types.ts';
import { channelKeyOf, displayNameOf, GUILD_ONLY, teamKeyOf } from './keys.ts';
import { editOptions, ephemeralText, replyOptions } from './message-options.ts';
import { isDiscordManager, MANAGER_REQUIREMENT } from './permissions.ts';
import { ROOT_COMMAND } from './registration.ts';
import { renderReply } from './render.ts';

/**
 * `/papers <sub>`: runs the command and answers inside Discord's 3 seconds. A reply ready
 * within `deferAfterMs` is sent as is; otherwise the interaction is deferred (Discord then
 * waits up to 15 minutes) and the reply edited in when it is ready.
 */
export async function answerChatInput(interaction: ChatInputCommandInteraction, rt: Runtime, deferAfterMs: number): Promise<void> {
  if (interaction.commandName !== ROOT_COMMAND) return;
  const team = teamKeyOf(interaction);
  const channel = channelKeyOf(interaction);
  if (!team || !channel) {
    await interaction.reply(ephemeralText(GUILD_ONLY));
    return;
  }
  const invocation: Invocation = {
    command: interaction.options.getSubcommand(true),
    options: rawOptionsOf(interaction),
    team,
    channel,
    user: { id: interaction.user.id, name: displayNameOf(interaction), isManager: () => isDiscordManager(interaction.memberPermissions) },
    managerRequirement: MANAGER_REQUIREMENT,
  };
  const work = runCommand(invocation, rt);
  const early = await within(work, deferAfterMs);
  if (early) {
    await interaction.reply(replyOptions(renderReply(early), early.ephemeral));
    return;
  }
  await interaction.deferReply();
  const reply = await work;
  const message = renderReply(reply);
  if (reply.ephemeral) {
    // A deferred reply keeps the visibility it was deferred with: a private answer would be
    // shown to the whole channel. So the public placeholder goes, and the answer follows privately.
    await interaction.deleteReply();
    await interaction.followUp(replyOptions(message, true));
  } else {
    await interaction.editReply(editOptions(message));
  }
}

/** The subcommand's options as Discord typed them (strings, integers). */
export function rawOptionsOf(interaction: ChatInputCommandInteraction): RawOptions {
  const sub = interaction.options.data[0];
  const out: RawOptions = {};
  for (const o of sub?.options ?? []) {
    if (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean') out[o.name] = o.value;
  }
  return out;
}

/** The reply if it is ready within `ms`, else null (the work goes on). */
async function within(work: Promise<Reply>, ms: number): Promise<Reply | null> {
  const timer = new AbortController();
  try {
    return await Promise.race([work, sleep(ms, null, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}
