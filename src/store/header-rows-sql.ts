/**
 * Migration step shared by both dialects (SQLite 0006, PostgreSQL 0004): each digest's header,
 * in whatever state it was, becomes a delivery row of kind 'header' (rank 0, no paper).
 */
export const MOVE_HEADERS = `
INSERT INTO deliveries (channel_id, digest_date, kind, paper_id, rank, state, message_id, attempts, created_at, updated_at, digest_id, topics, next_attempt_at, claimed_at, lease_owner, lease_until)
SELECT channel_id, digest_date, 'header', NULL, 0, header_state, header_message_id, header_attempts, created_at, created_at, id, '[]',
       header_next_attempt_at, CASE WHEN header_attempts > 0 THEN created_at END, header_lease_owner, header_lease_until
FROM digests WHERE header_state <> 'none'`;
