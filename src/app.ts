import type { Runtime } from './commands/dispatch.ts';
import type { CommandSpec } from './commands/types.ts';
import type { Clock } from './domain/clock.ts';
import { DEFAULT_CHANNEL_LIMITS, type ChannelLimits } from './domain/limits.ts';
import { feedUrl } from './feeds/http.ts';
import { DEFAULT_DELIVERY_SETTINGS, DeliveryEngine, type DeliverySettings, type SourceHealth } from './delivery/engine.ts';
import { Posters } from './delivery/posters.ts';
import { storeOnlyHealth } from './ingest/poller.ts';
import type { Logger } from './logger.ts';
import type { OpsEvents } from './ops/events.ts';
import { newInstanceIdentity, type InstanceIdentity } from './store/instances.ts';
import { openStore, type Store } from './store/store.ts';

/** The running core: store, the runtime commands see, the delivery engine and the posters adapters register. */
export interface App {
  store: Store;
  runtime: Runtime;
  posters: Posters;
  delivery: DeliveryEngine;
  /** Who this process is to the store (the owner of its delivery leases). */
  instance: InstanceIdentity;
  /** Shutting down: from now on commands are answered with "try again in a minute". */
  stopAccepting(): void;
  close(): Promise<void>;
}

export interface AppDeps {
  /** A SQLite file path or a PostgreSQL URL. */
  dbPath: string;
  /** PostgreSQL pool size (config.pgPool). */
  pgPool?: number;
  clock: Clock;
  logger: Logger;
  commands: readonly CommandSpec[];
  /** An already open store (tests). */
  store?: Store;
  delivery?: Partial<DeliverySettings>;
  /** Defaults to "the store is all there is" (no polling). */
  health?: SourceHealth;
  /** Defaults to a new identity for this process. */
  instance?: InstanceIdentity;
  /** Metrics hooks (posts, command latency). */
  events?: OpsEvents;
  /** Where this bot's HTTP port is reached from outside (PAPERBOY_PUBLIC_URL), for feed links. */
  publicUrl?: string;
  /** Fair-use limits per channel (config.limits); defaults to DEFAULT_CHANNEL_LIMITS. */
  limits?: ChannelLimits;
}

export async function openApp(deps: AppDeps): Promise<App> {
  const store = deps.store ?? (await openStore(deps.dbPath, deps.pgPool === undefined ? {} : { pgPool: deps.pgPool }));
  const posters = new Posters();
  const instance = deps.instance ?? newInstanceIdentity();
  const delivery = new DeliveryEngine({
    instanceId: instance.id,
    store,
    posters,
    clock: deps.clock,
    logger: deps.logger,
    health: deps.health ?? storeOnlyHealth,
    settings: { ...DEFAULT_DELIVERY_SETTINGS, ...deps.delivery },
    ...(deps.events && { events: deps.events }),
  });
  let accepting = true;
  const runtime: Runtime = {
    store,
    clock: deps.clock,
    logger: deps.logger,
    commands: deps.commands,
    ...(deps.events && { events: deps.events }),
    accepting: () => accepting,
    services: {
      postDigestNow: (channelId) => delivery.postNow(channelId),
      commands: () => deps.commands,
      limits: deps.limits ?? DEFAULT_CHANNEL_LIMITS,
      ...(deps.publicUrl ? { feedUrl: (token: string) => feedUrl(deps.publicUrl!, token) } : {}),
    },
  };
  return {
    store,
    runtime,
    posters,
    delivery,
    instance,
    stopAccepting: () => {
      accepting = false;
    },
    close: () => store.close(),
  };
}
