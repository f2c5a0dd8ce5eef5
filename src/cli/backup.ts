import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isPostgresUrl } from '../store/store.ts';
import { backupSqlite } from '../store/sqlite/backup.ts';
import { cliConfig } from './env.ts';
import type { CliCommand } from './main.ts';
import { EXIT, UsageError } from './usage.ts';

/** `paperboy backup FILE`: a consistent copy of the SQLite store, safe beside a running bot. */
export const backupCli: CliCommand = {
  usage: 'paperboy backup FILE [--db PATH]',
  options: {},
  allowPositionals: true,
  async run(args) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError('give one file to write the backup to, e.g. paperboy backup backups/paperboy-2026-08-21.db');
    const config = cliConfig(args);
    if (isPostgresUrl(config.dbPath)) {
      process.stderr.write('paperboy backup: the store is a PostgreSQL database; back it up with pg_dump (e.g. pg_dump --format=custom --file paperboy.dump "<your PAPERBOY_DB URL>").\n');
      return EXIT.failure;
    }
    if (config.dbPath === ':memory:') throw new UsageError('an in-memory database has nothing to back up');
    if (!existsSync(config.dbPath)) {
      process.stderr.write(`paperboy backup: there is no database at ${config.dbPath} (set --db or PAPERBOY_DB).\n`);
      return EXIT.failure;
    }
    if (resolve(file) === resolve(config.dbPath)) throw new UsageError('the backup file must not be the database itself');
    if (existsSync(file)) throw new UsageError(`${file} already exists; choose a new file name (a backup never overwrites)`);
    const started = performance.now();
    mkdirSync(dirname(resolve(file)), { recursive: true });
    await backupSqlite(config.dbPath, file);
    const mb = (statSync(file).size / 1_048_576).toFixed(1);
    process.stdout.write(`backed up ${config.dbPath} to ${file} (${mb} MB, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    return EXIT.ok;
  },
};
