import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/store.ts';
import { landedOnDiscord, landedOnSlack, type Landed } from '../../test/crash/landed.ts';
import { FakeDiscord } from '../../test/support/fake-discord/index.ts';
import { FakeSlack } from '../../test/support/fake-slack/index.ts';
import { startBot, type BenchBot } from './fanout-bots.ts';
import { DISCORD_APP_ID, DISCORD_TOKEN, PAPERS_PER_DIGEST, recreatePgDatabase, seedFanout, SLACK_TEAM, SLACK_TOKEN, type FanoutWorld, type Platform } from './fanout-world.ts';

/*
 * One fan-out run: a 5-paper digest due now in N channels, delivered by K real bot processes
 * to a fake platform that enforces the real limits, counted at the fake.
 */

/** Discord's global limit per bot token. */
export const DISCORD_REQUESTS_PER_SECOND = 50;
/** Slack's chat.postMessage limit per channel, and the burst the fake allows (see FakeSlackOptions). */
export const SLACK_POSTS_PER_CHANNEL_PER_SECOND = 1;
export const SLACK_BURST = 2;
const MESSAGES_PER_CHANNEL = PAPERS_PER_DIGEST + 1; // the header, then the papers

export interface FanoutOptions {
  platform: Platform;
  channels: number;
  instances: number;
  /** A SQLite file path or a postgres:// URL (recreated). */
  store: string;
  /** PAPERBOY_DIGEST_CONCURRENCY for each bot. */
  concurrency: number;
  workDir: string;
  say(line: string): void;
}

export interface FanoutFigures {
  platform: Platform;
  store: 'sqlite' | 'postgres';
  channels: number;
  instances: number;
  concurrency: number;
  expected: number;
  /** Distinct (channel, message) that landed: the header and each paper once. */
  delivered: number;
  duplicates: number;
  missing: number;
  unexpected: number;
  rateLimited: number;
  /** Requests the bots made to the fake (429s included). */
  requests: number;
  seedSeconds: number;
  /** From the first bot's ready line to the last message landing. */
  seconds: number;
  /** From the first bot's ready line to the first message landing (planning). */
  firstPostSeconds: number;
  floorSeconds: number;
  floorRule: string;
  /** Bots' CPU from ready to done, and including start-up. */
  cpuSeconds: number;
  cpuSecondsWithStart: number;
  timedOut: boolean;
}

export async function runFanout(o: FanoutOptions): Promise<FanoutFigures> {
  mkdirSync(o.workDir, { recursive: true });
  const pgStore = /^postgres(ql)?:\/\//.test(o.store);
  const now = new Date();
  const t0 = performance.now();
  if (pgStore) await recreatePgDatabase(o.store);
  else for (const s of ['', '-wal', '-shm']) rmSync(o.store + s, { force: true });
  const store = await openStore(o.store);
  let world: FanoutWorld;
  try {
    world = await seedFanout(store, o.platform, o.channels, now);
  } finally {
    await store.close();
  }
  const seedSeconds = (performance.now() - t0) / 1000;
  o.say(`  seeded ${o.channels} ${o.platform} channels in ${seedSeconds.toFixed(1)} s`);

  const discord =
    o.platform === 'discord'
      ? await FakeDiscord.start({ token: DISCORD_TOKEN, appId: DISCORD_APP_ID, guilds: world.guilds, globalRequestsPerSecond: DISCORD_REQUESTS_PER_SECOND })
      : null;
  const slack = o.platform === 'slack' ? await FakeSlack.start({ token: SLACK_TOKEN, teamId: SLACK_TEAM, postsPerChannelPerSecond: SLACK_POSTS_PER_CHANNEL_PER_SECOND, postBurst: SLACK_BURST }) : null;
  const landedCount = (): number => {
    if (discord) return discord.messages.size;
    let n = 0;
    for (const list of slack!.messages.values()) n += list.length;
    return n;
  };

  const env: Record<string, string> = {
    PAPERBOY_DB: o.store,
    PAPERBOY_LOG_LEVEL: 'info',
    PAPERBOY_DIGEST_CONCURRENCY: String(o.concurrency),
    PAPERBOY_INGEST_INTERVAL_MIN: '1440',
    // Any free port for /healthz and /metrics: several bots run side by side.
    PAPERBOY_PORT: '0',
    // No network: the sources are a closed port (the papers are already in the store).
    HF_API_URL: 'http://127.0.0.1:9',
    ...(discord ? { DISCORD_TOKEN, DISCORD_APP_ID, DISCORD_API_URL: discord.apiUrl } : { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: 'fanout-signing-secret', SLACK_API_URL: slack!.apiUrl }),
  };
  const readyMessage = discord ? 'discord ready' : 'slack adapter started';
  const expected = o.channels * MESSAGES_PER_CHANNEL;
  const floorSeconds = discord ? expected / DISCORD_REQUESTS_PER_SECOND : Math.max(0, MESSAGES_PER_CHANNEL - SLACK_BURST) / SLACK_POSTS_PER_CHANNEL_PER_SECOND;
  const floorRule = discord
    ? `${expected} posts / ${DISCORD_REQUESTS_PER_SECOND} per s`
    : `(${MESSAGES_PER_CHANNEL} posts per channel - burst ${SLACK_BURST}) at ${SLACK_POSTS_PER_CHANNEL_PER_SECOND}/s, all channels in parallel`;
  const bots: BenchBot[] = [];
  let figures: FanoutFigures;
  try {
    for (let i = 0; i < o.instances; i++) {
      // Several bots on one Discord token run as shards of it, one each (README, "Hosting"): the
      // gateway refuses a shard identified twice. Any of them may post to any channel.
      const shards: Record<string, string> = discord && o.instances > 1 ? { PAPERBOY_DISCORD_SHARDS: String(o.instances), PAPERBOY_DISCORD_SHARD_IDS: String(i) } : {};
      bots.push(startBot({ ...env, ...shards }, join(o.workDir, `bot-${o.platform}-${o.instances}x-${i}.log`), readyMessage));
    }
    const readyAt = Math.min(...(await Promise.all(bots.map((b) => b.ready))));
    const cpuAtReady = bots.map((b) => b.cpuSeconds());
    let firstAt: number | null = null;
    let lastCount = 0;
    let lastProgress = performance.now();
    let doneAt = 0;
    let timedOut = false;
    // Generous: twice the floor plus 20 minutes (planning, a loaded machine); and give up after 5 minutes without progress.
    const deadline = readyAt + (floorSeconds * 2 + 1200) * 1000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const n = landedCount();
      const t = performance.now();
      if (n > 0 && firstAt === null) firstAt = t;
      if (n !== lastCount) {
        lastCount = n;
        lastProgress = t;
        doneAt = t;
      }
      if (n >= expected) break;
      if (t > deadline || t - lastProgress > 300_000) {
        timedOut = true;
        break;
      }
    }
    const cpuAtDone = bots.map((b) => b.cpuSeconds());
    // A duplicate would come from a late retry: give one a few seconds to show up.
    await new Promise((r) => setTimeout(r, 3_000));
    const counts = countLanded(world, discord, slack);
    const cpu = cpuAtDone.reduce((a, b) => a + b, 0);
    figures = {
      platform: o.platform,
      store: pgStore ? 'postgres' : 'sqlite',
      channels: o.channels,
      instances: o.instances,
      concurrency: o.concurrency,
      expected,
      ...counts,
      rateLimited: discord ? discord.rateLimited : slack!.rateLimited,
      requests: discord ? discord.calls.filter((c) => c.headers.authorization === `Bot ${DISCORD_TOKEN}`).length : slack!.calls.length,
      seedSeconds,
      seconds: (doneAt - readyAt) / 1000,
      firstPostSeconds: ((firstAt ?? readyAt) - readyAt) / 1000,
      floorSeconds,
      floorRule,
      cpuSeconds: cpu - cpuAtReady.reduce((a, b) => a + b, 0),
      cpuSecondsWithStart: cpu,
      timedOut,
    };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await discord?.close();
    await slack?.close();
  }
  return figures;
}

/** Every (channel, message) counted at the fake: one header and each of the five papers, once. */
function countLanded(world: FanoutWorld, discord: FakeDiscord | null, slack: FakeSlack | null): Pick<FanoutFigures, 'delivered' | 'duplicates' | 'missing' | 'unexpected'> {
  const out = { delivered: 0, duplicates: 0, missing: 0, unexpected: 0 };
  for (const channel of world.channels) {
    const landed: Landed = discord ? landedOnDiscord(discord, channel) : landedOnSlack(slack!, channel);
    const want = new Map<string, number>([['header', 0], ...world.papers.map((p) => [p, 0] as [string, number])]);
    for (const _ of landed.headers) want.set('header', want.get('header')! + 1);
    for (const p of landed.papers) {
      if (want.has(p.paperId)) want.set(p.paperId, want.get(p.paperId)! + 1);
      else out.unexpected++;
    }
    out.unexpected += landed.others.length;
    for (const n of want.values()) {
      if (n === 0) out.missing++;
      else out.delivered++;
      if (n > 1) out.duplicates += n - 1;
    }
  }
  return out;
}
