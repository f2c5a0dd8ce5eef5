import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { snowflake } from './snowflake.ts';

/*
 * Gateway payloads built from recorded ones (test/fixtures/discord, see SOURCES.md there):
 * the recorded object is the starting point and only ids, command data, emoji, permissions,
 * and fields today's Discord adds (channel, entitlements, context) are set on it.
 */

const FIXTURES = new URL('../../fixtures/discord/', import.meta.url);

function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: Array<{ id: string; name: string }>;
}

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

/** Discord's permission bits as the member's `permissions` string carries them. */
export const Perm = {
  none: '0',
  /** What @everyone usually has: view, send, read history, use application commands. */
  member: String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 31n)),
  manageChannels: String((1n << 10n) | (1n << 11n) | (1n << 4n)),
  manageGuild: String((1n << 10n) | (1n << 11n) | (1n << 5n)),
  administrator: String(1n << 3n),
} as const;

export function guildCreatePayload(g: FakeGuild, ownerId: string): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    owner_id: ownerId,
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: '2026-01-01T00:00:00.000000+00:00',
    preferred_locale: 'en-US',
    features: [],
    premium_tier: 0,
    system_channel_id: null,
    roles: [{ id: g.id, name: '@everyone', permissions: Perm.member, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    channels: g.channels.map((c, i) => ({
      id: c.id,
      type: 0,
      name: c.name,
      position: i,
      parent_id: null,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
    })),
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface Where {
  appId: string;
  guild: FakeGuild;
  channelId: string;
  user: FakeUser;
  /** The member's permissions in the channel, as a bit string (Perm.*). */
  permissions: string;
}

export type CommandOption = { name: string; type: 3 | 4; value: string | number; focused?: boolean };

/** A member as the recorded INTERACTION_CREATE carries one, with our user and permissions. */
function member(base: any, where: Where): any {
  return {
    ...base,
    user: { ...base.user, id: where.user.id, username: where.user.username, global_name: null, bot: where.user.bot ?? false },
    roles: [],
    permissions: where.permissions,
  };
}

function interactionBase(where: Where, type: number): Record<string, any> {
  const recorded = fixture('gateway_interaction_create_chat_input.json').d;
  const channel = where.guild.channels.find((c) => c.id === where.channelId);
  return {
    ...recorded,
    id: snowflake(),
    type,
    token: `token-${randomBytes(12).toString('hex')}`,
    application_id: where.appId,
    guild_id: where.guild.id,
    channel_id: where.channelId,
    // Since 2022 Discord sends the channel as an object; discord.js 14 reads its id from there.
    channel: { id: where.channelId, type: 0, name: channel?.name ?? 'unknown', guild_id: where.guild.id, permissions: where.permissions, flags: 0 },
    member: member(recorded.member, where),
    app_permissions: '2248473465835073',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': where.guild.id },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

/** `/papers <subcommand> option:value ...` as Discord dispatches it. */
export function chatInputInteraction(where: Where, subcommand: string, options: CommandOption[] = []): Record<string, any> {
  const base = interactionBase(where, 2);
  return { ...base, data: { id: '1300000000000000001', name: 'papers', type: 1, guild_id: where.guild.id, options: [{ type: 1, name: subcommand, options }] } };
}

/** Autocomplete (type 4) for the option being typed: `value` is always a string. */
export function autocompleteInteraction(where: Where, subcommand: string, focused: { name: string; value: string }, others: CommandOption[] = []): Record<string, any> {
  const recorded = fixture('interaction_autocomplete_docs_partial.json');
  const typing = { ...recorded.data.options[0], name: focused.name, value: focused.value, focused: true };
  return {
    ...interactionBase(where, recorded.type),
    data: { ...recorded.data, id: '1300000000000000001', name: 'papers', options: [{ type: 1, name: subcommand, options: [...others, typing] }] },
  };
}

/** A click on a button of `message` (a message the fake holds). */
export function buttonInteraction(where: Where, message: Record<string, unknown>, customId: string): Record<string, any> {
  const recorded = fixture('interaction_message_component_button_docs.json');
  return {
    ...interactionBase(where, recorded.type),
    version: recorded.version,
    message,
    data: { ...recorded.data, custom_id: customId, component_type: 2 },
  };
}

export function reactionAdd(where: Omit<Where, 'permissions' | 'appId'>, messageId: string, emoji: string, messageAuthorId: string): Record<string, any> {
  const recorded = fixture('gateway_message_reaction_add.json').d;
  return {
    ...recorded,
    user_id: where.user.id,
    message_id: messageId,
    message_author_id: messageAuthorId,
    channel_id: where.channelId,
    guild_id: where.guild.id,
    emoji: { id: null, name: emoji },
    member: { ...recorded.member, user: { ...recorded.member.user, id: where.user.id, username: where.user.username, bot: where.user.bot ?? false } },
  };
}

export function reactionRemove(where: Omit<Where, 'permissions' | 'appId'>, messageId: string, emoji: string): Record<string, any> {
  const recorded = fixture('gateway_message_reaction_remove.json').d;
  return { ...recorded, user_id: where.user.id, message_id: messageId, channel_id: where.channelId, guild_id: where.guild.id, emoji: { id: null, name: emoji } };
}
