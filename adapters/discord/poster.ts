import { createHash } from 'node:crypto';
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError, RateLimitError, RESTJSONErrorCodes, Routes, type APIMessage, type REST } from 'discord.js';
import { actionId } from '../../src/commands/card-actions.ts';
import type { ChatPoster, DirectMessage, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import { payloadShape } from '../../src/delivery/payload-shape.ts';
import { describeError } from '../../src/domain/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { networkCode } from './client.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { headerKeyOf, renderOutbound } from './render.ts';

/** The most messages GET /channels/{id}/messages returns at once. */
const MESSAGES_PER_PAGE = 100;

export interface DiscordPosterOptions {
  /** The bot's user id (client.user.id); fetched once with GET /users/@me when not given. */
  botUserId?: string;
  /** Recent messages read to settle an uncertain post (Discord serves at most 100 per page). */
  lookupLimit?: number;
}

/**
 * Posts for the delivery layer through discord.js REST: its queue does the rate limiting and
 * the retries of 429s and 5xx; what is still failing afterwards is classified here.
 * `threadId` is not used on Discord: papers are posted in the channel itself (a thread would
 * need a thread per digest and the Create Public Threads permission).
 *
 * A retry cannot post twice. Within a few minutes Discord answers a repeated nonce
 * (enforce_nonce) with the message it already made. Later, e.g. after a long crash, that
 * window has closed, so a retry (`attempt` > 1) first reads the channel's recent messages for
 * the one it would post: a paper by its Upvote/Save button ids (a paper is delivered once per
 * channel), a header by the delivery key its embed footer names (two headers may read alike).
 */
export function createDiscordPoster(rest: REST, logger: Logger, options: DiscordPosterOptions = {}): ChatPoster {
  const lookupLimit = options.lookupLimit ?? MESSAGES_PER_PAGE;
  let me: Promise<string> | null = options.botUserId ? Promise.resolve(options.botUserId) : null;
  const botUserId = (): Promise<string> =>
    (me ??= (rest.get(Routes.user('@me')) as Promise<{ id: string }>).then(
      (u) => u.id,
      (e: unknown) => {
        me = null; // ask again next time
        throw e;
      },
    ));

  return {
    platform: 'discord',
    async post(channelId: string, message: OutboundMessage): Promise<PostOutcome> {
      const { content, embeds, components, allowed_mentions, file } = renderOutbound(message);
      let body: Record<string, unknown> | undefined;
      try {
        if ((message.attempt ?? 1) > 1) {
          const earlier = await findEarlierPost(rest, channelId, message, await botUserId(), lookupLimit);
          if (earlier) {
            logger.info('discord message already posted; not posting again', { channel: channelId, key: message.key, messageId: earlier });
            return { ok: true, messageId: earlier };
          }
        }
        // With enforce_nonce Discord answers a repeated nonce with the message it already made,
        // so a POST retried after a lost response cannot post the paper twice.
        body = { content, embeds, components, allowed_mentions, nonce: nonceFor(message.key), enforce_nonce: true };
        // With a file (the recap's chart) discord.js sends multipart: the message as payload_json, the file as files[0].
        const files = file ? [{ name: file.name, data: file.data, contentType: file.contentType }] : undefined;
        const created = (await rest.post(Routes.channelMessages(channelId), { body, ...(files && { files }) })) as { id: string };
        return { ok: true, messageId: created.id };
      } catch (e) {
        const outcome = classifyDiscordError(e);
        if (outcome.action === 'drop') {
          // Its shape (which field, how long), never its text: enough to find the renderer's bug.
          logger.error('discord refused the message as formed; given up, not retried', { channel: channelId, key: message.key, kind: message.kind, reason: outcome.reason, shape: payloadShape(body) });
        } else {
          logger.warn('discord post failed', { channel: channelId, key: message.key, action: outcome.action, err: describeError(e) });
        }
        return outcome;
      }
    },

    /**
     * A direct message: open (or find) the DM channel with the person, then post with a nonce
     * as a digest post is. A try in doubt first reads the DM's latest messages for the same
     * text (each notice's text names its paper and change, so it is unique). A person who
     * blocks DMs (403 50007) or left every shared server gives this message up, nothing more.
     */
    async postDirect(userId: string, message: DirectMessage): Promise<PostOutcome> {
      const { content, allowed_mentions } = renderOutbound({ kind: 'notice', key: message.key, text: message.text });
      try {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
        if (message.inDoubt) {
          const me = await botUserId();
          const recent = (await rest.get(Routes.channelMessages(dm.id), { query: new URLSearchParams({ limit: '50' }) })) as APIMessage[];
          const earlier = recent.find((m) => m.author.id === me && m.content === content);
          if (earlier) return { ok: true, messageId: earlier.id };
        }
        const created = (await rest.post(Routes.channelMessages(dm.id), { body: { content, allowed_mentions, nonce: nonceFor(message.key), enforce_nonce: true } })) as { id: string };
        return { ok: true, messageId: created.id };
      } catch (e) {
        const outcome = classifyDiscordError(e);
        logger.warn('discord direct message failed', { user: userId, key: message.key, action: outcome.action, err: describeError(e) });
        return outcome.action === 'retry' ? outcome : { ok: false, action: 'drop', reason: outcome.reason };
      }
    },
  };
}

/**
 * The id of a message this bot already posted for `message` among the channel's latest, or
 * null. Interaction replies (a /papers search showing the same paper) carry a webhook id and
 * are not digest posts. Notices are not looked up: they are best-effort. Without Read Message
 * History Discord returns no messages, and the nonce alone protects the retry.
 */
async function findEarlierPost(rest: REST, channelId: string, message: OutboundMessage, botUserId: string, limit: number): Promise<string | null> {
  const matches = earlierPostMatcher(message);
  if (!matches) return null;
  const recent = (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(limit) }) })) as APIMessage[];
  const found = recent.find((m) => m.author.id === botUserId && !m.webhook_id && matches(m));
  return found?.id ?? null;
}

function earlierPostMatcher(message: OutboundMessage): ((m: APIMessage) => boolean) | null {
  switch (message.kind) {
    case 'paper': {
      const ids = new Set([actionId('vote', message.card.paper.id), actionId('save', message.card.paper.id)]);
      return (m) => (m.components ?? []).some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && ids.has(c.custom_id)));
    }
    case 'header':
    case 'recap':
      return (m) => headerKeyOf(m) === message.key;
    case 'notice':
      return null;
  }
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
 * bots that keep making 401/403/429 requests), dead credentials disable the whole team, a 400
 * (the message itself is malformed) gives up that message only, and anything that may pass (5xx, network, a rate limit the library gave up on) is retried later.
 */
export function classifyDiscordError(e: unknown): PostOutcome & { ok: false } {
  if (e instanceof DiscordAPIError) {
    const code = typeof e.code === 'number' ? e.code : Number(e.code);
    const reason = `Discord ${e.status} ${code}: ${e.message}`;
    if (CHANNEL_GONE.has(code) || e.status === 403) return { ok: false, action: 'disable-channel', reason };
    if (e.status === 401) return { ok: false, action: 'disable-team', reason };
    // 50035 Invalid Form Body and its kin: this message as it is will never pass.
    if (e.status === 400 && e.method.toUpperCase() === 'POST') return { ok: false, action: 'drop', reason };
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
