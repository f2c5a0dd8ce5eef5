/**
 * Which Discord gateway shards this instance runs (PAPERBOY_DISCORD_SHARDS and
 * PAPERBOY_DISCORD_SHARD_IDS), parsed without any Discord library: the Discord adapter hands
 * the result to discord.js as its `shards` / `shardCount` client options.
 */

/** The total shard count (`auto`: Discord's recommendation from GET /gateway/bot) and this instance's ids (null: all). */
export interface ShardPlan {
  count: number | 'auto';
  ids: readonly number[] | null;
}

/** More shards than any bot has needed; a typo like `0-99999999` must not allocate an array that size. */
export const MAX_SHARDS = 100_000;

export class ShardSettingError extends Error {
  override readonly name = 'ShardSettingError';
}

/** `auto` or a whole number of shards, at least 1. */
export function parseShardCount(raw: string): number | 'auto' {
  const value = raw.trim().toLowerCase();
  if (value === 'auto') return 'auto';
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_SHARDS) {
    throw new ShardSettingError(`PAPERBOY_DISCORD_SHARDS must be "auto" or a whole number of shards from 1 to ${MAX_SHARDS} (got "${raw}").`);
  }
  return Number(value);
}

/** `0-3`, `4,5` or `0-1,3`: ids and inclusive ranges, comma-separated, each id once; sorted. */
export function parseShardIds(raw: string): number[] {
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) {
      throw new ShardSettingError(`PAPERBOY_DISCORD_SHARD_IDS must list shard ids and ranges like "0-3", "4,5" or "0-1,3" (could not read "${part}" in "${raw}").`);
    }
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new ShardSettingError(`PAPERBOY_DISCORD_SHARD_IDS: the range "${part}" runs backwards; write it as ${to}-${from}.`);
    if (to >= MAX_SHARDS) throw new ShardSettingError(`PAPERBOY_DISCORD_SHARD_IDS: shard ${to} is beyond any shard count (at most ${MAX_SHARDS} shards).`);
    for (let id = from; id <= to; id++) {
      if (seen.has(id)) throw new ShardSettingError(`PAPERBOY_DISCORD_SHARD_IDS lists shard ${id} twice ("${raw}").`);
      seen.add(id);
      ids.push(id);
    }
  }
  return ids.sort((a, b) => a - b);
}

/** Checks that every id is below the count: Discord numbers shards 0 to count - 1. */
export function checkShardIds(ids: readonly number[], count: number, countSetting: string): void {
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    throw new ShardSettingError(
      `PAPERBOY_DISCORD_SHARD_IDS lists shard ${formatShardIds(outside)}, but ${countSetting} means ${count} shard${count === 1 ? '' : 's'}, numbered ${count === 1 ? '0' : `0-${count - 1}`}.`,
    );
  }
}

/**
 * The plan from the two settings, or null when neither is set (one connection, as before).
 * Ids without a count are refused: every instance must agree on the total, or guilds would be
 * routed to shards nobody runs.
 */
export function shardPlanFrom(countRaw: string | undefined, idsRaw: string | undefined): ShardPlan | null {
  if (countRaw === undefined && idsRaw === undefined) return null;
  if (countRaw === undefined) {
    throw new ShardSettingError('PAPERBOY_DISCORD_SHARD_IDS is set but PAPERBOY_DISCORD_SHARDS is not: set the total shard count (the same on every instance), or "auto".');
  }
  const count = parseShardCount(countRaw);
  const ids = idsRaw === undefined ? null : parseShardIds(idsRaw);
  if (ids && count !== 'auto') checkShardIds(ids, count, `PAPERBOY_DISCORD_SHARDS=${count}`);
  return { count, ids };
}

/** The shard that receives a guild's events: (guild_id >> 22) % count, as Discord routes them. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** `[0, 1, 3]` as "0-1,3". */
export function formatShardIds(ids: readonly number[]): string {
  const parts: string[] = [];
  const sorted = [...ids].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
