const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;

/** A Discord-style id whose timestamp is now: discord.js derives creation times from ids. */
export function snowflake(at: number = Date.now()): string {
  counter = (counter + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | counter).toString();
}
