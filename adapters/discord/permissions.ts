import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

/** How a refusal names what a manager needs, in Discord's own words. */
export const MANAGER_REQUIREMENT = 'the Manage Channels or Manage Server permission';

/**
 * Whoever may change the channel's settings: Manage Channels or Manage Server (Discord's
 * "Manage Guild"). `has` counts Administrator as every permission.
 */
export function isDiscordManager(permissions: Readonly<PermissionsBitField> | null): boolean {
  if (!permissions) return false;
  return permissions.has(PermissionFlagsBits.ManageChannels) || permissions.has(PermissionFlagsBits.ManageGuild);
}
