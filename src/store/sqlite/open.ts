import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from '../schema.ts';
import { registerFtsFunctions } from './fts-rows.ts';
import { cachingStatements } from './statement-cache.ts';
import { inlineMigrations, sqliteMigrations } from './migrations.ts';

export interface SqliteHandle {
  db: Kysely<Database>;
  /** The raw connection, for the few SQLite-only paths (pragmas, FTS maintenance). */
  raw: BetterSqlite3.Database;
}

/** Opens (creating when needed) the SQLite file, sets the pragmas we rely on, and migrates. */
export async function openSqlite(path: string): Promise<SqliteHandle> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  // WAL: readers never wait for the writer. busy_timeout: a second process (the CLI beside a
  // running bot) waits for the lock instead of failing. Foreign keys are off by default in SQLite.
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  // Before migrating: the index triggers call it.
  registerFtsFunctions(raw);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(raw) }) });
  const migrator = new Migrator({ db, provider: inlineMigrations(sqliteMigrations) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    await db.destroy();
    throw new Error(`database migration ${failed ?? ''} failed for ${path}: ${String(error)}`);
  }
  return { db, raw };
}
