import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/*
 * The newest search rows, in a table of their own (migration 0011): `papers_search_recent` holds
 * every row of `papers_search` whose day is on or after `search_recent_floor.day`, copied by
 * triggers as rows are written. A GIN index hands back every match in no useful order, so a
 * query matching a third of a million papers sorted all of them by day to rank the newest
 * 2,000; this table's index holds only a year's papers, and where its matches are enough
 * (or `since:` asks for no older ones) the big one is never read.
 */

/** What a search needs to know about the table: its floor and how many rows it holds. */
export interface RecentPart {
  /** YYYY-MM-DD: every paper of this day or later is in the table. */
  floor: string;
  rows: number;
}

/**
 * Moves the floor up to `days` before the newest paper's day (today's, if a paper claims a later
 * one), once it lags by a twelfth of that or more (a month for a year), and drops the rows it
 * left behind, in the ingest's transaction (ingests take turns: an advisory lock), so the table
 * never holds a row before its floor. The floor never moves down: rows a lower floor would want
 * are not copied back (the table is smaller, never wrong, until newer papers come).
 */
export async function advanceRecentFloor(trx: Kysely<Database>, days: number): Promise<void> {
  const step = Math.max(1, Math.round(days / 12));
  const moved = await sql`
    UPDATE search_recent_floor f SET day = t.day
    FROM (SELECT least(max(day), current_date) - ${days}::integer AS day FROM papers_search HAVING max(day) IS NOT NULL) t
    WHERE t.day >= f.day + ${step}::integer`.execute(trx);
  if (Number(moved.numAffectedRows ?? 0) > 0) {
    await sql`DELETE FROM papers_search_recent r USING search_recent_floor f WHERE r.day < f.day`.execute(trx);
  }
}

/**
 * The store's size (its largest seq, as planning counts it) and the table's floor, in one round
 * trip: the floor is read with every search, since a search that trusts a floor the table has
 * moved past would miss papers. The floor is null while -infinity (the table holds every row:
 * asking it first gains nothing).
 */
export async function readSizeAndFloor(db: Kysely<Database>): Promise<{ size: number; floor: string | null }> {
  const r = await sql<{ size: number | null; floor: string | null }>`
    SELECT (SELECT max(seq) FROM papers) AS size,
      (SELECT to_char(day, 'YYYY-MM-DD') FROM search_recent_floor WHERE isfinite(day)) AS floor`.execute(db);
  return { size: Number(r.rows[0]?.size ?? 0), floor: r.rows[0]?.floor ?? null };
}

/** The rows on or after the floor (an estimate's input: a count a little behind does no harm). */
export async function countRecentRows(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ rows: string }>`
    SELECT count(*) AS rows FROM papers_search_recent r, search_recent_floor f WHERE r.day >= f.day`.execute(db);
  return Number(r.rows[0]!.rows);
}
