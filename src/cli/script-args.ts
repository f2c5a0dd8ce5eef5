import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT } from './usage.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Flags of a developer script (`npm run bench`, `eval`, `fuzz`): `--help` prints `usage` and
 * exits 0; an unknown flag or a bad value prints what is wrong and the usage, and exits 2,
 * instead of a stack trace.
 */
export function scriptArgs<const O extends Options>(name: string, options: O, usage: string) {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(EXIT.ok);
  }
  try {
    return parseArgs({ options }).values;
  } catch (e) {
    return usageExit(name, e instanceof Error ? e.message : String(e), usage);
  }
}

/** Says what is wrong with the script's flags, and how to call it; exits 2. */
export function usageExit(name: string, problem: string, usage: string): never {
  process.stderr.write(`${name}: ${problem}\nusage: ${usage}\n`);
  process.exit(EXIT.usage);
}
