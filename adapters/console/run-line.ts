import { errorReply, runCommand, type Runtime } from '../../src/commands/dispatch.ts';
import { parseCommandText } from '../../src/commands/parse-text.ts';
import type { Reply } from '../../src/commands/types.ts';
import { invocationFor, type ConsoleIdentity } from './identity.ts';

/** One typed line (`/papers search delta rule`, or without the `/papers`) -> the reply. */
export async function runLine(line: string, id: ConsoleIdentity, rt: Runtime): Promise<Reply> {
  try {
    const parsed = parseCommandText(line, rt.commands);
    return await runCommand(invocationFor(id, parsed.command, parsed.options), rt);
  } catch (e) {
    return errorReply(e, rt.logger);
  }
}
