import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database, InstanceRow } from './schema.ts';

/** Who this process is to the store: host and pid for people, a random part so a reused pid is a new instance. */
export interface InstanceIdentity {
  id: string;
  host: string;
  pid: number;
}

export function newInstanceIdentity(host: string = hostname(), pid: number = process.pid): InstanceIdentity {
  return { id: `${host}:${pid}:${randomBytes(4).toString('hex')}`, host, pid };
}

/**
 * Running bot processes. Each registers at start and heartbeats while it lives; one that
 * stopped heartbeating (killed, frozen, unplugged) is no longer live, and the leases it
 * held run out on their own.
 */
export class InstancesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async register(me: InstanceIdentity, now: Date): Promise<void> {
    const stamp = now.toISOString();
    await this.db
      .insertInto('instances')
      .values({ id: me.id, host: me.host, pid: me.pid, started_at: stamp, heartbeat_at: stamp })
      .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: stamp }))
      .execute();
  }

  /** False when the row is gone (removed as stale by another instance): the caller should register again. */
  async heartbeat(id: string, now: Date): Promise<boolean> {
    const r = await this.db.updateTable('instances').set({ heartbeat_at: now.toISOString() }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Instances that heartbeat within `staleAfterMs` of `now`, oldest first. */
  async live(now: Date, staleAfterMs: number): Promise<InstanceRow[]> {
    const since = new Date(now.getTime() - staleAfterMs).toISOString();
    return this.db.selectFrom('instances').selectAll().where('heartbeat_at', '>=', since).orderBy('started_at').orderBy('id').execute();
  }

  async get(id: string): Promise<InstanceRow | undefined> {
    return this.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async all(): Promise<InstanceRow[]> {
    return this.db.selectFrom('instances').selectAll().orderBy('started_at').orderBy('id').execute();
  }

  /** Forgets every other instance: only for a caller that knows they are all gone (the SQLite bot lock). */
  async removeAllExcept(id: string): Promise<void> {
    await this.db.deleteFrom('instances').where('id', '!=', id).execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('instances').where('id', '=', id).execute();
  }

  /** Forgets instances silent for longer than `staleAfterMs` (housekeeping; their leases expire regardless). */
  async removeStale(now: Date, staleAfterMs: number): Promise<number> {
    const since = new Date(now.getTime() - staleAfterMs).toISOString();
    const r = await this.db.deleteFrom('instances').where('heartbeat_at', '<', since).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
