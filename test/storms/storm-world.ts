import { startDiscord } from '../../adapters/discord/index.ts';
import { startSlack } from '../../adapters/slack/index.ts';
import type { PlatformAdapter } from '../../adapters/types.ts';
import { commands } from '../../commands/index.ts';
import { openApp, type App } from '../../src/app.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { DEFAULT_DELIVERY_SETTINGS } from '../../src/delivery/engine.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore } from '../../src/store/store.ts';
import type { Rng } from '../crash/prng.ts';
import { deliveryProblems, DISCORD_APP_ID, DISCORD_TOKEN, seedWorldInto, SLACK_TEAM, SLACK_TOKEN, SLOT_AT, type World, type WorldSize } from '../crash/world.ts';
import { FakeDiscord, type Disruption } from '../support/fake-discord/index.ts';
import { FakeSlack, type ScriptStep } from '../support/fake-slack/index.ts';

/*
 * The bot in this process as `paperboy start` composes it (openApp, startDiscord, startSlack,
 * their posters registered with the engine) against a fake Discord and a fake Slack that can
 * be made to misbehave, and a clock the test moves.
 */

export interface StormWorld {
  world: World;
  app: App;
  discord: FakeDiscord;
  slack: FakeSlack;
  clock: ReturnType<typeof fixedClock>;
  logger: ReturnType<typeof memoryLogger>;
  /** Ticks (plan, send), moving the clock `stepMs` each time, until nothing is left to send. */
  runUntilSettled(opts?: { stepMs?: number; timeoutMs?: number }): Promise<{ ticks: number }>;
  close(): Promise<void>;
}

export async function startStormWorld(size: WorldSize): Promise<StormWorld> {
  const clock = fixedClock(new Date(SLOT_AT.getTime() + 20_000).toISOString());
  const logger = memoryLogger();
  const store = await openStore(':memory:');
  const world = await seedWorldInto(store, size);
  const discord = await FakeDiscord.start({ token: DISCORD_TOKEN, appId: DISCORD_APP_ID, guilds: [world.guild], nonceWindowMs: 5 * 60_000, heartbeatIntervalMs: 60_000 });
  const slack = await FakeSlack.start({ token: SLACK_TOKEN, teamId: SLACK_TEAM, now: () => clock.now().getTime() });
  const app = await openApp({ dbPath: ':memory:', store, clock, logger, commands });
  const adapters: PlatformAdapter[] = [];
  try {
    adapters.push(await startDiscord({ settings: { token: DISCORD_TOKEN, appId: DISCORD_APP_ID, apiUrl: discord.apiUrl }, runtime: app.runtime, logger }));
    adapters.push(
      await startSlack({
        settings: { botToken: SLACK_TOKEN, signingSecret: 'storm-signing-secret', appToken: undefined, apiUrl: slack.apiUrl, managers: [] },
        runtime: app.runtime,
        logger,
        port: 0,
        host: '127.0.0.1',
      }),
    );
  } catch (e) {
    await Promise.allSettled(adapters.map((a) => a.stop()));
    throw e;
  }
  for (const a of adapters) app.posters.register(a.poster);
  await app.delivery.recover();

  return {
    world,
    app,
    discord,
    slack,
    clock,
    logger,
    async runUntilSettled({ stepMs = 15_000, timeoutMs = 60_000 } = {}) {
      const until = Date.now() + timeoutMs;
      for (let ticks = 1; ; ticks++) {
        const report = await app.delivery.tick();
        if (report.planned === 0 && (await settled(app))) return { ticks };
        if (Date.now() > until) throw new Error(`still not settled after ${ticks} ticks: ${JSON.stringify(await app.store.outbox.countByState())}`);
        clock.advance(stepMs);
      }
    },
    async close() {
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await discord.close();
      await slack.close();
      await app.close();
    },
  };
}

async function settled(app: App): Promise<boolean> {
  const open = await app.store.db.selectFrom('deliveries').select('id').where('state', 'in', ['planned', 'sending']).limit(1).execute();
  return open.length === 0; // headers are delivery rows too
}

/**
 * One storm: both platforms misbehave as `settings` say while the bot delivers every digest;
 * then what reached the fakes is checked. Returns what the storm did and what went wrong.
 */
export async function weatherStorm(w: StormWorld, rng: Rng, settings: StormSettings = STORM): Promise<{ counts: StormCounts; ticks: number; posts: number; problems: string[] }> {
  const counts: StormCounts = { rateLimited: 0, serverErrors: 0, afterEffect: 0, bursts: 0 };
  w.discord.chaos = discordStorm(rng, settings, counts);
  w.slack.chaos = slackStorm(rng, settings, counts);
  const { ticks } = await w.runUntilSettled({ timeoutMs: 50_000 });
  w.discord.chaos = null;
  w.slack.chaos = null;
  const posts = w.discord.callsTo('POST', /^\/channels\/\d+\/messages$/).length + w.slack.callsTo('chat.postMessage').length;
  return { counts, ticks, posts, problems: await deliveryProblems(w.world, w, w.app.store) };
}

export interface StormSettings {
  /** Share of posts answered 429. */
  rateLimited: number;
  /** Chance, per call, that a burst of 5xx starts. */
  burstChance: number;
  /** Calls a burst lasts, at most. */
  burstLength: number;
  /** Share of 5xx answered after the post was made anyway (the platform failed on the way back). */
  failedAfterEffect: number;
}

/**
 * A burst is counted in calls, not time: when one retried paper is a channel's only traffic,
 * every call of a burst is one of its attempts (a history read that gets a 5xx is a failed try).
 * Bursts stay shorter than the attempt cap, so a storm tests exactly-once, not the give-up rule
 * (tested in test/delivery), which a burst as long as the cap would trip (seed 625618388 did).
 */
export const STORM: StormSettings = { rateLimited: 0.3, burstChance: 0.03, burstLength: DEFAULT_DELIVERY_SETTINGS.maxAttempts - 3, failedAfterEffect: 0.3 };

/** What the storm did, counted as it happened. */
export interface StormCounts {
  rateLimited: number;
  serverErrors: number;
  afterEffect: number;
  bursts: number;
}

const SERVER_ERRORS = [500, 502, 503, 504] as const;

/**
 * When 5xx come: bursts start at random, the first within the first ten calls so every storm
 * has one, and the first post caught in a burst is made before its 5xx, so every storm has
 * a post whose failure hides that it landed. Until one has been, a post arriving between
 * bursts starts one (seed 985736200's only burst caught two history reads and no post).
 */
class Bursts {
  private left = 0;
  private calls = 0;
  private readonly firstAt: number;
  private hidPost = false;

  constructor(
    private readonly rng: Rng,
    private readonly s: StormSettings,
    private readonly counts: StormCounts,
  ) {
    this.firstAt = 1 + rng.int(10);
  }

  /** Whether this call gets a 5xx, and whether the post it carries is made anyway. */
  next(isPost: boolean): { status: number; afterEffect: boolean } | null {
    this.calls++;
    const hidePostYet = isPost && !this.hidPost && this.calls > this.firstAt;
    if (this.left === 0 && (this.calls === this.firstAt || hidePostYet || this.rng.chance(this.s.burstChance))) {
      this.left = 1 + this.rng.int(this.s.burstLength);
      this.counts.bursts++;
    }
    if (this.left === 0) return null;
    this.left--;
    this.counts.serverErrors++;
    const afterEffect = isPost && (!this.hidPost || this.rng.chance(this.s.failedAfterEffect));
    if (afterEffect) {
      this.hidPost = true;
      this.counts.afterEffect++;
    }
    return { status: SERVER_ERRORS[this.rng.int(SERVER_ERRORS.length)]!, afterEffect };
  }
}

/**
 * Discord misbehaving: 3 posts in 10 answered 429 with a Retry-After (and Discord's JSON
 * body), and bursts of 5xx on any call, some after the message was made.
 */
export function discordStorm(rng: Rng, s: StormSettings, counts: StormCounts): (call: { method: string; path: string }) => Disruption | undefined {
  const bursts = new Bursts(rng, s, counts);
  return (call) => {
    if (call.path === '/gateway/bot' || call.path === '/users/@me') return undefined;
    const isPost = call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path);
    const failure = bursts.next(isPost);
    if (failure) return { ...failure, body: { message: 'upstream connect error', code: 0 } };
    if (isPost && rng.chance(s.rateLimited)) {
      counts.rateLimited++;
      const wait = [0.05, 0.1, 0.2, 0.4][rng.int(4)]!;
      return { status: 429, headers: { 'retry-after': String(wait), 'x-ratelimit-scope': 'user' }, body: { message: 'You are being rate limited.', retry_after: wait, global: false } };
    }
    return undefined;
  };
}

/** Slack misbehaving the same way (a post made may also lose its answer); its Retry-After is whole seconds. */
export function slackStorm(rng: Rng, s: StormSettings, counts: StormCounts): (call: { method: string }) => ScriptStep | undefined {
  const bursts = new Bursts(rng, s, counts);
  return (call) => {
    if (call.method === 'auth.test') return undefined;
    const isPost = call.method === 'chat.postMessage';
    const failure = bursts.next(isPost);
    // Posted, then the answer is a 5xx or never comes (the connection drops).
    if (failure) return failure.afterEffect && rng.chance(0.5) ? { lose: true } : failure;
    if (isPost && rng.chance(s.rateLimited)) {
      counts.rateLimited++;
      return { rateLimit: 1 };
    }
    return undefined;
  };
}
