import { dirname, resolve } from 'node:path';
import { isPostgresUrl } from '../../src/store/store.ts';

/** Where the console writes recap charts: beside the SQLite store; the working directory's `data/` for PostgreSQL; nowhere for an in-memory store. */
export function chartDirFor(dbPath: string): string | null {
  if (dbPath === ':memory:' || dbPath === '') return null;
  if (isPostgresUrl(dbPath)) return resolve('data');
  return dirname(resolve(dbPath));
}
