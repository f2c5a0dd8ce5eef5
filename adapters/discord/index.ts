import { Events } from 'discord.js';
import type { Config } from '../../src/config.ts';
import { formatShardIds } from '../../src/discord-shards.ts';
import type { AdapterDeps, PlatformAdapter } from '../types.ts';
import { createDiscordClient, loginDiscord } from './client.ts';
import { DEFAULT_INTERACTION_SETTINGS, registerInteractionHandlers, type InteractionSettings } from './interactions.ts';
import { createDiscordPoster } from './poster.ts';
import { DISCORD_GLOBAL_REQUESTS_PER_SECOND, shareGlobalLimit } from './rate-share.ts';
import { registerReactionHandlers } from './reactions.ts';
import { resolveShards } from './shards.ts';

export { classifyDiscordError } from './poster.ts';
export { DiscordLoginError } from './client.ts';

export interface DiscordStartOptions extends Partial<InteractionSettings> {
  /** How long login may take before it fails with a message (default 30 s). */
  loginTimeoutMs?: number;
  /**
   * How many instances share the bot token now (this one included); each paces itself to its
   * share of the global limit. Unset: this process is the only one.
   */
  liveInstances?: () => Promise<number>;
}

/**
 * Logs the bot in, answers /papers interactions and reactions, and returns the poster the
 * delivery layer uses. Rejects with a DiscordLoginError naming the problem when login fails.
 */
export async function startDiscord(deps: AdapterDeps<NonNullable<Config['discord']>>, options: DiscordStartOptions = {}): Promise<PlatformAdapter> {
  const log = deps.logger.child({ platform: 'discord' });
  // Each instance connects only its shards, so it gets only their guilds' interactions and reactions.
  const shards = deps.settings.shards ? await resolveShards(deps.settings.shards, deps.settings) : undefined;
  const client = createDiscordClient(deps.settings, shards);
  registerInteractionHandlers(client, deps.runtime, log, { deferAfterMs: options.deferAfterMs ?? DEFAULT_INTERACTION_SETTINGS.deferAfterMs });
  registerReactionHandlers(client, deps.runtime, log);
  client.on(Events.ShardDisconnect, (event, shard) => log.error('gateway closed for good', { shard, code: event.code }));
  let stopped = false;
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopped) log.info('gateway reconnecting', { shard });
  });
  client.on(Events.ShardResume, (shard, replayed) => log.info('gateway resumed', { shard, replayed }));
  client.on(Events.ShardError, (err, shard) => log.warn('gateway error', { shard, err }));
  client.on(Events.Warn, (msg) => log.warn('discord.js warning', { detail: msg }));
  client.on(Events.Error, (err) => log.error('discord.js error', { err }));

  await loginDiscord(client, deps.settings, options.loginTimeoutMs);
  log.info('discord ready', { user: client.user?.tag, guilds: client.guilds.cache.size, ...(shards && { shards: formatShardIds(shards.ids), shardCount: shards.count }) });
  const share = shareGlobalLimit(client.rest, {
    total: deps.settings.requestsPerSecond ?? DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    ...(options.liveInstances && { liveInstances: options.liveInstances }),
    logger: log,
  });
  await share.refresh();
  const poster = createDiscordPoster(client.rest, log, client.user ? { botUserId: client.user.id } : {});
  return {
    platform: 'discord',
    poster,
    connected: () => !stopped && client.isReady(),
    async stop() {
      if (stopped) return;
      stopped = true;
      share.stop();
      await client.destroy();
      client.removeAllListeners();
    },
  };
}
