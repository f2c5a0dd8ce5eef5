import { Client, DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from '../../src/config.ts';

export type DiscordSettings = NonNullable<Config['discord']>;

/** Discord's own API root, used when DISCORD_API_URL is not set. */
export const DEFAULT_DISCORD_API = 'https://discord.com/api';

/**
 * The least the bot needs: Guilds (guild and channel caches, and with them interactions'
 * channel names) and GuildMessageReactions (👍 / 🔖 on digest posts). No message content,
 * no members: both are privileged or unneeded.
 */
export const DISCORD_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions] as const;

/**
 * Reactions come in for messages posted before a restart, which are not in the cache:
 * without these partials discord.js drops them silently. User is needed for removals, whose
 * payload carries only a user id.
 */
export const DISCORD_PARTIALS = [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User] as const;

/**
 * `shards`: the gateway shards this process runs, out of `count` (resolveShards in shards.ts);
 * unset, discord.js runs its default single shard. discord.js then identifies each shard as
 * [id, count] and paces the IDENTIFYs by GET /gateway/bot's session_start_limit.max_concurrency.
 */
export function createDiscordClient(settings: Pick<DiscordSettings, 'apiUrl'>, shards?: { ids: readonly number[]; count: number }): Client {
  return new Client({
    intents: [...DISCORD_INTENTS],
    ...(shards && { shards: [...shards.ids], shardCount: shards.count }),
    partials: [...DISCORD_PARTIALS],
    allowedMentions: { parse: [] },
    // The library appends /v10 itself; gateway discovery goes through the same root.
    rest: settings.apiUrl ? { api: settings.apiUrl } : {},
  });
}

export class DiscordLoginError extends Error {
  override readonly name = 'DiscordLoginError';
}

/** How long login may take before we say so rather than wait forever on a silent gateway. */
const LOGIN_TIMEOUT_MS = 30_000;

/**
 * Logs in and resolves once the client is ready (every guild received). A failure rejects
 * with a DiscordLoginError that says what to fix, and leaves no connection behind.
 */
export async function loginDiscord(client: Client, settings: DiscordSettings, timeoutMs = LOGIN_TIMEOUT_MS): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DiscordLoginError(`Discord did not get ready within ${Math.round(timeoutMs / 1000)} s (API ${apiRoot(settings)}); check the network or DISCORD_API_URL.`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([client.login(settings.token).then(() => ready), timeout]);
  } catch (e) {
    await client.destroy().catch(() => undefined);
    throw e instanceof DiscordLoginError ? e : new DiscordLoginError(explainLoginError(e, settings));
  } finally {
    clearTimeout(timer);
  }
}

function apiRoot(settings: Pick<DiscordSettings, 'apiUrl'>): string {
  return settings.apiUrl ?? DEFAULT_DISCORD_API;
}

/** A login failure in words a person can act on. */
export function explainLoginError(e: unknown, settings: Pick<DiscordSettings, 'apiUrl'>): string {
  const api = apiRoot(settings);
  if ((e instanceof DiscordjsError && e.code === DiscordjsErrorCodes.TokenInvalid) || (e instanceof Error && e.message === 'Authentication failed')) {
    return 'Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy a fresh token from the Developer Portal (your application > Bot > Reset Token) into DISCORD_TOKEN.';
  }
  if (e instanceof DiscordAPIError && e.status === 401) {
    return `Discord rejected DISCORD_TOKEN (401 Unauthorized at ${api}). Copy a fresh token from the Developer Portal (your application > Bot > Reset Token) into DISCORD_TOKEN.`;
  }
  if (e instanceof Error && e.message === 'Invalid shard') {
    return 'Discord refused a gateway shard (close code 4010, invalid shard): check that PAPERBOY_DISCORD_SHARD_IDS lies within PAPERBOY_DISCORD_SHARDS, that every instance sets the same PAPERBOY_DISCORD_SHARDS, and that no two instances run the same shard.';
  }
  if (e instanceof Error && e.message === 'Sharding is required') {
    return 'Discord requires this bot to shard (close code 4011: too many servers for one connection). Set PAPERBOY_DISCORD_SHARDS=auto, or a count of at least what GET /gateway/bot recommends.';
  }
  if (e instanceof Error && /^Not enough sessions remaining/.test(e.message)) {
    return `Discord allows no more gateway sessions for now (session_start_limit): ${e.message}. Wait until then, or start fewer shards on this instance.`;
  }
  if (e instanceof Error && /disallowed intents/i.test(e.message)) {
    return 'Discord refused the gateway intents the bot asked for. Paperboy needs no privileged intents: check that this is the right application.';
  }
  if (e instanceof DiscordAPIError) {
    return `Discord answered ${e.status} (${e.code}: ${e.message}) at ${api} while logging in.`;
  }
  const code = networkCode(e);
  if (code) return `Could not reach the Discord API at ${api} (${code}). Check the network, or DISCORD_API_URL if you set it.`;
  return `Discord login failed: ${e instanceof Error ? e.message : String(e)}`;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** The network error code anywhere in an error's cause chain (undici wraps them), or null. */
export function networkCode(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (cur instanceof Error && cur.name === 'AbortError') return 'timed out';
    if (cur instanceof AggregateError && cur.errors.length > 0) cur = cur.errors[0];
    else cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}
