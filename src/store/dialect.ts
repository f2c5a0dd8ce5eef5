import { sql, type Kysely } from 'kysely';
import { NO_CLAIM_LOCKING, type ClaimLocking } from './claim-locking.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The few things the shared repositories do differently per database, chosen in one place
 * (openStore) so that no repository asks which database it is on.
 */
export interface DialectSeam {
  readonly name: DialectName;
  /** Papers per multi-row INSERT: bounded by the bound-parameter limit (SQLite 32,766; PostgreSQL 65,535) at 23 columns. */
  readonly paperBatchRows: number;
  /**
   * Called first in an ingest transaction. Ingest tells its new papers by `seq > max(seq)` at
   * its start; SQLite's single writer makes that safe, PostgreSQL needs one ingest at a time.
   */
  serializeIngest(trx: Kysely<Database>): Promise<void>;
  /** How a delivery or header claim locks its channel (claim-locking.ts). */
  readonly claimLocking: ClaimLocking;
  /**
   * Whether a digest is planned in one statement (data-modifying WITH: PostgreSQL) rather than
   * a transaction (BEGIN, three statements, COMMIT): one round trip to the server instead of
   * five. SQLite has no such statement, and its transactions cost no round trip.
   */
  readonly planInOneStatement: boolean;
}

export const SQLITE_SEAM: DialectSeam = {
  name: 'sqlite',
  paperBatchRows: 400,
  serializeIngest: async () => {},
  claimLocking: NO_CLAIM_LOCKING,
  planInOneStatement: false,
};

/** Any fixed 64-bit key: the ingest's transaction-scoped advisory lock. */
const INGEST_LOCK = 0x7061_7065_7262;

export const POSTGRES_SEAM: DialectSeam = {
  name: 'postgres',
  paperBatchRows: 1_000,
  serializeIngest: async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK})`.execute(trx);
  },
  // Another instance claiming in the same channel right now skips it this time (claim-locking.ts).
  claimLocking: { lockChannel: (q) => q.forNoKeyUpdate().skipLocked() },
  planInOneStatement: true,
};
