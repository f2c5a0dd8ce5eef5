/**
 * Work done once per fleet, not once per instance (polling the paper sources). `run` calls
 * `fn` only while no other instance of the fleet is running it under the same name, and
 * otherwise returns at once without running it: the caller simply skips, and whoever holds
 * the name does the work.
 *
 * `fn` must be short and must not call the network: on PostgreSQL the lock is a transaction
 * holding `pg_try_advisory_xact_lock(hashtext(name))`, so `fn` decides and claims (e.g. moves a
 * due time forward), and the slow work happens after it returns.
 */
export interface FleetLock {
  run<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/**
 * SQLite's fleet is one bot process (a second one refuses to start), so only this process can
 * hold a name; the set keeps two overlapping calls in it from both running.
 */
export function singleProcessFleetLock(): FleetLock {
  const held = new Set<string>();
  return {
    async run(name, fn) {
      if (held.has(name)) return { ran: false };
      held.add(name);
      try {
        return { ran: true, value: await fn() };
      } finally {
        held.delete(name);
      }
    },
  };
}
