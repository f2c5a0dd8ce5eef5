import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Runtime } from '../../src/commands/dispatch.ts';
import type { ConsoleIdentity } from './identity.ts';
import { renderReply } from './render.ts';
import { runLine } from './run-line.ts';

/**
 * The terminal chat: type `/papers search delta rule` (the `/papers` is optional) and read the
 * reply. Works the same on a TTY and with piped input, so a transcript can be scripted.
 */
export async function runConsoleSession(deps: { runtime: Runtime; identity: ConsoleIdentity; input: Readable; output: Writable }): Promise<void> {
  const { runtime, identity, input, output } = deps;
  const interactive = 'isTTY' in input && Boolean(input.isTTY);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, prompt: `paperboy #${identity.channel}> ` });
  const say = (text: string) => output.write(text + '\n');
  say(`Paperboy console: you are ${identity.user} in #${identity.channel} of team ${identity.team}${identity.manager ? ' (manager)' : ''}.`);
  say('Type /papers help for the commands, exit to leave.');
  if (interactive) rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit' || line === '.exit') break;
    if (line) {
      if (!interactive) say(`> ${line}`);
      say(renderReply(await runLine(line, identity, runtime)));
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}
