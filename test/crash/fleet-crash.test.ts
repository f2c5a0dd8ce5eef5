import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';
import { databaseUrl, dropDatabase, fleetDatabaseName, postgresUnavailable, recreateDatabase } from './pg-databases.ts';
import { seededRng, trialSeeds, type Rng } from './prng.ts';
import { Bots, buildBot, type Bot } from './processes.ts';
import { deliveryProblems, DISCORD_APP_ID, DISCORD_TOKEN, seedWorld, SLACK_TEAM, SLACK_TOKEN, SLOT_AT, type World } from './world.ts';

/*
 * Issue 9, "Many instances, exactly once": 3 bot processes share one PostgreSQL store and
 * deliver 200 channels' digests (Discord and Slack, the real posters against the fakes). In
 * each seeded trial random instances are SIGKILLed, some at the moment the platform answers a
 * post (a send cut mid-flight), some at a random time; some are restarted, some left dead.
 * When the survivors have settled everything, every channel must have its digest exactly once,
 * counted on the fakes, and the store must agree.
 *
 * Only PostgreSQL can hold several bots (a second bot on a SQLite file refuses to start), so
 * without a PostgreSQL store or server the suite is skipped with a notice.
 * Replay a trial: PAPERBOY_FLEET_SEEDS=<seed> npx vitest run test/crash/fleet-crash.test.ts
 */

const PER_PLATFORM = 100;
const INSTANCES = 3;
const TRIALS = 20;
/** Kills per trial: 2 to 4. */
const MIN_KILLS = 2;
/** Short leases, so a killed instance's posts are taken over within the trial. */
const LEASE_S = 2;
const FINAL_TIMEOUT_MS = 60_000;
/** How long a post travels before the platform makes the message; some are slow (a rate-limit wait, a slow platform). */
const POST_MS = { min: 10, spread: 60 };
const SLOW_POSTS = 0.1;
const SLOW_POST_MS = { min: 200, spread: 700 };
/** Discord keeps a nonce "a few minutes". Half the trials run as if it were forgotten. */
const NONCE_KEPT_MS = 5 * 60_000;

const unavailable = await postgresUnavailable();
/** Under CI (.ci/run sets CI) a missing PostgreSQL server fails the suite instead of skipping it. */
const required = Boolean(process.env.CI) && process.env.CI !== '0' && process.env.CI !== 'false';
if (unavailable && !(required && unavailable.server)) console.log(`fleet crash test skipped: ${unavailable.reason}`);
if (unavailable && required && unavailable.server) {
  it('runs on PostgreSQL (required under CI)', () => {
    throw new Error(`the fleet crash test cannot run: ${unavailable.reason}`);
  });
}

const seeds = trialSeeds('PAPERBOY_FLEET_SEEDS', TRIALS);
const templateDb = fleetDatabaseName('template');
const trialDb = fleetDatabaseName('trial');

let discord: FakeDiscord;
let slack: FakeSlack;
let world: World;
let build: ReturnType<typeof buildBot>;
let bots: Bots;
let trialStartedAt = 0;
const platformNow = () => SLOT_AT.getTime() + 20_000 + (Date.now() - trialStartedAt);

describe.skipIf(unavailable !== null)(`fleet crash: ${INSTANCES} instances on PostgreSQL, ${PER_PLATFORM * 2} channels, random instances SIGKILLed`, () => {
  beforeAll(async () => {
    await recreateDatabase(templateDb);
    world = await seedWorld(databaseUrl(templateDb), { discordChannels: PER_PLATFORM, slackChannels: PER_PLATFORM });
    discord = await FakeDiscord.start({ token: DISCORD_TOKEN, appId: DISCORD_APP_ID, guilds: [world.guild], nonceWindowMs: NONCE_KEPT_MS });
    slack = await FakeSlack.start({ token: SLACK_TOKEN, teamId: SLACK_TEAM, now: platformNow });
    build = buildBot();
    bots = new Bots(build.path, {
      PATH: process.env.PATH ?? '',
      PAPERBOY_DB: databaseUrl(trialDb),
      PAPERBOY_PG_POOL: '4',
      PAPERBOY_LEASE_S: String(LEASE_S),
      PAPERBOY_LOG_LEVEL: 'error',
      PAPERBOY_DIGEST_CONCURRENCY: '32',
      DISCORD_TOKEN,
      DISCORD_APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: 'crash-test-signing-secret',
      SLACK_API_URL: slack.apiUrl,
    });
  }, 120_000);

  afterAll(async () => {
    await bots?.closeAll();
    build?.remove();
    await discord?.close();
    await slack?.close();
    await dropDatabase(trialDb);
    await dropDatabase(templateDb);
  });

  it.each(seeds)('trial with seed %i: every digest lands exactly once', async (seed) => {
    const rng = seededRng(seed);
    const nonceKept = rng.chance(0.5);
    const plan = Array.from({ length: MIN_KILLS + rng.int(3) }, () => pickKill(rng));
    console.log(`fleet crash trial seed ${seed}: kills ${JSON.stringify(plan)}, Discord nonce ${nonceKept ? 'kept' : 'forgotten'} (replay: PAPERBOY_FLEET_SEEDS=${seed})`);
    discord.reset();
    slack.reset();
    discord.options.nonceWindowMs = nonceKept ? NONCE_KEPT_MS : 0;
    // A post travels before it lands, as on a real platform: an instance that wrongly took over
    // a post still in flight would find nothing yet and post it again.
    const lag = seededRng(seed + 0x5eed);
    const travel = () => (lag.chance(SLOW_POSTS) ? SLOW_POST_MS.min + lag.int(SLOW_POST_MS.spread) : POST_MS.min + lag.int(POST_MS.spread));
    discord.latency = (method, path) => (method === 'POST' && /^\/channels\/\d+\/messages$/.test(path) ? travel() : 0);
    slack.latency = (call) => (call.method === 'chat.postMessage' ? travel() : 0);
    await recreateDatabase(trialDb, templateDb);
    trialStartedAt = Date.now();

    const fleet = new Fleet(bots);
    const context = () => `seed ${seed}, ${fleet.story.join('; ')}`;
    for (let i = 0; i < INSTANCES; i++) await fleet.launch();
    try {
      for (const kill of plan) {
        const victim = await fleet.killAt(kill, rng);
        if (!victim) break; // the fleet finished before this kill came
        if (kill.restart) await fleet.launch();
      }
      // Someone must finish the work: the last instances may all be dead.
      if (fleet.live.size === 0 && !(await settled())) await fleet.launch();
      const outcome = await fleet.allExited(FINAL_TIMEOUT_MS);
      expect(outcome, `${context()}: the fleet did not finish\n${fleet.stderr()}`).toBe('done');
      expect(fleet.failures, `${context()}\n${fleet.stderr()}`).toEqual([]);
    } finally {
      await fleet.killAll();
    }

    const store = await openStore(databaseUrl(trialDb));
    try {
      const problems = await deliveryProblems(world, { discord, slack }, store);
      expect(problems.slice(0, 20), `${context()}: ${problems.length} problems`).toEqual([]);
    } finally {
      await store.close();
    }
    discord.assertNoUnmatched();
    slack.assertClean();
  }, 150_000);
});

type KillPoint = ({ at: 'answering-post'; n: number } | { at: 'time'; ms: number }) & { restart: boolean };

function pickKill(rng: Rng): KillPoint {
  const restart = rng.chance(0.5);
  return rng.chance(0.6) ? { at: 'answering-post', n: 1 + rng.int(120), restart } : { at: 'time', ms: 100 + rng.int(2_500), restart };
}

async function settled(): Promise<boolean> {
  const store = await openStore(databaseUrl(trialDb));
  try {
    const open = await store.db.selectFrom('deliveries').select('id').where('state', 'in', ['planned', 'sending']).limit(1).execute();
    return open.length === 0; // headers are delivery rows too
  } finally {
    await store.close();
  }
}

/** The instances of one trial: started, killed and waited for, with what happened, for a failure message. */
class Fleet {
  readonly live = new Set<Bot>();
  readonly story: string[] = [];
  readonly failures: string[] = [];
  private readonly all: Bot[] = [];

  constructor(private readonly bots: Bots) {}

  async launch(): Promise<Bot> {
    const bot = await this.bots.take();
    this.live.add(bot);
    this.all.push(bot);
    this.story.push(`start ${bot.pid}`);
    void bot.exited.then((code) => {
      this.live.delete(bot);
      // Killed (null) or finished (0); anything else is the bot failing by itself.
      if (code !== null && code !== 0) this.failures.push(`bot ${bot.pid} exited with ${code}`);
    });
    bot.go(new Date(platformNow()));
    return bot;
  }

  /** Kills a random live instance when `kill` strikes; null when none is left to kill. */
  async killAt(kill: KillPoint, rng: Rng): Promise<Bot | null> {
    const victim = await new Promise<Bot | null>((resolve) => {
      const strike = () => {
        discord.beforeAnswer = null;
        slack.beforeAnswer = null;
        clearTimeout(timer);
        clearInterval(idle);
        const candidates = [...this.live].sort((a, b) => a.pid - b.pid);
        if (candidates.length === 0) return resolve(null);
        const bot = candidates[rng.int(candidates.length)]!;
        bot.kill(); // synchronously, before the answer is written: that post's sender may never hear it
        resolve(bot);
      };
      let posts = 0;
      const onPost = () => {
        if (kill.at === 'answering-post' && ++posts === kill.n) strike();
      };
      discord.beforeAnswer = (call) => {
        if (call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path)) onPost();
      };
      slack.beforeAnswer = (call) => {
        if (call.method === 'chat.postMessage') onPost();
      };
      const timer = setTimeout(strike, kill.at === 'time' ? kill.ms : 30_000);
      // Everyone finished first: nothing left to kill.
      const idle = setInterval(() => this.live.size === 0 && strike(), 50);
    });
    if (victim) {
      await victim.exited;
      this.story.push(`${kill.at === 'time' ? `at ${kill.ms} ms` : `at post ${kill.n}`} killed ${victim.pid}${kill.restart ? ', restarting one' : ''}`);
    }
    return victim;
  }

  async allExited(timeoutMs: number): Promise<'done' | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const done = Promise.all(this.all.map((b) => b.exited)).then(() => 'done' as const);
    const outcome = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return outcome;
  }

  async killAll(): Promise<void> {
    for (const b of this.live) b.kill();
    await Promise.all(this.all.map((b) => b.exited));
  }

  stderr(): string {
    return this.all.map((b) => `--- bot ${b.pid}:\n${b.stderr().slice(-3_000)}`).join('\n');
  }
}
