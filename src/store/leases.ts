import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * What the two leased queues (the digest outbox's `deliveries`, the direct messages'
 * `watch_notices`) share: how a row is claimed, and that a claimed row is renewed or settled
 * only while its owner still holds it.
 */
export type LeasedTable = 'deliveries' | 'watch_notices';

/** A claim's holder and until when it holds it. */
export interface Lease {
  /** The instance id (InstanceIdentity.id). */
  owner: string;
  until: Date;
}

/** The columns a claim sets: sending, one more attempt, the first claim's time kept (how far back a retry's platform check must look), the lease. */
export function claimedColumns(stamp: string, owner: string, until: string) {
  return (eb: ExpressionBuilder<Database, LeasedTable>) => ({
    state: 'sending' as const,
    attempts: eb('attempts', '+', 1),
    claimed_at: eb.fn.coalesce('claimed_at', eb.val(stamp)),
    lease_owner: owner,
    lease_until: until,
    updated_at: stamp,
  });
}

/** An update of row `id` of `table` that applies only while `owner` holds it (state 'sending', its lease, even one run out unnoticed). */
export function whileHeld(db: Kysely<Database>, table: LeasedTable, id: number, owner: string) {
  return db.updateTable(table).where('id', '=', id).where('state', '=', 'sending').where('lease_owner', '=', owner);
}

/** Extends the lease on a row being sent; false when it is no longer ours. */
export async function renewLease(db: Kysely<Database>, table: LeasedTable, id: number, lease: Lease): Promise<boolean> {
  const r = await whileHeld(db, table, id, lease.owner).set({ lease_until: lease.until.toISOString() }).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
