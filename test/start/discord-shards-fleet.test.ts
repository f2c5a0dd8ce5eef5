import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatforms } from '../../adapters/start.ts';
import type { PlatformAdapter } from '../../adapters/types.ts';
import { commands } from '../../commands/index.ts';
import { openApp, type App } from '../../src/app.ts';
import type { CommandSpec } from '../../src/commands/types.ts';
import { loadConfig } from '../../src/config.ts';
import { startPresence, type Presence } from '../../src/delivery/presence.ts';
import { planDigest } from '../../src/digest/plan.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { memoryLogger, silentLogger } from '../../src/logger.ts';
import { noOpsEvents, type OpsEvents } from '../../src/ops/events.ts';
import { holdBotLock, type BotLock } from '../../src/store/bot-lock.ts';
import { newInstanceIdentity } from '../../src/store/instances.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { digestProblems, landedOnDiscord } from '../crash/landed.ts';
import { postgresUnavailable } from '../crash/pg-databases.ts';
import { DIGEST_DAY, SLOT_AT } from '../crash/world.ts';
import { hfDay } from '../support/core-harness.ts';
import { chatInputInteraction, FakeDiscord, guildIdOnShard, guildShard, Perm, reactionAdd, type FakeGuild } from '../support/fake-discord/index.ts';
import { createTestDatabase, dropTestDatabase } from '../support/test-store.ts';

/*
 * Issue 10, "Discord shards": two Paperboy instances on one PostgreSQL database, each running
 * half of 4 shards (PAPERBOY_DISCORD_SHARD_IDS 0-1 and 2-3), wired as `paperboy start` wires
 * them (loadConfig -> openApp -> startPlatforms), against one fake Discord whose guilds lie on
 * all 4 shards. A /papers command in every guild is answered exactly once, by the instance
 * running that guild's shard; a scheduled digest to 50 channels across those guilds, with both
 * instances ticking at once, arrives exactly once (messages counted per channel at the fake);
 * a 👍 on a digest post in every guild is counted once, by the instance running its shard.
 *
 * Only PostgreSQL holds two bots (a second bot on a SQLite file refuses to start): without a
 * server the suite is skipped with a notice, and fails under CI.
 */

const TOKEN = 'shards-fleet-bot-token';
const APP_ID = '1600000000000000001';
const SHARDS = 4;
const GUILDS_PER_SHARD = 2;
const CHANNELS = 50;
const INSTANCE_SHARDS = ['0-1', '2-3'] as const;

/** 8 guilds, two on each shard; the 50 channels dealt round the guilds. */
const GUILDS: FakeGuild[] = Array.from({ length: SHARDS * GUILDS_PER_SHARD }, (_, i) => {
  const id = guildIdOnShard(i % SHARDS, SHARDS, Math.floor(i / SHARDS));
  return { id, name: `Lab ${i}`, channels: [] };
});
for (let c = 0; c < CHANNELS; c++) {
  const guild = GUILDS[c % GUILDS.length]!;
  guild.channels.push({ id: String(BigInt(guild.id) + 1000n + BigInt(c)), name: `papers-${c}` });
}

const unavailable = await postgresUnavailable();
const required = Boolean(process.env.CI) && process.env.CI !== '0' && process.env.CI !== 'false';
if (unavailable && !(required && unavailable.server)) console.log(`Discord shards fleet test skipped: ${unavailable.reason}`);
if (unavailable && required && unavailable.server) {
  it('runs on PostgreSQL (required under CI)', () => {
    throw new Error(`the Discord shards fleet test cannot run: ${unavailable.reason}`);
  });
}

interface Instance {
  shards: string;
  app: App;
  adapters: PlatformAdapter[];
  presence: Presence;
  lock: BotLock;
  /** The guilds whose commands this instance ran. */
  ranCommandsFor: string[];
  logger: ReturnType<typeof memoryLogger>;
  postsSettled: number;
}

/** Channel id -> the papers its digest must hold, as planned at seeding. */
const expected = new Map<string, string[]>();
let dbUrl: string;
let fake: FakeDiscord;
const instances: Instance[] = [];
/** The digest slot has just come; the clock runs on from there. */
const startedAt = Date.now();
const clock: Clock = { now: () => new Date(SLOT_AT.getTime() + 20_000 + (Date.now() - startedAt)) };

async function seed(store: Store): Promise<void> {
  const seededAt = new Date('2026-08-20T00:00:00Z');
  for (const day of ['2026-08-19', '2026-08-20', DIGEST_DAY]) await store.papers.upsertMany(hfDay(day).items, seededAt);
  for (const guild of GUILDS) {
    const team = await store.teams.ensureTeam({ platform: 'discord', externalId: guild.id, name: guild.name }, seededAt);
    for (const c of guild.channels) {
      const row = await store.teams.ensureChannel(team.id, { externalId: c.id }, seededAt);
      await store.schedules.set(row.id, { times: ['09:00'], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7] }, seededAt);
      await store.teams.activate(row.id, seededAt);
      await store.teams.setMaxPapers(row.id, 2);
      const plan = await planDigest(store, { id: row.id, teamId: team.id, maxPapers: 2 }, DIGEST_DAY, null, silentLogger);
      expected.set(c.id, plan.picked.map((p) => p.paperId));
    }
  }
}

/** The real commands, each noting which instance ran it for which guild. */
function noting(into: string[]): CommandSpec[] {
  return commands.map((spec) => ({
    ...spec,
    handler: (ctx: Parameters<CommandSpec['handler']>[0]) => {
      into.push(ctx.team.externalId);
      return (spec as CommandSpec).handler(ctx);
    },
  })) as CommandSpec[];
}

/** One `paperboy start`, as adapters/start.ts wires it, minus the process, the HTTP port and the ticker. */
async function startInstance(shards: string): Promise<Instance> {
  const config = loadConfig({
    PAPERBOY_DB: dbUrl,
    PAPERBOY_PG_POOL: '4',
    DISCORD_TOKEN: TOKEN,
    DISCORD_APP_ID: APP_ID,
    DISCORD_API_URL: fake.apiUrl,
    PAPERBOY_DISCORD_SHARDS: String(SHARDS),
    PAPERBOY_DISCORD_SHARD_IDS: shards,
  });
  const logger = memoryLogger();
  const store = await openStore(config.dbPath, { pgPool: config.pgPool });
  const me = newInstanceIdentity();
  const lock = await holdBotLock(config.dbPath, store, me);
  const presence = await startPresence({ store, me, clock, logger, leaseMs: config.delivery.leaseMs });
  const ranCommandsFor: string[] = [];
  const instance = { shards, ranCommandsFor, logger, postsSettled: 0 } as Instance;
  const events: OpsEvents = { ...noOpsEvents, postSettled: () => void (instance.postsSettled += 1) };
  instance.app = await openApp({ dbPath: config.dbPath, store, clock, logger, commands: noting(ranCommandsFor), delivery: config.delivery, instance: me, events });
  instance.adapters = await startPlatforms(config, instance.app, logger, [], []);
  instance.presence = presence;
  instance.lock = lock;
  await instance.app.delivery.recover();
  return instance;
}

async function stopInstance(i: Instance): Promise<void> {
  i.app.stopAccepting();
  i.app.delivery.stop();
  await Promise.allSettled(i.adapters.map((a) => a.stop()));
  await i.presence.stop();
  i.lock.release();
  await i.app.close();
}

describe.skipIf(unavailable !== null)(`Discord shards: 2 instances, ${SHARDS} shards, ${GUILDS.length} guilds, ${CHANNELS} channels, one PostgreSQL`, () => {
  beforeAll(async () => {
    dbUrl = await createTestDatabase();
    const store = await openStore(dbUrl, { pgPool: 2 });
    try {
      await seed(store);
    } finally {
      await store.close();
    }
    fake = await FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: GUILDS, gateway: { shards: SHARDS, maxConcurrency: SHARDS, enforceIdentifyRate: true } });
    for (const shards of INSTANCE_SHARDS) instances.push(await startInstance(shards));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(instances.map(stopInstance));
    await fake?.close();
    if (dbUrl) await dropTestDatabase(dbUrl);
  });

  it('connects each shard once, from the instance that runs it', () => {
    const shardsOf = (sessionIds: string[]) => sessionIds.map((id) => fake.gateway.shardOf(id)?.[0]).sort();
    const live = [...fake.gateway.sessions.values()].filter((s) => s.socket);
    expect(shardsOf(live.map((s) => s.id))).toEqual([0, 1, 2, 3]);
    expect(fake.gateway.identifiesTooSoon).toBe(0);
  });

  it('answers /papers in every guild exactly once, on the instance running its shard', async () => {
    const asked = GUILDS.map((guild) => {
      const channel = guild.channels[0]!;
      const paper = expected.get(channel.id)![0]!;
      const where = { appId: APP_ID, guild, channelId: channel.id, user: { id: '1600000000000009001', username: 'ada' }, permissions: Perm.member };
      return { guild, paper, interaction: fake.interact(chatInputInteraction(where, 'show', [{ name: 'paper', type: 3, value: paper }])) };
    });
    for (const { guild, paper, interaction } of asked) {
      const answer = await fake.answerTo(interaction, 15_000);
      expect(JSON.stringify(answer.message.embeds), `the answer in ${guild.name}`).toContain(paper);
      expect(interaction.routedTo.map((s) => fake.gateway.shardOf(s)?.[0])).toEqual([guildShard(guild.id, SHARDS)]);
      // One answer: one interaction callback, no follow-up or second reply.
      expect(fake.callsTo('POST', new RegExp(`^/interactions/${interaction.id}/`))).toHaveLength(1);
      expect(interaction.followups).toEqual([]);
    }
    const onShards = (ids: string) => GUILDS.filter((g) => ids.split('-').map(Number).includes(guildShard(g.id, SHARDS))).map((g) => g.id).sort();
    for (const i of instances) expect([...i.ranCommandsFor].sort(), `the guilds instance ${i.shards} answered`).toEqual(onShards(i.shards));
    fake.assertNoUnmatched();
  });

  it(`delivers the digest to all ${CHANNELS} channels exactly once, both instances ticking at once`, async () => {
    const settled = async () => {
      const open = await instances[0]!.app.store.db.selectFrom('deliveries').select('id').where('state', 'in', ['planned', 'sending']).limit(1).execute();
      return open.length === 0;
    };
    // What the ticker does every minute, back to back on both instances at once.
    for (let round = 0; ; round++) {
      const reports = await Promise.all(instances.map((i) => i.app.delivery.tick()));
      if (reports.every((r) => r.planned === 0) && (await settled())) break;
      expect(round, 'the digests did not settle').toBeLessThan(500);
      await new Promise((r) => setTimeout(r, 20));
    }
    const problems: string[] = [];
    let posts = 0;
    for (const guild of GUILDS) {
      for (const c of guild.channels) {
        const papers = expected.get(c.id)!;
        expect(papers.length).toBeGreaterThan(0);
        problems.push(...digestProblems(`${guild.name} #${c.name}`, landedOnDiscord(fake, c.id), papers));
        // Counted at the fake: one header and each paper, each POSTed once.
        const sent = fake.callsTo('POST', new RegExp(`^/channels/${c.id}/messages$`)).filter((call) => call.status === 200);
        if (sent.length !== 1 + papers.length) problems.push(`${c.name}: ${sent.length} messages posted, ${1 + papers.length} expected`);
        posts += sent.length;
      }
    }
    expect(problems).toEqual([]);
    expect(instances.reduce((n, i) => n + i.postsSettled, 0)).toBe(posts);
    console.log(`Discord shards fleet: ${posts} posts to ${CHANNELS} channels; by instance ${instances.map((i) => `${i.shards}: ${i.postsSettled}`).join(', ')}`);
    fake.assertNoUnmatched();
  }, 60_000);

  it('counts a 👍 on a digest post in every guild once, on the instance running its shard', async () => {
    const reader = { id: '1600000000000009002', username: 'grace' };
    const reacted = GUILDS.map((guild) => {
      const channel = guild.channels[0]!;
      const post = landedOnDiscord(fake, channel.id).papers[0]!;
      fake.gateway.dispatch('MESSAGE_REACTION_ADD', reactionAdd({ guild, channelId: channel.id, user: reader }, post.messageId, '👍', APP_ID));
      return { guild, post };
    });
    const applied = (i: Instance) => i.logger.entries.filter((e) => e.msg === 'reaction applied' && e.user === reader.id);
    await fake.waitFor('every reaction applied', () => instances.reduce((n, i) => n + applied(i).length, 0) >= GUILDS.length, 15_000);
    for (const { guild, post } of reacted) {
      const team = await instances[0]!.app.store.teams.ensureTeam({ platform: 'discord', externalId: guild.id }, clock.now());
      expect(await instances[0]!.app.store.votes.count(team.id, post.paperId), `votes in ${guild.name}`).toBe(1);
      const owner = instances.find((i) => i.shards.split('-').map(Number).includes(guildShard(guild.id, SHARDS)))!;
      expect(applied(owner).map((e) => e.message), `the reactions instance ${owner.shards} applied`).toContain(post.messageId);
    }
    expect(instances.reduce((n, i) => n + applied(i).length, 0)).toBe(GUILDS.length);
    fake.assertNoUnmatched();
  });
});
