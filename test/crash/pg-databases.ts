import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/*
 * Throwaway PostgreSQL databases for the fleet crash test, named `pb_fleet_*` (the prefix this
 * suite may create and drop on a shared server).
 */

export const FLEET_PG_URL = process.env.PAPERBOY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'pb_fleet_';
const POSTGRES_STORE = fileURLToPath(new URL('../../src/store/postgres/open.ts', import.meta.url));

/** Null when the suite can run; else why not, for the skip notice. */
export async function postgresUnavailable(): Promise<string | null> {
  if (!existsSync(POSTGRES_STORE)) return 'this build has no PostgreSQL store yet (src/store/postgres)';
  try {
    await admin(async (c) => c.query('SELECT 1'));
    return null;
  } catch (e) {
    return `no PostgreSQL server answers at ${FLEET_PG_URL} (${e instanceof Error ? e.message : String(e)}); set PAPERBOY_TEST_PG`;
  }
}

export function fleetDatabaseName(role: string): string {
  return `${PREFIX}${randomBytes(4).toString('hex')}_${role}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(FLEET_PG_URL);
  url.pathname = '/' + name;
  return url.toString();
}

/** (Re)creates `name`, empty or as a copy of `template` (which must have no open connections). */
export async function recreateDatabase(name: string, template?: string): Promise<void> {
  checkName(name);
  if (template) checkName(template);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  checkName(name);
  await admin(async (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

function checkName(name: string): void {
  if (!name.startsWith(PREFIX) || !/^\w+$/.test(name)) throw new Error(`refusing to touch database ${name}: not one of this suite's`);
}

async function admin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: FLEET_PG_URL, connectionTimeoutMillis: 3_000 });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}
