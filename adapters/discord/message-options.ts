import { MessageFlags, type InteractionReplyOptions, type InteractionUpdateOptions, type InteractionEditReplyOptions } from 'discord.js';
import type { DiscordMessage } from './render.ts';

/*
 * A rendered message in the option shape discord.js's interaction methods take. The JSON
 * embeds and rows pass through as they are; allowed mentions are set again here because an
 * interaction payload does not inherit the client default when it names its own.
 */

const NO_MENTIONS = { parse: [] };

function files(m: DiscordMessage) {
  return m.file ? [{ attachment: m.file.data, name: m.file.name, contentType: m.file.contentType }] : [];
}

export function replyOptions(m: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    ...(m.content !== undefined && { content: m.content }),
    embeds: m.embeds,
    components: m.components,
    files: files(m),
    allowedMentions: NO_MENTIONS,
    ...(ephemeral && { flags: MessageFlags.Ephemeral as const }),
  };
}

export function editOptions(m: DiscordMessage): InteractionEditReplyOptions {
  return { ...(m.content !== undefined && { content: m.content }), embeds: m.embeds, components: m.components, files: files(m), allowedMentions: NO_MENTIONS };
}

export function updateOptions(m: Pick<DiscordMessage, 'embeds' | 'components'>): InteractionUpdateOptions {
  return { embeds: m.embeds, components: m.components, allowedMentions: NO_MENTIONS };
}

export function ephemeralText(content: string): InteractionReplyOptions {
  return { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}
