import { commands } from '../commands/index.ts';
import { openApp, type App } from '../src/app.ts';
import { cliConfig } from '../src/cli/env.ts';
import type { CliCommand } from '../src/cli/main.ts';
import { EXIT } from '../src/cli/usage.ts';
import { secretsOf, type Config } from '../src/config.ts';
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
import { checkHealth } from '../src/ops/health.ts';
import { opsRoutes, routesHandler, type OpsRoute } from '../src/ops/http.ts';
import { OpsMetrics } from '../src/ops/metrics.ts';
import { identityFrom } from './console/cli.ts';
import { chartDirFor } from './console/chart-dir.ts';
import { ConsolePoster } from './console/poster.ts';
import { runConsoleSession } from './console/session.ts';
import type { SlackAdapter } from './slack/index.ts';
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
    const platforms = Boolean(config.discord || config.slack || config.slackInstall);
    // Taken at once, so a SIGTERM during start-up also ends in an orderly stop, not a kill.
    const signalled = platforms ? untilSignal() : null;
    // In the console, logs would interleave with the prompt: errors only, unless asked.
    const logger = createLogger(platforms || args.env.PAPERBOY_LOG_LEVEL ? config.logLevel : 'error', { secrets: secretsOf(config) });
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
    const metrics = new OpsMetrics(store, systemClock);
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
      events: metrics,
    });
    const app = await openApp({ dbPath: config.dbPath, store, clock: systemClock, logger, commands, health: poller, delivery: config.delivery, instance: me, events: metrics, publicUrl: config.publicUrl, limits: config.limits });
    const adapters: PlatformAdapter[] = [];
    const routes = opsRoutes({ health: () => checkHealth(store, adapters), metrics: () => metrics.render() }, logger);
    let opsServer: { close(): Promise<void> } | null = null;
    let ticker: { stop(): Promise<void> } | null = null;
    try {
      if (platforms) {
        const feeds = feedRequestHandler({ store, clock: systemClock, logger, publicUrl: config.publicUrl });
        adapters.push(...(await startPlatforms(config, app, logger, routes, [{ path: '/feeds/:file', handler: feeds }])));
        // Slack in HTTP mode serves /healthz, /metrics and the feeds on its own port; otherwise they get ours.
        if (!adapters.some((a) => a.platform === 'slack' && (a as SlackAdapter).mode === 'http')) {
          opsServer = await serveHandlers(config.port, [routesHandler(routes), feeds]);
          logger.info('health, metrics and feed endpoints listening', { port: config.port });
        }
      }
      if (!platforms) app.posters.register(new ConsolePoster(say, { chartDir: chartDirFor(config.dbPath) }));
      await app.delivery.recover();
      ticker = startTicker(async () => {
        await poller.pollDue();
        await app.delivery.tick();
      }, logger);
      if (signalled) {
        const signal = await signalled;
        logger.info('shutting down', { signal });
        // The orderly stop below is bounded step by step; this is the backstop if a step hangs anyway.
        setTimeout(() => {
          logger.error('shutdown did not finish in time; exiting', { afterMs: STOP_DEADLINE_MS });
          process.exit(EXIT.failure);
        }, STOP_DEADLINE_MS).unref();
      } else {
        await runConsoleSession({ runtime: app.runtime, identity: identityFrom(args), input: process.stdin, output: process.stdout });
      }
      return EXIT.ok;
    } finally {
      await stopInOrder({ app, ticker, adapters, opsServer, presence, shutdown, logger });
      botLock.release();
      // Whatever a library still holds open (a keep-alive socket, a timer) must not keep a stopped bot alive.
      if (platforms) setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    }
  },
};

/** A stop ends within 10 s: sends get this long to finish; the rest (adapters, store) is quick. */
const DRAIN_MS = 6_000;
const ADAPTER_STOP_MS = 2_000;
/** The bound on a stop, less a margin for the process to exit. */
const STOP_DEADLINE_MS = 9_500;
/** After the start command returns, the process exits by itself; past this, it is made to. */
const EXIT_GRACE_MS = 500;

/**
 * SIGTERM / SIGINT: stop taking commands and planning or claiming posts; let the posts in
 * flight finish and be recorded (for up to DRAIN_MS); stop the adapters and the endpoints;
 * deregister (a post still unsettled then is released: the next start, or another bot,
 * checks the platform before sending it again); close the store.
 */
async function stopInOrder(s: {
  app: App;
  ticker: { stop(): Promise<void> } | null;
  adapters: readonly PlatformAdapter[];
  opsServer: { close(): Promise<void> } | null;
  presence: { stop(): Promise<void> };
  shutdown: AbortController;
  logger: Logger;
}): Promise<void> {
  s.app.stopAccepting();
  s.app.delivery.stop();
  s.shutdown.abort();
  if (s.ticker && (await within(s.ticker.stop(), DRAIN_MS)) === 'timeout') {
    s.logger.warn('posts still in flight at shutdown are released; they are checked on the platform before any resend', { waitedMs: DRAIN_MS });
  }
  await Promise.allSettled(s.adapters.map((a) => within(a.stop(), ADAPTER_STOP_MS)));
  await s.opsServer?.close();
  await s.presence.stop();
  await s.app.close();
}

async function within<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts each configured platform; a start-up failure (bad token, bad secret) fails the whole start. Exported for fleet tests. */
export async function startPlatforms(config: Config, app: App, logger: Logger, routes: readonly OpsRoute[], httpRoutes: readonly HttpRoute[]): Promise<PlatformAdapter[]> {
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
      started.push(await startSlack({ settings: config.slack, runtime: app.runtime, logger, port: config.port, routes, httpRoutes }));
    }
    if (config.slackInstall) {
      const { startSlackInstalls } = await import('./slack/install-mode.ts');
      started.push(await startSlackInstalls({ settings: config.slackInstall, runtime: app.runtime, logger, port: config.port, routes, httpRoutes }));
    }
  } catch (e) {
    await Promise.allSettled(started.map((a) => a.stop()));
    throw e;
  }
  for (const a of started) app.posters.register(a.poster);
  return started;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
