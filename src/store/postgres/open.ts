import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.ts';
import { inlineMigrations } from '../sqlite/migrations.ts';
import { postgresMigrations } from './migrations.ts';

export interface PostgresHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
}

export interface PostgresOptions {
  /** Connections in the pool (PAPERBOY_PG_POOL). */
  poolSize: number;
}

const TIMESTAMPTZ_OID = 1184;
const parseDate = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (v: string) => Date;

/**
 * The repositories are dialect-neutral: they write timestamps as ISO-8601 strings
 * (`Date.toISOString()`) and read them back as strings (schema.ts), as SQLite stores them. pg
 * would hand back a Date for a `timestamptz`; this parser hands back the same ISO string
 * instead, so a row reads the same from either store. Per pool, not pg's global registry: other
 * pg users in the process keep their Dates.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary'
      ? (v: string) => parseDate(v).toISOString()
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Opens a pool on the PostgreSQL database at `url` and migrates it to the latest schema. */
export async function openPostgres(url: string, options: PostgresOptions): Promise<PostgresHandle> {
  // Sessions in UTC: a day such as `since:2026-08-01` compared with a timestamptz means midnight UTC, as on SQLite.
  // No JIT and no parallel workers: the planner prices a full-text query over a large store
  // high (its match estimates for a tsquery are rough), then compiled it (about 40 ms) or
  // started two workers (about 25 ms) for a search that runs in a few. Our statements are
  // short; both pay off only for long analytic scans.
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize, types, options: '-c TimeZone=UTC -c jit=off -c max_parallel_workers_per_gather=0' });
  // An idle connection the server closes (a restart, a terminated backend) is an 'error' event on
  // the pool: without a listener it would crash the process. The pool drops that client; the
  // next query opens a new one, or fails with an error its caller handles.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Two instances starting at once must not both migrate: the Migrator takes its own lock table on PostgreSQL.
    const migrator = new Migrator({ db, provider: inlineMigrations(postgresMigrations) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`database migration ${failed ?? ''} failed for ${redact(url)}: ${String(error)}`);
    }
  } catch (e) {
    await db.destroy();
    if (e instanceof Error && /ECONNREFUSED|ENOTFOUND|does not exist|password authentication/.test(e.message)) {
      throw new Error(`cannot open the PostgreSQL database ${redact(url)}: ${e.message}`);
    }
    throw e;
  }
  return { db, pool };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
