import { createHash } from 'node:crypto';
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError, RateLimitError, RESTJSONErrorCodes, Routes, type REST } from 'discord.js';
import type { ChatPoster, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import { describeError } from '../../src/domain/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { networkCode } from './client.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { renderOutbound } from './render.ts';

/**
 * Posts for the delivery layer through discord.js REST: its queue does the rate limiting and
 * the retries of 429s and 5xx; what is still failing afterwards is classified here.
 * `threadId` is not used on Discord: papers are posted in the channel itself (a thread would
 * need a thread per digest and the Create Public Threads permission).
 */
export function createDiscordPoster(rest: REST, logger: Logger): ChatPoster {
  return {
    platform: 'discord',
    async post(channelId: string, message: OutboundMessage): Promise<PostOutcome> {
      const { content, embeds, components, allowed_mentions } = renderOutbound(message);
      try {
        const created = (await rest.post(Routes.channelMessages(channelId), {
          // With enforce_nonce Discord answers a repeated nonce with the message it already made,
          // so a POST retried after a lost response cannot post the paper twice.
          body: { content, embeds, components, allowed_mentions, nonce: nonceFor(message.key), enforce_nonce: true },
        })) as { id: string };
        return { ok: true, messageId: created.id };
      } catch (e) {
        const outcome = classifyDiscordError(e);
        logger.warn('discord post failed', { channel: channelId, key: message.key, action: outcome.ok ? null : outcome.action, err: describeError(e) });
        return outcome;
      }
    },
  };
}

/** A nonce of at most 25 characters, the same for the same delivery key. */
export function nonceFor(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, DISCORD_LIMITS.nonce);
}

/** Errors that mean "this channel is closed to the bot": posting again cannot help. */
const CHANNEL_GONE = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel, // 10003
  RESTJSONErrorCodes.MissingAccess, // 50001
  RESTJSONErrorCodes.MissingPermissions, // 50013
  RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel, // 50008
  RESTJSONErrorCodes.ThreadLocked, // 160005
]);

/**
 * What to do after a failed post, from the error discord.js threw. Pure, so each mapping is
 * tested without a network: a channel that is gone or closed to us is disabled (Discord bans
 * bots that keep making 401/403/429 requests), dead credentials disable the whole team,
 * and anything that may pass (5xx, network, a rate limit the library gave up on) is retried later.
 */
export function classifyDiscordError(e: unknown): PostOutcome & { ok: false } {
  if (e instanceof DiscordAPIError) {
    const code = typeof e.code === 'number' ? e.code : Number(e.code);
    const reason = `Discord ${e.status} ${code}: ${e.message}`;
    if (CHANNEL_GONE.has(code) || e.status === 403) return { ok: false, action: 'disable-channel', reason };
    if (e.status === 401) return { ok: false, action: 'disable-team', reason };
    return { ok: false, action: 'retry', reason };
  }
  if (e instanceof RateLimitError) return { ok: false, action: 'retry', reason: `rate limited on ${e.route}`, retryAfterMs: e.retryAfter };
  if (e instanceof HTTPError) return { ok: false, action: 'retry', reason: `Discord ${e.status} ${e.message}` };
  if (e instanceof DiscordjsError && e.code === DiscordjsErrorCodes.TokenInvalid) return { ok: false, action: 'disable-team', reason: 'the bot token is invalid' };
  // After one 401 the REST client drops its token; every later call fails with this message.
  if (e instanceof Error && /Expected token to be set/.test(e.message)) return { ok: false, action: 'disable-team', reason: 'the bot token was rejected' };
  const net = networkCode(e);
  return { ok: false, action: 'retry', reason: net ? `network: ${net}` : describeError(e) };
}
