import type { App, SlashCommand } from '@slack/bolt';
import { errorReply, runCommand } from '../../../src/commands/dispatch.ts';
import { parseCommandText } from '../../../src/commands/parse-text.ts';
import type { Reply } from '../../../src/commands/types.ts';
import { SLASH_COMMAND } from '../manifest.ts';
import { SLACK_MANAGER_REQUIREMENT, type SlackManagerCheck } from '../managers.ts';
import { renderReply, type SlackMessage } from '../render.ts';
import type { SlackListenerContext } from './context.ts';

/** `/papers ...`: acked at once (Slack allows 3 s), answered through response_url when done. */
export function registerCommand(app: App, ctx: SlackListenerContext): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client, context }) => {
    await ack();
    const managers = ctx.managers.of({ teamId: context.teamId ?? command.team_id, enterpriseId: context.enterpriseId ?? null }, client);
    const reply = await runSlashCommand(command, { ...ctx, managers });
    try {
      await respond(commandResponse(reply));
    } catch (e) {
      // response_url expired (30 min) or Slack refused the body: nobody else can tell the person.
      ctx.logger.error('slack respond failed', { command: command.text, channel: command.channel_id, user: command.user_id, err: e });
    }
  });
}

/** The command's reply; never throws (errors become polite ephemeral replies). */
export async function runSlashCommand(
  command: Pick<SlashCommand, 'text' | 'team_id' | 'team_domain' | 'channel_id' | 'channel_name' | 'user_id' | 'user_name'>,
  ctx: Pick<SlackListenerContext, 'runtime' | 'logger'> & { managers: SlackManagerCheck },
): Promise<Reply> {
  let parsed;
  try {
    parsed = parseCommandText(command.text ?? '', ctx.runtime.commands);
  } catch (e) {
    return errorReply(e, ctx.logger.child({ team: command.team_id, channel: command.channel_id, user: command.user_id }));
  }
  return runCommand(
    {
      command: parsed.command,
      options: parsed.options,
      team: { platform: 'slack', externalId: command.team_id, name: command.team_domain || null },
      channel: { externalId: command.channel_id, name: command.channel_name || null },
      user: { id: command.user_id, name: command.user_name || null, isManager: () => ctx.managers.isManager(command.user_id) },
      managerRequirement: SLACK_MANAGER_REQUIREMENT,
    },
    ctx.runtime,
  );
}

export interface CommandResponse extends SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
}

/**
 * A reply as a response_url body. A file (the BibTeX export) is always ephemeral: it is shown
 * inline as code blocks (see render.ts fileBlocks) and is for the person who asked.
 */
export function commandResponse(reply: Reply): CommandResponse {
  const ephemeral = reply.ephemeral || reply.file !== undefined;
  return { response_type: ephemeral ? 'ephemeral' : 'in_channel', ...renderReply({ ...reply, ephemeral }) };
}
