import type { SelectQueryBuilder } from 'kysely';

/**
 * How a claim statement locks the channel it claims in: the one place a claim differs per
 * dialect. A claim (OutboxRepo.claimRun, headers and papers alike) is one conditional UPDATE whose
 * subquery picks the channel's next rows, all of one digest; the channel id in it comes from
 * `SELECT id FROM channels WHERE id = ?`, passed through `lockChannel`.
 *
 * - SQLite: nothing to add. Writers take turns on the whole file, so a claim statement sees
 *   every committed claim before it.
 * - PostgreSQL: `q.forNoKeyUpdate().skipLocked()`. Two instances claiming in one channel at
 *   the same instant: the second finds the channel locked and claims nothing this time (the
 *   first is sending there), instead of skipping the first's row and taking the channel's
 *   next one, which would break rank order. NO KEY UPDATE leaves new deliveries' foreign-key
 *   checks on the channel free to proceed. If the second statement's snapshot predates the
 *   first's commit, it picks the same rows, and the outer UPDATE's re-check of each row's
 *   state (under the row lock) makes it a no-op: never two claims of one row.
 */
export interface ClaimLocking {
  lockChannel<DB, TB extends keyof DB, O>(q: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
}

export const NO_CLAIM_LOCKING: ClaimLocking = { lockChannel: (q) => q };
