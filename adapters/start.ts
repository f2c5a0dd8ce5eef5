import { commands } from '../commands/index.ts';
import { openApp, type App } from '../src/app.ts';
import { cliConfig } from '../src/cli/env.ts';
import type { CliCommand } from '../src/cli/main.ts';
import { EXIT } from '../src/cli/usage.ts';
import type { Config } from '../src/config.ts';
import { systemClock } from '../src/domain/clock.ts';
import { startPresence } from '../src/delivery/presence.ts';
import { startTicker } from '../src/delivery/ticker.ts';
import { feedRequestHandler } from '../src/feeds/http.ts';
import { serveHandlers } from '../src/feeds/server.ts';
import { ensurePapers } from '../src/ingest/first-run.ts';
import { SourcePoller } from '../src/ingest/poller.ts';
import { polledSources } from '../src/ingest/sources.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import { HfClient } from '../src/sources/hf.ts';
import { holdBotLock, type BotLock } from '../src/store/bot-lock.ts';
import { newInstanceIdentity } from '../src/store/instances.ts';
import { openStore } from '../src/store/store.ts';
import { identityFrom } from './console/cli.ts';
import { ConsolePoster } from './console/poster.ts';
import { runConsoleSession } from './console/session.ts';
import type { HttpRoute } from './slack/index.ts';
import type { PlatformAdapter } from './types.ts';

/** An offline first screen should not wait long for a network that is not there. */
const FIRST_RUN_TIMEOUT_MS = 5_000;

/** `npm start`: the platform adapters whose settings are present, else the terminal console. */
export const startCli: CliCommand = {
  usage: 'paperboy start [--team T] [--channel C] [--user U] [--member] [--db PATH]   (console flags apply when no platform tokens are set)',
  options: { team: { type: 'string' }, channel: { type: 'string' }, user: { type: 'string' }, member: { type: 'boolean' } },
  allowPositionals: false,
  async run(args) {
    const config = cliConfig(args);
    const platforms = Boolean(config.discord || config.slack);
    // In the console, logs would interleave with the prompt: errors only, unless asked.
    const logger = createLogger(platforms || args.env.PAPERBOY_LOG_LEVEL ? config.logLevel : 'error');
    const say = (line: string) => process.stdout.write(line + '\n');

    const store = await openStore(config.dbPath, { pgPool: config.pgPool });
    const me = newInstanceIdentity();
    let botLock: BotLock;
    try {
      botLock = await holdBotLock(config.dbPath, store, me); // a second bot on one SQLite file stops here
    } catch (e) {
      await store.close();
      throw e;
    }
    const presence = await startPresence({ store, me, clock: systemClock, logger, leaseMs: config.delivery.leaseMs });
    const shutdown = new AbortController();
    await ensurePapers({
      store,
      fetchHfDay: (day) => new HfClient({ baseUrl: config.sources.hfBaseUrl, timeoutMs: FIRST_RUN_TIMEOUT_MS, logger }).fetchDay(day),
      say,
      logger,
    });
    const poller = new SourcePoller({
      store,
      sources: polledSources(config.sources, logger, shutdown.signal),
      clock: systemClock,
      logger,
      settings: { intervalMs: config.sources.pollIntervalMs, retryBaseMs: 60_000 },
    });
    const app = await openApp({ dbPath: config.dbPath, store, clock: systemClock, logger, commands, health: poller, delivery: config.delivery, instance: me, publicUrl: config.publicUrl });
    const adapters: PlatformAdapter[] = [];
    let ticker: { stop(): Promise<void> } | null = null;
    let http: { close(): Promise<void> } | null = null;
    try {
      if (platforms) {
        const feeds = feedRequestHandler({ store, clock: systemClock, logger, publicUrl: config.publicUrl });
        adapters.push(...(await startPlatforms(config, app, logger, [{ path: '/feeds/:file', handler: feeds }])));
        // Slack's HTTP receiver holds PAPERBOY_PORT and serves the feeds itself; otherwise nothing does yet.
        if (!config.slack || config.slack.appToken) http = await serveHandlers(config.port, [feeds]);
      }
      if (!platforms) app.posters.register(new ConsolePoster(say));
      await app.delivery.recover();
      ticker = startTicker(async () => {
        await poller.pollDue();
        await app.delivery.tick();
      }, logger);
      if (platforms) {
        await untilSignal();
        logger.info('shutting down');
      } else {
        await runConsoleSession({ runtime: app.runtime, identity: identityFrom(args), input: process.stdin, output: process.stdout });
      }
      return EXIT.ok;
    } finally {
      shutdown.abort();
      await ticker?.stop();
      await http?.close();
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await presence.stop();
      await app.close();
      botLock.release();
    }
  },
};

/** Starts each configured platform; a start-up failure (bad token, bad secret) fails the whole start. */
async function startPlatforms(config: Config, app: App, logger: Logger, httpRoutes: readonly HttpRoute[]): Promise<PlatformAdapter[]> {
  const started: PlatformAdapter[] = [];
  try {
    if (config.discord) {
      const { startDiscord } = await import('./discord/index.ts');
      // Instances sharing the store share the bot token too: each paces itself to its part of
      // the token's global limit. Live = heartbeat within a lease (presence beats thrice a lease).
      const liveInstances = async () => (await app.store.instances.live(systemClock.now(), config.delivery.leaseMs)).length;
      started.push(await startDiscord({ settings: config.discord, runtime: app.runtime, logger }, { liveInstances }));
    }
    if (config.slack) {
      const { startSlack } = await import('./slack/index.ts');
      started.push(await startSlack({ settings: config.slack, runtime: app.runtime, logger, port: config.port, httpRoutes }));
    }
  } catch (e) {
    await Promise.allSettled(started.map((a) => a.stop()));
    throw e;
  }
  for (const a of started) app.posters.register(a.poster);
  return started;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
