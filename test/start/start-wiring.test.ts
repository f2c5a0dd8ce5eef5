import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';
import { openStore } from '../../src/store/store.ts';
import { chatInputInteraction, FakeDiscord, Perm, type FakeGuild, type Where } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/fake-slack.ts';
import { SlackSender } from '../support/fake-slack/slack-requests.ts';

/*
 * `paperboy start` as an operator runs it (bin/paperboy.js, configured by the environment
 * only) with both platforms configured, against the fake Discord and the fake Slack: commands
 * are answered on each, and `/papers digest post` goes through the real delivery engine, so
 * the digest's messages arrive at each fake server. SIGTERM then ends it with exit code 0.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/paperboy.js');
/** Nothing listens there: the poller fails fast and the test's papers are all there is. */
const NOWHERE = 'http://127.0.0.1:9';

const DISCORD_TOKEN = 'fake-bot-token.start';
const APP_ID = '1400000000000000001';
const GUILD: FakeGuild = { id: '1400000000000000100', name: 'Reading Group', channels: [{ id: '1400000000000000200', name: 'papers' }] };
const DISCORD_CHANNEL = GUILD.channels[0]!.id;
const ADMIN_WHERE: Where = { appId: APP_ID, guild: GUILD, channelId: DISCORD_CHANNEL, user: { id: '1400000000000001001', username: 'alice' }, permissions: Perm.administrator };

const SLACK_TOKEN = 'xoxb-1111-2222-start';
const SLACK_SECRET = 'start-wiring-signing-secret';
const TEAM = 'T111';
const SLACK_CHANNEL = 'C111';
const SLACK_ADMIN = { id: 'UADMIN', team_id: TEAM, name: 'ada', is_admin: true };

let dir: string;
let discord: FakeDiscord;
let slack: FakeSlack;
let sender: SlackSender;
let bot: ChildProcess;
let stderr = '';
let paperCount = 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A recorded HF day, listed today (UTC): inside the window of a digest the bot plans now. */
async function seedStore(db: string): Promise<void> {
  const json = JSON.parse(readFileSync(new URL('../fixtures/discord/daily_papers_2026-08-17.json', import.meta.url), 'utf8'));
  const store = await openStore(db);
  const today = new Date().toISOString().slice(0, 10);
  const items = parseHfDailyPapers(json, null).items.map((it) => ({ ...it, listing: { source: 'hf' as const, day: today, rank: it.listing?.rank ?? 1 } }));
  paperCount = items.length;
  await store.papers.upsertMany(items, new Date());
  await store.close();
}

/** The Slack listener answers once startPlatforms is through (Discord starts first and is awaited). */
async function untilStarted(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (bot.exitCode !== null) throw new Error(`the bot exited (${bot.exitCode}):\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the bot did not start:\n${stderr.slice(-4000)}`);
    const answered = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-start-'));
  const db = join(dir, 'paperboy.db');
  await seedStore(db);
  discord = await FakeDiscord.start({ token: DISCORD_TOKEN, appId: APP_ID, guilds: [GUILD] });
  slack = await FakeSlack.start({ token: SLACK_TOKEN, teamId: TEAM });
  slack.users.set(SLACK_ADMIN.id, SLACK_ADMIN);
  const port = await freePort();
  sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, SLACK_SECRET);
  bot = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PAPERBOY_DB: db,
      PAPERBOY_PORT: String(port),
      PAPERBOY_LOG_LEVEL: 'warn',
      HF_API_URL: NOWHERE,
      ARXIV_API_URL: NOWHERE,
      DISCORD_TOKEN,
      DISCORD_APP_ID: APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PAPERBOY_SLACK_POST_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  bot.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-50_000)));
  await untilStarted(port);
}, 90_000);

afterAll(async () => {
  if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
  await discord?.close();
  await slack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function slackCommand(text: string, id: string): Promise<string> {
  const res = await sender.slashCommand({ text, response_url: slack.responseUrl(id), team_id: TEAM, channel_id: SLACK_CHANNEL, channel_name: 'papers', user_id: SLACK_ADMIN.id, user_name: SLACK_ADMIN.name });
  expect(res.status).toBe(200);
  const reply = await slack.waitFor(() => slack.responsesTo(id)[0], `the reply to /papers ${text}`, 20_000);
  return JSON.stringify(reply.body);
}

/** Header first, then the papers: the digest's keys as the fake Slack stored them, in order. */
const slackDigest = () => slack.channel(SLACK_CHANNEL).map((m) => String(m.metadata?.event_payload.key ?? ''));

describe('paperboy start with Discord and Slack configured', () => {
  it('answers a command on each platform', async () => {
    const answer = await discord.answerTo(discord.interact(chatInputInteraction(ADMIN_WHERE, 'show', [{ name: 'paper', type: 3, value: '2608.14391' }])), 20_000);
    expect(JSON.stringify(answer.message.embeds)).toContain('2608.14391');
    expect(await slackCommand('show 2608.14391', 'show-1')).toContain('2608.14391');
  });

  it('posts /papers digest post through the delivery engine to the fake Discord', async () => {
    const answer = await discord.answerTo(discord.interact(chatInputInteraction(ADMIN_WHERE, 'digest', [{ name: 'action', type: 3, value: 'post' }])), 20_000);
    const posted = discord.channelMessages(DISCORD_CHANNEL).filter((m) => !m.webhook_id);
    const papers = posted.filter((m) => m.embeds.length > 0 && /2608\.\d+/.test(JSON.stringify(m.embeds)));
    expect(papers.length).toBeGreaterThan(0);
    expect(papers.length).toBeLessThanOrEqual(paperCount);
    expect(answer.message.content).toContain(`Posted ${papers.length} paper`);
    // The header came first, each post carried its delivery key as the nonce.
    expect(posted.length).toBe(papers.length + 1);
    expect(JSON.stringify(posted[0])).toContain('Paperboy');
    const nonces = discord.callsTo('POST', new RegExp(`^/channels/${DISCORD_CHANNEL}/messages$`)).map((c) => (c.body as { nonce?: string }).nonce);
    expect(new Set(nonces).size).toBe(posted.length);
  });

  it('posts /papers digest post through the delivery engine to the fake Slack', async () => {
    const reply = await slackCommand('digest post', 'post-1');
    const keys = slackDigest();
    expect(keys[0]).toMatch(/^h\d+$/);
    const papers = keys.slice(1);
    expect(papers.length).toBeGreaterThan(0);
    expect(papers.every((k) => /^d\d+$/.test(k))).toBe(true);
    expect(reply).toContain(`Posted ${papers.length} paper`);
    expect(slack.channel(SLACK_CHANNEL).slice(1).every((m) => /2608\.\d+/.test(JSON.stringify(m.blocks)))).toBe(true);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => bot.once('exit', (code) => r(code)));
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
