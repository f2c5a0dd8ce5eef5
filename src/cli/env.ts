import { loadConfig, type Config } from '../config.ts';
import type { CliArgs } from './main.ts';

/** The configuration for a CLI run: the environment, with `--db` taking precedence over PAPERBOY_DB. */
export function cliConfig(args: CliArgs): Config {
  const db = typeof args.values.db === 'string' ? args.values.db : undefined;
  return loadConfig(db ? { ...args.env, PAPERBOY_DB: db } : args.env);
}
