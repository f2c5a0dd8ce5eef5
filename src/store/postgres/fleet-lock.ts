import { sql, type Kysely } from 'kysely';
import type { FleetLock } from '../fleet-lock.ts';
import type { Database } from '../schema.ts';

/**
 * The fleet lock on PostgreSQL: a transaction holding `pg_try_advisory_xact_lock(hashtext(name))`
 * while `fn` runs (on other pool connections: the transaction only holds the lock). Another
 * instance asking for the name meanwhile gets `ran: false` at once; a crashed holder's session
 * ends and the lock with it, so nothing is ever left held.
 */
export function postgresFleetLock(db: Kysely<Database>): FleetLock {
  return {
    run: (name, fn) =>
      db.transaction().execute(async (trx) => {
        const r = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${name})) AS got`.execute(trx);
        if (!r.rows[0]?.got) return { ran: false as const };
        return { ran: true as const, value: await fn() };
      }),
  };
}
