import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError } from '../domain/errors.ts';
import { UsageError, EXIT } from './usage.ts';

/** One CLI subcommand: its flags (node:util parseArgs) and what it does with them. */
export interface CliCommand {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals: boolean;
  run(args: CliArgs): Promise<number>;
}

export interface CliArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  env: NodeJS.ProcessEnv;
}

/** The CLI's commands by name, each loaded only when run (`paperboy search` never loads discord.js). */
export type CliTable = Record<string, { summary: string; load: () => Promise<CliCommand> }>;

const COMMON_OPTIONS = {
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 bad usage. */
export async function main(argv: string[], table: CliTable, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name = 'start', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText(table));
    return EXIT.ok;
  }
  const entry = table[name];
  if (!entry) {
    process.stderr.write(`paperboy: unknown command "${name}".\n\n${helpText(table)}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: command.allowPositionals,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${entry.summary}\n\nusage: ${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run({ values: values as CliArgs['values'], positionals, env });
  } catch (e) {
    if (e instanceof UsageError || isParseArgsError(e)) {
      process.stderr.write(`paperboy ${name}: ${describeError(e)}\nusage: ${command.usage}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`paperboy ${name}: ${describeError(e)}\n`);
    return EXIT.failure;
  }
}

function isParseArgsError(e: unknown): boolean {
  return e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS');
}

function helpText(table: CliTable): string {
  const width = Math.max(...Object.keys(table).map((n) => n.length));
  const lines = Object.entries(table).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: paperboy <command> [options]   (--db PATH or PAPERBOY_DB selects the database)\n\n${lines.join('\n')}\n`;
}
