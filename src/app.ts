import type { Runtime } from './commands/dispatch.ts';
import type { CommandSpec } from './commands/types.ts';
import type { Config } from './config.ts';
import type { Clock } from './domain/clock.ts';
import { Posters, postDigestNow } from './delivery/post-now.ts';
import type { Logger } from './logger.ts';
import { openStore, type Store } from './store/store.ts';

/** The running core: store, the runtime commands see, and the chat posters adapters register. */
export interface App {
  store: Store;
  runtime: Runtime;
  posters: Posters;
  close(): Promise<void>;
}

export async function openApp(deps: { config: Pick<Config, 'dbPath'>; clock: Clock; logger: Logger; commands: readonly CommandSpec[]; store?: Store }): Promise<App> {
  const store = deps.store ?? (await openStore(deps.config.dbPath));
  const posters = new Posters();
  const runtime: Runtime = {
    store,
    clock: deps.clock,
    logger: deps.logger,
    commands: deps.commands,
    services: {
      postDigestNow: (channelId) => postDigestNow(channelId, { store, posters, clock: deps.clock, logger: deps.logger }),
      commands: () => deps.commands,
    },
  };
  return { store, runtime, posters, close: () => store.close() };
}
