import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { deliveryProblems, DISCORD_APP_ID, DISCORD_TOKEN, SLACK_TEAM, SLACK_TOKEN, type World } from '../crash/world.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack, SlackSender } from '../support/fake-slack/index.ts';
import { freePort, seedLiveWorld } from './live-world.ts';

/*
 * Issue 11, Operations, "Must show": the real `paperboy start` (bin/paperboy.js, as an operator
 * runs it) against the fake Discord and fake Slack. It serves /healthz and /metrics on
 * PAPERBOY_PORT (through Bolt's HTTP receiver, which owns that port), takes SIGTERM in the
 * middle of a digest fan-out to 60 channels and exits 0 within 10 s; started again, it posts the
 * rest: every digest lands exactly once (counted on the fakes, as the crash tests count).
 * A Discord-only bot, where no Slack receiver listens, serves both endpoints itself.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/paperboy.js');
const NOWHERE = 'http://127.0.0.1:9';
const SIGNING_SECRET = 'ops-test-signing-secret-0123456789';
/** Each post takes this long at the fakes, so a fan-out lasts seconds and a SIGTERM lands inside it. */
const POST_LATENCY_MS = 60;
/** The bound on a stop. */
const STOP_WITHIN_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'paperboy-ops-'));
let discord: FakeDiscord;
let slack: FakeSlack;
let world: World;
const running: ChildProcess[] = [];

interface BotRun {
  child: ChildProcess;
  err(): string;
  exited: Promise<number | null>;
}

function startBot(env: Record<string, string>): BotRun {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HF_API_URL: NOWHERE, ARXIV_API_URL: NOWHERE, PAPERBOY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.push(child);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-50_000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, err: () => err, exited };
}

async function get(port: number, path: string): Promise<{ status: number; body: string } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.text() };
  } catch {
    return null; // not listening yet
  }
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, bot: BotRun, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (bot.child.exitCode !== null) throw new Error(`the bot exited (${bot.child.exitCode}) before ${what}:\n${bot.err()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${bot.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM; resolves with the exit code and how long the stop took. */
async function terminate(bot: BotRun): Promise<{ code: number | null; ms: number }> {
  const at = Date.now();
  bot.child.kill('SIGTERM');
  const code = await Promise.race([bot.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), STOP_WITHIN_MS + 5_000))]);
  if (code === 'hung') {
    bot.child.kill('SIGKILL');
    throw new Error(`the bot did not exit after SIGTERM:\n${bot.err()}`);
  }
  return { code, ms: Date.now() - at };
}

/** One metric sample's value from the text exposition format, or undefined. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const expectedPosts = () => world.channels.reduce((n, c) => n + 1 + c.expectedPapers.length, 0);
const landed = () => discord.messages.size + world.slackChannels.reduce((n, id) => n + slack.channel(id).length, 0);

beforeAll(async () => {
  world = await seedLiveWorld(join(dir, 'bot.db'), { discordChannels: 30, slackChannels: 30 });
  discord = await FakeDiscord.start({ token: DISCORD_TOKEN, appId: DISCORD_APP_ID, guilds: [world.guild] });
  slack = await FakeSlack.start({ token: SLACK_TOKEN, teamId: SLACK_TEAM });
  discord.latency = (method, path) => (method === 'POST' && /^\/channels\/\d+\/messages$/.test(path) ? POST_LATENCY_MS : 0);
  slack.latency = (call) => (call.method === 'chat.postMessage' ? POST_LATENCY_MS : 0);
}, 60_000);

afterAll(async () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await discord?.close();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('operations: paperboy start against the fake Discord and Slack', () => {
  it('serves /healthz and /metrics, stops cleanly on SIGTERM mid fan-out, and after a restart every digest has landed exactly once', async () => {
    const port = await freePort();
    const env = {
      PAPERBOY_DB: join(dir, 'bot.db'),
      PAPERBOY_PORT: String(port),
      PAPERBOY_DIGEST_CONCURRENCY: '4',
      PAPERBOY_DISCORD_REQUESTS_PER_SECOND: '10000',
      PAPERBOY_SLACK_POST_INTERVAL_MS: '0',
      DISCORD_TOKEN,
      DISCORD_APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    };

    // First run: up, healthy, measured, and stopped while the fan-out is under way.
    const first = startBot(env);
    const health = await until('a healthy /healthz', async () => {
      const r = await get(port, '/healthz');
      return r?.status === 200 ? r : null;
    }, first);
    expect(health.body).toBe('ok\n');
    await until('the fan-out to start', async () => landed() >= 5, first);
    const during = (await get(port, '/metrics'))!;
    expect(during.status).toBe(200);
    for (const name of ['posts_sent_total', 'posts_failed_total', 'command_duration_seconds', 'ingest_polls_total', 'ingest_last_success_timestamp_seconds', 'channels_disabled', 'digests_due_unsent']) {
      expect(during.body).toContain(`# TYPE paperboy_${name} `);
    }
    expect(sample(during.body, 'paperboy_digests_due_unsent')).toBeGreaterThan(0);
    expect(sample(during.body, 'paperboy_channels_disabled')).toBe(0);
    // The sources are unreachable here: polls fail and are counted.
    expect(during.body).toMatch(/paperboy_ingest_polls_total\{source="hf",outcome="failed"\} [1-9]/);

    const before = landed();
    expect(before, 'SIGTERM must land inside the fan-out').toBeLessThan(expectedPosts());
    const stop = await terminate(first);
    expect(stop.code, first.err()).toBe(0);
    expect(stop.ms).toBeLessThan(STOP_WITHIN_MS);
    expect(first.err()).toContain('"msg":"shutting down"');
    const afterStop = landed();
    expect(afterStop, 'the stop left posts for the restart').toBeLessThan(expectedPosts());
    // The token never reaches a log line.
    for (const secret of [DISCORD_TOKEN, SLACK_TOKEN, SIGNING_SECRET]) expect(first.err()).not.toContain(secret);

    // Second run: it finishes the digests, answers a command (timed in the histogram), and stops cleanly again.
    const second = startBot(env);
    await until('every post to land', async () => landed() >= expectedPosts(), second, 60_000);
    const help = await new SlackSender(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET).slashCommand({
      text: 'help',
      response_url: slack.responseUrl('ops-help'),
      team_id: SLACK_TEAM,
      channel_id: world.slackChannels[0]!,
      user_id: 'U0OPS',
    });
    expect(help.status).toBe(200);
    const after = await until('the metrics to show the finished fan-out', async () => {
      const r = await get(port, '/metrics');
      return r && sample(r.body, 'paperboy_digests_due_unsent') === 0 && /paperboy_command_duration_seconds_count\{command="help"\} 1/.test(r.body) ? r.body : null;
    }, second, 15_000);
    expect(sample(after, 'paperboy_posts_sent_total{platform="discord"}')).toBeGreaterThan(0);
    expect(sample(after, 'paperboy_posts_sent_total{platform="slack"}')).toBeGreaterThan(0);
    const secondStop = await terminate(second);
    expect(secondStop.code, second.err()).toBe(0);
    expect(secondStop.ms).toBeLessThan(STOP_WITHIN_MS);

    const store = await openStore(join(dir, 'bot.db'));
    try {
      const problems = await deliveryProblems(world, { discord, slack }, store);
      expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
      const open = await store.db.selectFrom('deliveries').select('id').where('state', 'in', ['planned', 'sending']).execute();
      expect(open).toEqual([]);
    } finally {
      await store.close();
    }
    expect(landed()).toBe(expectedPosts());
    discord.assertNoUnmatched();
  }, 180_000);

  it('a Discord-only bot serves /healthz and /metrics on PAPERBOY_PORT itself, and stops on SIGINT', async () => {
    const port = await freePort();
    const bot = startBot({
      PAPERBOY_DB: join(dir, 'discord-only.db'),
      PAPERBOY_PORT: String(port),
      DISCORD_TOKEN,
      DISCORD_APP_ID,
      DISCORD_API_URL: discord.apiUrl,
    });
    const health = await until('a healthy /healthz', async () => {
      const r = await get(port, '/healthz');
      return r?.status === 200 ? r : null;
    }, bot);
    expect(health.body).toBe('ok\n');
    const metrics = (await get(port, '/metrics'))!;
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('# TYPE paperboy_posts_sent_total counter');
    expect((await get(port, '/nope'))?.status).toBe(404);
    bot.child.kill('SIGINT');
    expect(await bot.exited, bot.err()).toBe(0);
  }, 90_000);
});
