/*
 * The bot's delivery, as a separate process the crash test can SIGKILL: the real store on a
 * SQLite file, the real engine, the real Discord poster (discord.js REST) and the real Slack
 * poster (WebClient), configured from the environment by loadConfig like `paperboy start`.
 * No gateway and no Bolt server: nothing here listens, it only delivers. The crash test runs
 * it compiled into one file (processes.ts, buildBot); `node --import tsx test/crash/child.ts`
 * runs the same thing from source.
 *
 * Protocol with the parent: the process loads its modules, prints "ready", then waits for a
 * line "go <ISO time>" (the clock starts there, so a spare can be loaded while another runs).
 * It exits 0 once every planned post is settled. When stdin closes (the test is gone), it
 * exits at once, so it can never outlive the test.
 */
import { createInterface } from 'node:readline';
import { REST } from 'discord.js';
import { createDiscordPoster } from '../../adapters/discord/poster.ts';
import { boltLogger } from '../../adapters/slack/bolt-logger.ts';
import { createClient, POST_RETRY } from '../../adapters/slack/client.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { commands } from '../../commands/index.ts';
import { openApp } from '../../src/app.ts';
import { loadConfig, secretsOf } from '../../src/config.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { startPresence } from '../../src/delivery/presence.ts';
import { holdBotLock } from '../../src/store/bot-lock.ts';
import { newInstanceIdentity } from '../../src/store/instances.ts';
import { openStore } from '../../src/store/store.ts';

/**
 * discord.js paces every bot to Discord's 50 requests/s; the fake has no such limit, and at 50/s
 * the suite would spend its time waiting. Crash safety does not depend on the pace.
 */
const FAKE_GLOBAL_REQUESTS_PER_SECOND = 5_000;
/** Short backoff, so a retry (there should be none) cannot stall the run. */
const RETRY = { retryBaseMs: 200, retryMaxMs: 2_000 };

const config = loadConfig(process.env);
if (!config.discord || !config.slack) throw new Error('the crash child needs both DISCORD_* and SLACK_* settings');
const logger = createLogger(config.logLevel, { secrets: secretsOf(config) });

const start = await untilGo();
const clock: Clock = { now: () => new Date(start.at + (Date.now() - start.wall)) };

const store = await openStore(config.dbPath);
// As `paperboy start` does: one bot per SQLite file (a killed one leaves nothing behind), any number on PostgreSQL.
const me = newInstanceIdentity();
await holdBotLock(config.dbPath, store, me);
await startPresence({ store, me, clock, logger, leaseMs: config.delivery.leaseMs });
const app = await openApp({ dbPath: config.dbPath, store, clock, logger, commands, instance: me, delivery: { ...config.delivery, ...RETRY } });
const rest = new REST({ api: config.discord.apiUrl, globalRequestsPerSecond: FAKE_GLOBAL_REQUESTS_PER_SECOND }).setToken(config.discord.token);
app.posters.register(createDiscordPoster(rest, logger.child({ platform: 'discord' })));
const slackLog = logger.child({ platform: 'slack' });
app.posters.register(new SlackPoster(createClient(config.slack.botToken, { apiUrl: config.slack.apiUrl, logger: boltLogger(slackLog) }, POST_RETRY), { clock, logger: slackLog }));

await app.delivery.recover();
// What the ticker does every minute, back to back: plan what is due, send what is ready.
for (;;) {
  const report = await app.delivery.tick();
  if (report.planned === 0 && (await settled())) break;
  await new Promise((r) => setTimeout(r, 20));
}
await app.close();
process.exit(0);

async function settled(): Promise<boolean> {
  const open = await store.db.selectFrom('deliveries').select('id').where('state', 'in', ['planned', 'sending']).limit(1).execute();
  return open.length === 0; // headers are delivery rows too
}

function untilGo(): Promise<{ at: number; wall: number }> {
  const lines = createInterface({ input: process.stdin });
  lines.on('close', () => process.exit(2));
  process.stdout.write('ready\n');
  return new Promise((resolve) => {
    lines.on('line', (line) => {
      const m = /^go (\S+)$/.exec(line.trim());
      if (m) resolve({ at: Date.parse(m[1]!), wall: Date.now() });
    });
  });
}
