import { commands } from '../commands/index.ts';
import { openApp } from '../src/app.ts';
import { cliConfig } from '../src/cli/env.ts';
import type { CliCommand } from '../src/cli/main.ts';
import { EXIT } from '../src/cli/usage.ts';
import { systemClock } from '../src/domain/clock.ts';
import { createLogger } from '../src/logger.ts';
import { identityFrom } from './console/cli.ts';
import { ConsolePoster } from './console/poster.ts';
import { runConsoleSession } from './console/session.ts';

/** `npm start`: the platform adapters whose settings are present, else the terminal console. */
export const startCli: CliCommand = {
  usage: 'paperboy start [--team T] [--channel C] [--user U] [--member] [--db PATH]   (console flags apply when no platform tokens are set)',
  options: { team: { type: 'string' }, channel: { type: 'string' }, user: { type: 'string' }, member: { type: 'boolean' } },
  allowPositionals: false,
  async run(args) {
    const config = cliConfig(args);
    const platforms = Boolean(config.discord || config.slack);
    // In the console, logs would interleave with the prompt: only warnings, unless asked.
    const logger = createLogger(platforms || args.env.PAPERBOY_LOG_LEVEL ? config.logLevel : 'warn');
    const app = await openApp({ config, clock: systemClock, logger, commands });
    try {
      const print = (t: string) => process.stdout.write(t + '\n');
      app.posters.register(new ConsolePoster(print));
      await runConsoleSession({ runtime: app.runtime, identity: identityFrom(args), input: process.stdin, output: process.stdout });
      return EXIT.ok;
    } finally {
      await app.close();
    }
  },
};
