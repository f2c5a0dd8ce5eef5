import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordLoginError, startDiscord } from '../../adapters/discord/index.ts';
import type { PlatformAdapter } from '../../adapters/types.ts';
import { commands } from '../../commands/index.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import type { ShardPlan } from '../../src/discord-shards.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { chatInputInteraction, CloseCode, FakeDiscord, guildIdOnShard, guildShard, Intent, Op, Perm, type FakeDiscordOptions, type FakeGuild, type GatewayFrame } from '../support/fake-discord/index.ts';
import { ALICE, APP_ID, NOW, TOKEN } from './harness.ts';

/*
 * Sharding, on both sides of the wire. The fake gateway as Discord shards: IDENTIFY's
 * `shard: [id, count]` picks the guilds in READY and routes each guild's events to its shard
 * only; bad or overlapping shards are closed 4010, an oversized one 4011. Then the real
 * adapter (discord.js's own sharding) with PAPERBOY_DISCORD_SHARDS / _SHARD_IDS as parsed.
 */

const SHARDS = 4;
/** Two guilds on each of the 4 shards. */
const GUILDS: FakeGuild[] = Array.from({ length: SHARDS * 2 }, (_, i) => {
  const id = guildIdOnShard(i % SHARDS, SHARDS, Math.floor(i / SHARDS));
  return { id, name: `Lab ${i}`, channels: [{ id: String(BigInt(id) + 1000n), name: 'papers' }] };
});
const onShard = (shard: number) => GUILDS.filter((g) => guildShard(g.id, SHARDS) === shard).map((g) => g.id);

async function startFake(gateway: FakeDiscordOptions['gateway'] = {}): Promise<FakeDiscord> {
  return FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: GUILDS, gateway: { shards: SHARDS, maxConcurrency: SHARDS, ...gateway } });
}

describe('the fake gateway shards as Discord does', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFake({ maxGuildsPerShard: 2 });
  });
  afterAll(async () => fake.close());

  interface Conn {
    ws: WebSocket;
    frames: GatewayFrame[];
    closed: Promise<number>;
  }

  async function identify(shard?: unknown): Promise<Conn> {
    const ws = new WebSocket(`${fake.gateway.url}?v=10&encoding=json`);
    const frames: GatewayFrame[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    await fake.waitFor('HELLO', () => frames.find((f) => f.op === Op.Hello));
    ws.send(JSON.stringify({ op: Op.Identify, d: { token: TOKEN, intents: Intent.Guilds, properties: {}, ...(shard !== undefined && { shard }) } }));
    return { ws, frames, closed };
  }

  const ready = (c: Conn) => fake.waitFor('READY', () => c.frames.find((f) => f.t === 'READY')?.d as { guilds: Array<{ id: string }>; shard: number[] } | undefined);
  async function close(...conns: Conn[]): Promise<void> {
    for (const c of conns) c.ws.close();
    await Promise.all(conns.map((c) => c.closed));
  }

  it('GET /gateway/bot recommends the configured shard count and counts sessions down', async () => {
    const get = async () => (await (await fetch(`${fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${TOKEN}` } })).json()) as { session_start_limit: { remaining: number } };
    const before = await get();
    expect(before).toMatchObject({ url: fake.gateway.url, shards: SHARDS, session_start_limit: { total: 1000, max_concurrency: SHARDS } });
    const c = await identify([0, SHARDS]);
    await ready(c);
    expect((await get()).session_start_limit.remaining).toBe(before.session_start_limit.remaining - 1);
    await close(c);
  });

  it("lists only the shard's guilds in READY and GUILD_CREATE, and routes each guild's events to its shard only", async () => {
    const conns = [];
    for (let shard = 0; shard < SHARDS; shard++) conns.push(await identify([shard, SHARDS]));
    for (const [shard, c] of conns.entries()) {
      const d = await ready(c);
      expect(d.shard).toEqual([shard, SHARDS]);
      expect(d.guilds.map((g) => g.id)).toEqual(onShard(shard));
      await fake.waitFor('GUILD_CREATEs', () => c.frames.filter((f) => f.t === 'GUILD_CREATE').length === 2);
      expect(c.frames.filter((f) => f.t === 'GUILD_CREATE').map((f) => (f.d as { id: string }).id)).toEqual(onShard(shard));
    }
    for (const g of GUILDS) fake.gateway.dispatch('GUILD_UPDATE', { id: g.id, name: `${g.name}!` });
    fake.gateway.dispatch('CHANNEL_CREATE', { id: '1', guild_id: GUILDS[3]!.id, type: 0, name: 'new' });
    fake.gateway.dispatch('TYPING_START', { channel_id: '2', user_id: ALICE.id }); // no guild: shard 0
    for (const [shard, c] of conns.entries()) {
      const expected = [...onShard(shard).map((id) => `GUILD_UPDATE ${id}`), ...(shard === guildShard(GUILDS[3]!.id, SHARDS) ? ['CHANNEL_CREATE'] : []), ...(shard === 0 ? ['TYPING_START'] : [])];
      await fake.waitFor(`shard ${shard}'s events`, () => c.frames.filter((f) => f.op === Op.Dispatch).length >= 1 + 2 + expected.length);
      const events = c.frames.filter((f) => f.op === Op.Dispatch && !['READY', 'GUILD_CREATE'].includes(f.t!)).map((f) => (f.t === 'GUILD_UPDATE' ? `${f.t} ${(f.d as { id: string }).id}` : f.t));
      expect(events).toEqual(expected);
    }
    await close(...conns);
  });

  it.each([
    ['an id not below the count', [4, 4]],
    ['a count of 0', [0, 0]],
    ['a negative id', [-1, 4]],
    ['not a pair of integers', ['0', 4]],
  ])('closes %s with 4010 (invalid shard)', async (_what, shard) => {
    const c = await identify(shard);
    expect(await c.closed).toBe(CloseCode.InvalidShard);
  });

  it('closes a shard that is already connected, or a count that disagrees with the connected shards, with 4010', async () => {
    const first = await identify([1, SHARDS]);
    await ready(first);
    expect(await (await identify([1, SHARDS])).closed).toBe(CloseCode.InvalidShard);
    expect(await (await identify([0, 2])).closed).toBe(CloseCode.InvalidShard);
    await close(first);
    // Once it is gone, the shard may identify again (a restart).
    const again = await identify([1, SHARDS]);
    expect((await ready(again)).shard).toEqual([1, SHARDS]);
    await close(again);
  });

  it('closes a connection that would hold too many guilds with 4011 (sharding required)', async () => {
    expect(await (await identify()).closed).toBe(CloseCode.ShardingRequired);
    expect(await (await identify([0, 2])).closed).toBe(CloseCode.ShardingRequired);
  });
});

describe('the Discord adapter runs its shards through discord.js', () => {
  const running: Array<{ fake: FakeDiscord; store: Store; adapters: PlatformAdapter[] }> = [];
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await Promise.all(r.adapters.map((a) => a.stop()));
      await r.fake.close();
      await r.store.close();
    }
  });

  async function world(gateway: FakeDiscordOptions['gateway'] = {}) {
    const fake = await startFake(gateway);
    const store = await openStore(':memory:');
    const r = { fake, store, adapters: [] as PlatformAdapter[] };
    running.push(r);
    const logger = memoryLogger();
    const start = async (shards: ShardPlan | undefined) => {
      const runtime = { store, clock: fixedClock(NOW), logger, services: { postDigestNow: async () => ({ posted: 0 }), commands: () => commands }, commands };
      const adapter = await startDiscord({ settings: { token: TOKEN, appId: APP_ID, apiUrl: fake.apiUrl, ...(shards && { shards }) }, runtime, logger });
      r.adapters.push(adapter);
      return adapter;
    };
    return { fake, start, logger };
  }

  const identifies = (fake: FakeDiscord) => fake.gateway.received(Op.Identify).map((f) => (f.d as { shard: number[] }).shard);
  const helpIn = (fake: FakeDiscord, g: FakeGuild) => fake.interact(chatInputInteraction({ appId: APP_ID, guild: g, channelId: g.channels[0]!.id, user: ALICE, permissions: Perm.member }, 'help'));

  it('without shard settings, identifies once as shard [0, 1], as before', async () => {
    const { fake, start } = await world({ shards: 1 });
    await start(undefined);
    expect(identifies(fake)).toEqual([[0, 1]]);
  });

  it("with auto, asks GET /gateway/bot and runs every recommended shard, each guild's command answered once", async () => {
    // Enforced max_concurrency: discord.js identifies 4 shards at once without one refused.
    const { fake, start, logger } = await world({ enforceIdentifyRate: true });
    const adapter = await start({ count: 'auto', ids: null });
    expect(adapter.connected()).toBe(true);
    expect(identifies(fake).sort()).toEqual([[0, 4], [1, 4], [2, 4], [3, 4]]);
    expect(fake.gateway.identifiesTooSoon).toBe(0);
    expect(logger.entries.find((e) => e.msg === 'discord ready')).toMatchObject({ guilds: GUILDS.length, shards: '0-3', shardCount: 4 });
    for (const g of GUILDS) {
      const i = helpIn(fake, g);
      expect(i.routedTo).toHaveLength(1);
      await fake.answerTo(i);
      expect(fake.callsTo('POST', new RegExp(`^/interactions/${i.id}/`))).toHaveLength(1);
    }
  });

  it('with ids, runs only those shards of the count and gets only their guilds', async () => {
    const { fake, start, logger } = await world();
    await start({ count: SHARDS, ids: [2, 3] });
    expect(identifies(fake).sort()).toEqual([[2, 4], [3, 4]]);
    expect(logger.entries.find((e) => e.msg === 'discord ready')).toMatchObject({ guilds: 4, shards: '2-3', shardCount: 4 });
    const mine = GUILDS.find((g) => guildShard(g.id, SHARDS) === 3)!;
    await fake.answerTo(helpIn(fake, mine));
    // A guild on shard 0 is nobody's here: Discord would send it to the instance running shard 0.
    const elsewhere = helpIn(fake, GUILDS.find((g) => guildShard(g.id, SHARDS) === 0)!);
    expect(elsewhere.routedTo).toEqual([]);
  });

  it('respects max_concurrency: with 1, the shards identify in turn and none is refused', async () => {
    const { fake, start } = await world({ maxConcurrency: 1, enforceIdentifyRate: true });
    await start({ count: SHARDS, ids: [0, 1] });
    expect(identifies(fake)).toEqual([[0, 4], [1, 4]]);
    expect(fake.gateway.identifiesTooSoon).toBe(0);
  }, 20_000);

  it('fails with a clear message when a shard is already running elsewhere (4010)', async () => {
    const { start } = await world();
    await start({ count: SHARDS, ids: [0, 1] });
    const err = await start({ count: SHARDS, ids: [1, 2] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/refused a gateway shard \(close code 4010.*no two instances run the same shard/);
  });

  it('fails with a clear message when Discord requires sharding (4011)', async () => {
    const { start } = await world({ maxGuildsPerShard: 4 });
    const err = await start(undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/requires this bot to shard \(close code 4011.*PAPERBOY_DISCORD_SHARDS=auto/);
  });

  it('fails with a clear message when session_start_limit has too few sessions left', async () => {
    const { fake, start } = await world({ sessionStartTotal: 1 });
    const err = await start({ count: SHARDS, ids: [0, 1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/no more gateway sessions for now \(session_start_limit\).*only 1 remaining/);
    expect(fake.gateway.received(Op.Identify)).toEqual([]);
  });

  it('refuses auto with ids the recommendation does not have', async () => {
    const { fake, start } = await world({ shards: 2 });
    const err = await start({ count: 'auto', ids: [2, 3] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordLoginError);
    expect((err as Error).message).toMatch(/lists shard 2-3, but PAPERBOY_DISCORD_SHARDS=auto \(Discord recommends 2\)/);
    expect(fake.gateway.connectedSockets).toBe(0);
  });
});
