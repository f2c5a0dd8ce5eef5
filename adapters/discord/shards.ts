import { REST, Routes, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { checkShardIds, ShardSettingError, type ShardPlan } from '../../src/discord-shards.ts';
import { DiscordLoginError, explainLoginError, type DiscordSettings } from './client.ts';

/** The shards a client runs: discord.js's `shards` and `shardCount` client options. */
export interface ShardAssignment {
  ids: number[];
  count: number;
}

/**
 * Turns the configured plan into explicit ids and a count. `auto` is resolved here, from
 * GET /gateway/bot's `shards`, rather than left to discord.js: given a subset of ids and no
 * count, @discordjs/ws takes the highest id + 1 as the count, which routes guilds wrongly
 * when this instance runs only part of the shards. `fetchRecommended` is for tests.
 */
export async function resolveShards(plan: ShardPlan, settings: Pick<DiscordSettings, 'token' | 'apiUrl'>, fetchRecommended = () => recommendedShards(settings)): Promise<ShardAssignment> {
  let count: number;
  if (plan.count === 'auto') {
    try {
      count = await fetchRecommended();
    } catch (e) {
      throw new DiscordLoginError(`Could not ask Discord how many shards to run (PAPERBOY_DISCORD_SHARDS=auto): ${explainLoginError(e, settings)}`);
    }
  } else {
    count = plan.count;
  }
  if (!plan.ids) return { ids: Array.from({ length: count }, (_, i) => i), count };
  try {
    checkShardIds(plan.ids, count, plan.count === 'auto' ? `PAPERBOY_DISCORD_SHARDS=auto (Discord recommends ${count})` : `PAPERBOY_DISCORD_SHARDS=${count}`);
  } catch (e) {
    // With auto, the count can change under running instances: a fixed count is the safer fleet setting.
    if (e instanceof ShardSettingError && plan.count === 'auto') throw new DiscordLoginError(`${e.message} With several instances, set PAPERBOY_DISCORD_SHARDS to a fixed count, the same on each.`);
    throw e instanceof ShardSettingError ? new DiscordLoginError(e.message) : e;
  }
  return { ids: [...plan.ids], count };
}

/** Discord's recommended shard count for this bot (GET /gateway/bot). */
async function recommendedShards(settings: Pick<DiscordSettings, 'token' | 'apiUrl'>): Promise<number> {
  // A one-off client: no sweeper timers left behind to keep the process alive.
  const rest = new REST({ hashSweepInterval: 0, handlerSweepInterval: 0, ...(settings.apiUrl && { api: settings.apiUrl }) }).setToken(settings.token);
  const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  if (!Number.isInteger(info.shards) || info.shards < 1) throw new Error(`GET /gateway/bot answered shards: ${JSON.stringify(info.shards)}`);
  return info.shards;
}
