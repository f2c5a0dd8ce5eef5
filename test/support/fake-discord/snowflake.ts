const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;

/** A Discord-style id whose timestamp is now: discord.js derives creation times from ids. */
export function snowflake(at: number = Date.now()): string {
  counter = (counter + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | counter).toString();
}

/**
 * The id of a guild whose events Discord sends to `shard` of `count`: the shard is
 * (id >> 22) % count, so the timestamp bits are chosen; `nth` tells guilds on one shard apart.
 */
export function guildIdOnShard(shard: number, count: number, nth: number): string {
  const timestamp = 100_000_000n * BigInt(count) + BigInt(nth * count + shard);
  return ((timestamp << 22n) | 1n).toString();
}
