import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import { parseActionId } from '../../../src/commands/card-actions.ts';
import { errorReply } from '../../../src/commands/dispatch.ts';
import { applyPaperAction, type PaperActionResult } from '../../../src/commands/paper-actions.ts';
import type { Logger } from '../../../src/logger.ts';
import { escapeMrkdwn, OPEN_ACTION_PREFIX, replaceCardActions } from '../render.ts';
import type { SlackListenerContext } from './context.ts';

/** Upvote / Save buttons under a paper; link buttons only need their ack. */
export function registerActions(app: App, ctx: SlackListenerContext): void {
  app.action<BlockAction<ButtonAction>>(/^pb:(vote|save):/, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    await handlePaperButton(body, action, { respond, client, teamId: context.teamId }, ctx);
  });
  app.action(new RegExp(`^${OPEN_ACTION_PREFIX}`), async ({ ack }) => {
    await ack();
  });
}

interface ActionTools {
  respond: RespondFn;
  client: webApi.WebClient;
  teamId: string | undefined;
}

async function handlePaperButton(body: BlockAction<ButtonAction>, action: ButtonAction, tools: ActionTools, ctx: SlackListenerContext): Promise<void> {
  const parsed = parseActionId(action.action_id);
  const teamId = tools.teamId ?? body.team?.id ?? body.user.team_id;
  const channelId = body.channel?.id ?? (body.container.channel_id as string | undefined);
  if (!parsed || !teamId || !channelId) {
    ctx.logger.warn('slack button without a paper, team or channel; ignored', { action: action.action_id });
    return;
  }
  const log = ctx.logger.child({ team: teamId, channel: channelId, user: body.user.id, action: action.action_id });
  const messageTs = body.container.message_ts as string | undefined;

  // One message's clicks in order, so the last redraw carries the newest count.
  const result = await ctx.serial.run(`${channelId}:${messageTs ?? body.trigger_id}`, async () => {
    let r: PaperActionResult;
    try {
      r = await applyPaperAction({ kind: parsed.kind, paperId: parsed.paperId, team: { platform: 'slack', externalId: teamId }, channel: { externalId: channelId }, userId: body.user.id }, ctx.runtime);
    } catch (e) {
      // A UserError's own words ("I no longer have paper X"); anything else is logged with a ref.
      return { error: errorReply(e, log).text };
    }
    await redraw(body, r, channelId, tools, log);
    return r;
  });

  const text = escapeMrkdwn('error' in result ? result.error : result.message);
  try {
    await tools.respond({ response_type: 'ephemeral', replace_original: false, text });
  } catch (e) {
    log.warn('slack respond failed after a button', { err: e });
  }
}

/** The clicked message with that paper's buttons showing the new counts. */
async function redraw(body: BlockAction<ButtonAction>, r: PaperActionResult, channelId: string, tools: ActionTools, log: Logger): Promise<void> {
  if (body.container.type !== 'message' || !body.message) return;
  const blocks = replaceCardActions(body.message.blocks as unknown[] | undefined, r.card);
  if (!blocks) return;
  const text = body.message.text || r.card.paper.title;
  if (body.container.is_ephemeral) {
    // Ephemeral messages can't be edited with chat.update; their response_url can replace them.
    await tools.respond({ replace_original: true, text, blocks }).catch((e: unknown) => log.warn('slack redraw of ephemeral message failed', { err: e }));
    return;
  }
  try {
    await tools.client.chat.update({ channel: channelId, ts: body.message.ts, text, blocks });
  } catch (e) {
    // Some messages (e.g. a slash command's in-channel reply) refuse chat.update; their response_url may still edit them.
    log.warn('slack chat.update failed; trying response_url', { err: e });
    await tools.respond({ replace_original: true, text, blocks }).catch((e2: unknown) => log.warn('slack redraw failed', { err: e2 }));
  }
}
