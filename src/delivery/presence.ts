import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';
import type { InstanceIdentity } from '../store/instances.ts';
import type { Store } from '../store/store.ts';

export interface Presence {
  /** Stops heartbeating and deregisters (a killed process never gets here; its row goes stale). */
  stop(): Promise<void>;
}

/**
 * A bot's registration in the store's instances table, heartbeat every third of a lease. Rows
 * silent for two leases are forgotten at start: by then every lease their owner held has run
 * out too, since it renewed them no longer than it heartbeat.
 */
export async function startPresence(deps: { store: Store; me: InstanceIdentity; clock: Clock; logger: Logger; leaseMs: number }): Promise<Presence> {
  const { store, me, clock, logger, leaseMs } = deps;
  const log = logger.child({ part: 'presence', instance: me.id });
  const forgotten = await store.instances.removeStale(clock.now(), 2 * leaseMs);
  if (forgotten > 0) log.info('forgot instances that stopped heartbeating', { count: forgotten });
  await store.instances.register(me, clock.now());
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = store.instances
      .heartbeat(me.id, clock.now())
      .then((present) => (present ? undefined : store.instances.register(me, clock.now())))
      .catch((e: unknown) => log.warn('heartbeat failed; trying again shortly', { err: e }));
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await beating;
      await store.instances.remove(me.id).catch((e: unknown) => log.warn('could not deregister', { err: e }));
    },
  };
}
