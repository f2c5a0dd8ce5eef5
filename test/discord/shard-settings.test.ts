import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiscordLoginError } from '../../adapters/discord/client.ts';
import { resolveShards } from '../../adapters/discord/shards.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { formatShardIds, parseShardIds, shardOfGuild, ShardSettingError } from '../../src/discord-shards.ts';

/** PAPERBOY_DISCORD_SHARDS and PAPERBOY_DISCORD_SHARD_IDS, as an operator writes them. */

const DISCORD = { DISCORD_TOKEN: 'token', DISCORD_APP_ID: '1400000000000000001' };
const config = (env: Record<string, string>) => loadConfig({ ...DISCORD, ...env });
const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('shard settings in the configuration', () => {
  it('changes nothing when neither is set (blank counts as unset)', () => {
    expect(config({}).discord).not.toHaveProperty('shards');
    expect(config({ PAPERBOY_DISCORD_SHARDS: ' ', PAPERBOY_DISCORD_SHARD_IDS: '' }).discord).not.toHaveProperty('shards');
  });

  it('reads a count, auto, and ids as single ids, ranges or both', () => {
    expect(config({ PAPERBOY_DISCORD_SHARDS: '4' }).discord?.shards).toEqual({ count: 4, ids: null });
    expect(config({ PAPERBOY_DISCORD_SHARDS: 'AUTO' }).discord?.shards).toEqual({ count: 'auto', ids: null });
    expect(config({ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: '0-3' }).discord?.shards).toEqual({ count: 4, ids: [0, 1, 2, 3] });
    expect(config({ PAPERBOY_DISCORD_SHARDS: '6', PAPERBOY_DISCORD_SHARD_IDS: '4,5' }).discord?.shards).toEqual({ count: 6, ids: [4, 5] });
    expect(config({ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: ' 3, 0 - 1 ' }).discord?.shards).toEqual({ count: 4, ids: [0, 1, 3] });
    expect(config({ PAPERBOY_DISCORD_SHARDS: 'auto', PAPERBOY_DISCORD_SHARD_IDS: '8-9' }).discord?.shards).toEqual({ count: 'auto', ids: [8, 9] });
  });

  it.each([
    [{ PAPERBOY_DISCORD_SHARDS: '0' }, /PAPERBOY_DISCORD_SHARDS must be "auto" or a whole number .* \(got "0"\)/],
    [{ PAPERBOY_DISCORD_SHARDS: 'two' }, /PAPERBOY_DISCORD_SHARDS must be "auto" or a whole number .* \(got "two"\)/],
    [{ PAPERBOY_DISCORD_SHARDS: '2.5' }, /PAPERBOY_DISCORD_SHARDS must be/],
    [{ PAPERBOY_DISCORD_SHARD_IDS: '0-1' }, /PAPERBOY_DISCORD_SHARD_IDS is set but PAPERBOY_DISCORD_SHARDS is not/],
    [{ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: '2-4' }, /lists shard 4, but PAPERBOY_DISCORD_SHARDS=4 means 4 shards, numbered 0-3/],
    [{ PAPERBOY_DISCORD_SHARDS: '1', PAPERBOY_DISCORD_SHARD_IDS: '1,2' }, /lists shard 1-2, but PAPERBOY_DISCORD_SHARDS=1 means 1 shard, numbered 0\./],
    [{ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: '3-1' }, /the range "3-1" runs backwards; write it as 1-3/],
    [{ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: '0-2,1' }, /lists shard 1 twice/],
    [{ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: '0,,1' }, /could not read "" in "0,,1"/],
    [{ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: 'first' }, /like "0-3", "4,5" or "0-1,3" \(could not read "first"/],
    [{ PAPERBOY_DISCORD_SHARDS: '4', PAPERBOY_DISCORD_SHARD_IDS: '-1' }, /could not read "-1"/],
    [{ PAPERBOY_DISCORD_SHARDS: 'auto', PAPERBOY_DISCORD_SHARD_IDS: '0-999999999' }, /shard 999999999 is beyond any shard count/],
  ])('refuses %j with a message saying what to write', (env, message) => {
    expect(problem({ ...DISCORD, ...env })).toMatch(message);
  });

  it('refuses shard settings without the Discord settings', () => {
    expect(problem({ PAPERBOY_DISCORD_SHARDS: '2' })).toMatch(/PAPERBOY_DISCORD_SHARDS is set but DISCORD_TOKEN is not/);
  });
});

describe('resolving the shards an instance runs', () => {
  const settings = { token: 'token', apiUrl: undefined };
  const never = async (): Promise<number> => {
    throw new Error('asked Discord although the count is fixed');
  };

  it('takes a fixed count as it is, all shards when no ids are given', async () => {
    expect(await resolveShards({ count: 3, ids: null }, settings, never)).toEqual({ ids: [0, 1, 2], count: 3 });
    expect(await resolveShards({ count: 4, ids: [2, 3] }, settings, never)).toEqual({ ids: [2, 3], count: 4 });
  });

  it('asks Discord for the count with auto, and checks the ids against it', async () => {
    expect(await resolveShards({ count: 'auto', ids: null }, settings, async () => 5)).toEqual({ ids: [0, 1, 2, 3, 4], count: 5 });
    // A subset keeps the recommended count (discord.js alone would take the highest id + 1).
    expect(await resolveShards({ count: 'auto', ids: [0, 1] }, settings, async () => 4)).toEqual({ ids: [0, 1], count: 4 });
    const err = await resolveShards({ count: 'auto', ids: [4, 5] }, settings, async () => 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/lists shard 4-5, but PAPERBOY_DISCORD_SHARDS=auto \(Discord recommends 4\) means 4 shards.*set PAPERBOY_DISCORD_SHARDS to a fixed count/);
  });

  it('says so when Discord cannot be asked', async () => {
    const err = await resolveShards({ count: 'auto', ids: null }, settings, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/Could not ask Discord how many shards to run \(PAPERBOY_DISCORD_SHARDS=auto\): Could not reach the Discord API at https:\/\/discord.com\/api \(ECONNREFUSED\)/);
  });
});

describe('shard arithmetic', () => {
  it("routes a guild by its id's timestamp bits, as Discord does", () => {
    const guild = (n: bigint, low = 12345n) => String((n << 22n) | low);
    expect([0n, 1n, 2n, 3n, 4n, 7n].map((n) => shardOfGuild(guild(n), 4))).toEqual([0, 1, 2, 3, 0, 3]);
    expect(shardOfGuild('197038439483310086', 1)).toBe(0);
  });

  it('writes ids back compactly', () => {
    expect(formatShardIds([3, 0, 1, 5, 6, 7])).toBe('0-1,3,5-7');
    expect(parseShardIds(formatShardIds([0, 2, 3, 4, 9]))).toEqual([0, 2, 3, 4, 9]);
  });
});

describe('shard ids, whatever is typed', () => {
  it('reads back any set of ids it writes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }), (ids) => {
        expect(parseShardIds(formatShardIds(ids))).toEqual([...ids].sort((a, b) => a - b));
      }),
      { seed: 20261129, numRuns: 500 },
    );
  });

  it('gives sorted distinct ids or a ShardSettingError, never anything else', () => {
    const piece = fc.oneof(fc.constantFrom('0', '1', '3', '-', ',', ' ', '10', '99999', '100000', 'x', '٣', '1e3', '0x1', '.'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), (raw) => {
        let ids: number[];
        try {
          ids = parseShardIds(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(ShardSettingError);
          return;
        }
        expect(ids.length).toBeGreaterThan(0);
        expect(ids.every((id, i) => Number.isSafeInteger(id) && id >= 0 && (i === 0 || id > ids[i - 1]!))).toBe(true);
      }),
      { seed: 20261129, numRuns: 2000 },
    );
  });
});
