import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Statements kept by their SQL text. Kysely's SQLite driver prepares every query anew, and
 * preparing costs more than running the small statements the delivery loop repeats per
 * message (about 0.7 ms of a post's CPU in the fan-out benchmark's profile). Reuse is safe:
 * kysely runs one query at a time on the connection and never leaves a statement iterating
 * (we do not stream), and SQLite re-prepares a statement itself when the schema changes.
 */
const KEEP = 500;

export function cachingStatements(raw: BetterSqlite3.Database): SqliteDatabase {
  const kept = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      kept.clear();
      raw.close();
    },
    prepare: (sql: string) => {
      let stmt = kept.get(sql);
      if (stmt) {
        // Most recently used last: the first entry is the one to drop.
        kept.delete(sql);
      } else {
        stmt = raw.prepare(sql);
        if (kept.size >= KEEP) kept.delete(kept.keys().next().value!);
      }
      kept.set(sql, stmt);
      return stmt;
    },
  };
}
