import type { BaseInteraction } from 'discord.js';
import type { ChannelKey, TeamKey } from '../../src/store/teams.ts';

export const PLATFORM = 'discord';

/** A guild is a team; Paperboy is not used in DMs (the command is registered for guilds only). */
export function teamKeyOf(interaction: BaseInteraction): TeamKey | null {
  if (!interaction.guildId) return null;
  return { platform: PLATFORM, externalId: interaction.guildId, name: interaction.guild?.name ?? null };
}

export function channelKeyOf(interaction: BaseInteraction): ChannelKey | null {
  if (!interaction.channelId) return null;
  const channel = interaction.channel;
  return { externalId: interaction.channelId, name: channel && 'name' in channel ? (channel.name ?? null) : null };
}

export function displayNameOf(interaction: BaseInteraction): string {
  const member = interaction.member;
  const nick = member && 'displayName' in member ? member.displayName : (member?.nick ?? null);
  return nick ?? interaction.user.globalName ?? interaction.user.username;
}

export const GUILD_ONLY = 'Paperboy works in server channels, not in direct messages.';
