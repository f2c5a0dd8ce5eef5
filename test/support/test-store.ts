import { randomBytes } from 'node:crypto';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { postgresMigrations } from '../../src/store/postgres/migrations.ts';
import { inlineMigrations } from '../../src/store/sqlite/migrations.ts';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/store.ts';

/**
 * The store a test runs on. By default a fresh in-memory SQLite store; under
 * PAPERBOY_TEST_DIALECT=postgres (the `postgres` vitest project) a fresh PostgreSQL database on
 * PAPERBOY_TEST_PG, created for this store and dropped when it closes, so test files running in
 * parallel never see each other's rows.
 */
export const TEST_DIALECT: 'sqlite' | 'postgres' = process.env.PAPERBOY_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/** The server the PostgreSQL suites use (any database on it: new ones are created beside it). */
export const TEST_PG_URL = process.env.PAPERBOY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Name prefix of the databases tests create (a shared server may reserve prefixes per user). */
const DB_PREFIX = process.env.PAPERBOY_TEST_DB_PREFIX || 'pb_test_';

export async function openTestStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (TEST_DIALECT === 'sqlite') return openStore(':memory:', options);
  const location = await createTestDatabase();
  const store = await openStore(location, { pgPool: 4, ...options });
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      await dropTestDatabase(location);
    },
  });
}

/**
 * Where a PostgreSQL upgrade test starts: a new database migrated up to `migration`, its URL, a
 * connection and the Migrator to take it further; `drop` closes the connection and drops it.
 */
export async function postgresMigratedTo(migration: string): Promise<{ url: string; db: Kysely<any>; migrator: Migrator; drop: () => Promise<void> }> {
  const url = await createTestDatabase();
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  const drop = async () => {
    await db.destroy();
    await dropTestDatabase(url);
  };
  const migrator = new Migrator({ db, provider: inlineMigrations(postgresMigrations) });
  const { error } = await migrator.migrateTo(migration);
  if (error) {
    await drop();
    throw error;
  }
  return { url, db, migrator, drop };
}

/** A new empty database on the test server; its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = DB_PREFIX + randomBytes(6).toString('hex');
  await admin(async (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_PG_URL);
  url.pathname = '/' + name;
  return url.toString();
}

export async function dropTestDatabase(location: string): Promise<void> {
  const name = new URL(location).pathname.slice(1);
  if (!name.startsWith(DB_PREFIX) || !/^\w+$/.test(name)) throw new Error(`refusing to drop ${name}: not a test database`);
  // The store's pool has closed its connections by now; a backend may take a moment to go.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(async (c) => c.query(`DROP DATABASE IF EXISTS ${name}${attempt < 20 ? '' : ' WITH (FORCE)'}`));
      return;
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function admin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}
