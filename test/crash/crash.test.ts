import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';
import { seededRng, trialSeeds, type Rng } from './prng.ts';
import { Bots, buildBot, type Bot } from './processes.ts';
import { deliveryProblems, DISCORD_APP_ID, DISCORD_TOKEN, seedWorld, SLACK_TEAM, SLACK_TOKEN, SLOT_AT, type World } from './world.ts';

/*
 * Issue 5, "Crash tests": the real delivery runs in a child process against a fake Discord and
 * a fake Slack living here, for 200 channels, and is SIGKILLed at random points; after the
 * last restart runs to the end, every channel must have its digest exactly once, counted on
 * the fakes: one header, every planned paper once, nothing else.
 *
 * Where a kill lands (seeded, so a failing trial replays with PAPERBOY_CRASH_SEEDS=<seed>):
 * - while the platform is answering the n-th post: the message exists, the bot never hears;
 * - just after the n-th answer: the bot may or may not have recorded it;
 * - a random time after start: opening the database, recovering, planning, reading history.
 */

const PER_PLATFORM = 100;
const TRIALS = 20;
/** Kills per trial: 2 or 3, then a last run to the end. */
const MIN_KILLS = 2;
/** The last run must finish on its own; a wedge fails the trial instead of the whole suite's timeout. */
const FINAL_RUN_TIMEOUT_MS = 45_000;
/** Discord keeps a nonce "a few minutes". Half the trials restart after it is forgotten. */
const NONCE_KEPT_MS = 5 * 60_000;

const seeds = trialSeeds('PAPERBOY_CRASH_SEEDS', TRIALS);
const dir = mkdtempSync(join(tmpdir(), 'paperboy-crash-'));
const template = join(dir, 'template.db');
const dbPath = join(dir, 'bot.db');

let discord: FakeDiscord;
let slack: FakeSlack;
let world: World;
let build: ReturnType<typeof buildBot>;
let bots: Bots;
/** The clock of the current trial, shared by the bots (via "go") and the fake Slack's timestamps. */
let trialStartedAt = 0;
const platformNow = () => SLOT_AT.getTime() + 20_000 + (Date.now() - trialStartedAt);

beforeAll(async () => {
  world = await seedWorld(template, { discordChannels: PER_PLATFORM, slackChannels: PER_PLATFORM });
  discord = await FakeDiscord.start({ token: DISCORD_TOKEN, appId: DISCORD_APP_ID, guilds: [world.guild], nonceWindowMs: NONCE_KEPT_MS });
  slack = await FakeSlack.start({ token: SLACK_TOKEN, teamId: SLACK_TEAM, now: platformNow });
  build = buildBot();
  bots = new Bots(build.path, {
    PATH: process.env.PATH ?? '',
    PAPERBOY_DB: dbPath,
    PAPERBOY_LOG_LEVEL: 'error',
    PAPERBOY_DIGEST_CONCURRENCY: '8',
    DISCORD_TOKEN,
    DISCORD_APP_ID,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: 'crash-test-signing-secret',
    SLACK_API_URL: slack.apiUrl,
  });
}, 60_000);

afterAll(async () => {
  await bots?.closeAll();
  build?.remove();
  await discord?.close();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

type KillPoint = { at: 'answering-post'; n: number } | { at: 'after-answer'; n: number; delayMs: number } | { at: 'time'; ms: number };

function pickKill(rng: Rng, postsLeft: number): KillPoint {
  const n = 1 + rng.int(Math.max(1, postsLeft));
  const roll = rng.int(3);
  if (roll === 0) return { at: 'answering-post', n };
  if (roll === 1) return { at: 'after-answer', n, delayMs: rng.int(4) };
  return { at: 'time', ms: 50 + rng.int(1_500) };
}

const expectedPosts = () => world.channels.reduce((n, c) => n + 1 + c.expectedPapers.length, 0);
const messagesLanded = () => discord.messages.size + world.slackChannels.reduce((n, id) => n + slack.channel(id).length, 0);

/** Runs one bot until `kill` strikes (or it finishes first); its exit code, null when killed. */
async function runUntilKilled(bot: Bot, kill: KillPoint): Promise<number | null> {
  let posts = 0;
  // Called with each post's answer just before it is written.
  const onPost = () => {
    if (kill.at === 'time' || ++posts !== kill.n) return;
    if (kill.at === 'answering-post') bot.kill();
    else setTimeout(() => bot.kill(), kill.delayMs);
  };
  discord.beforeAnswer = (call) => {
    if (call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path)) onPost();
  };
  slack.beforeAnswer = (call) => {
    if (call.method === 'chat.postMessage') onPost();
  };
  const timer = kill.at === 'time' ? setTimeout(() => bot.kill(), kill.ms) : null;
  bot.go(new Date(platformNow()));
  const code = await bot.exited;
  if (timer) clearTimeout(timer);
  discord.beforeAnswer = null;
  slack.beforeAnswer = null;
  return code;
}

/** Runs a bot to the end; its exit code, or 'timeout' (the bot is then killed). */
async function runToEnd(bot: Bot): Promise<number | null | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), FINAL_RUN_TIMEOUT_MS)));
  bot.go(new Date(platformNow()));
  const code = await Promise.race([bot.exited, timeout]);
  clearTimeout(timer);
  if (code === 'timeout') bot.kill();
  return code;
}

describe(`crash: ${PER_PLATFORM * 2} channels, the bot SIGKILLed ${MIN_KILLS} or ${MIN_KILLS + 1} times per trial`, () => {
  it.each(seeds)('trial with seed %i: every digest lands exactly once', async (seed) => {
    const rng = seededRng(seed);
    const nonceKept = rng.chance(0.5);
    const killCount = MIN_KILLS + rng.int(2);
    console.log(`crash trial seed ${seed}: ${killCount} kills, Discord nonce ${nonceKept ? 'kept' : 'forgotten'} across restarts (replay: PAPERBOY_CRASH_SEEDS=${seed} npx vitest run test/crash/crash.test.ts)`);
    discord.reset();
    slack.reset();
    discord.options.nonceWindowMs = nonceKept ? NONCE_KEPT_MS : 0;
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    copyFileSync(template, dbPath);
    trialStartedAt = Date.now();

    const kills: KillPoint[] = [];
    const context = () => `seed ${seed}, kills ${JSON.stringify(kills)}`;
    for (let i = 0; i < killCount; i++) {
      const bot = await bots.take();
      const kill = pickKill(rng, expectedPosts() - messagesLanded());
      kills.push(kill);
      const code = await runUntilKilled(bot, kill);
      // Killed (null) or finished before the kill (0); anything else is the bot failing by itself.
      expect(code === null || code === 0, `${context()}: the bot exited with ${code}\n${bot.stderr()}`).toBe(true);
    }
    const last = await bots.take();
    const code = await runToEnd(last);
    expect(code, `${context()}: the last run did not finish\n${last.stderr()}`).toBe(0);

    const store = await openStore(dbPath);
    try {
      const problems = await deliveryProblems(world, { discord, slack }, store);
      expect(problems.slice(0, 20), `${context()}: ${problems.length} problems`).toEqual([]);
    } finally {
      await store.close();
    }
    discord.assertNoUnmatched();
    slack.assertClean();
  }, 90_000);
});
