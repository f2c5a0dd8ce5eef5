import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, EXIT } from './usage.ts';

/** One CLI subcommand: its flags (node:util parseArgs) and what it does with them. */
export interface CliCommand {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals: boolean;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[]; env: NodeJS.ProcessEnv }): Promise<number>;
}

const COMMON_OPTIONS = {
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

async function loadCommands(): Promise<Record<string, CliCommand>> {
  // Imported lazily: `paperboy search` should not pay for loading discord.js.
  return {
    start: (await import('./start.ts')).startCommand,
  };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const commands = await loadCommands();
  const [name = 'start', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText(commands));
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`paperboy: unknown command "${name}".\n\n${helpText(commands)}`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: command.allowPositionals,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${command.summary}\n\nusage: ${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run({ values: values as Record<string, string | boolean | undefined>, positionals, env });
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`paperboy ${name}: ${(e as Error).message}\nusage: ${command.usage}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`paperboy ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failure;
  }
}

function helpText(commands: Record<string, CliCommand>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: paperboy <command> [options]   (--db PATH or PAPERBOY_DB selects the database)\n\n${lines.join('\n')}\n`;
}
