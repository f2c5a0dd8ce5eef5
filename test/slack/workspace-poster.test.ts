import { describe, expect, it } from 'vitest';
import type { SlackPoster } from '../../adapters/slack/poster.ts';
import { NOT_INSTALLED, WorkspaceSlackPoster } from '../../adapters/slack/workspace-poster.ts';
import type { OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import { memoryLogger } from '../../src/logger.ts';

/* Install mode's digest poster: the channel's workspace decides the token (installs.test.ts drives it end to end). */

const NOTICE: OutboundMessage = { kind: 'notice', key: 'n1', text: 'hello' };

function world(tokens: Record<string, string | null | Error>, answer: (token: string) => PostOutcome = (t) => ({ ok: true, messageId: `ts-${t}` })) {
  const built: string[] = [];
  const logger = memoryLogger();
  const poster = new WorkspaceSlackPoster(
    async (team) => {
      const t = tokens[team];
      if (t instanceof Error) throw t;
      return t ?? null;
    },
    (token) => {
      built.push(token);
      return { post: async () => answer(token) } as unknown as SlackPoster;
    },
    logger,
  );
  return { poster, built, logger };
}

describe('WorkspaceSlackPoster', () => {
  it("posts with the channel's workspace token, one poster per token, a new one after a reinstall", async () => {
    const tokens: Record<string, string> = { TA: 'xoxb-a1', TB: 'xoxb-b1' };
    const { poster, built } = world(tokens);
    expect(await poster.forTeam('TA').post('C1', NOTICE)).toEqual({ ok: true, messageId: 'ts-xoxb-a1' });
    expect(await poster.forTeam('TB').post('C2', NOTICE)).toEqual({ ok: true, messageId: 'ts-xoxb-b1' });
    await poster.forTeam('TA').post('C1', NOTICE);
    expect(built).toEqual(['xoxb-a1', 'xoxb-b1']);
    tokens.TA = 'xoxb-a2';
    expect(await poster.forTeam('TA').post('C1', NOTICE)).toEqual({ ok: true, messageId: 'ts-xoxb-a2' });
    expect(built).toEqual(['xoxb-a1', 'xoxb-b1', 'xoxb-a2']);
  });

  it('stops a workspace that has no installation, saying how to resume', async () => {
    const { poster } = world({ TA: null });
    expect(await poster.forTeam('TA').post('C1', NOTICE)).toEqual({ ok: false, action: 'disable-team', reason: NOT_INSTALLED });
  });

  it("keeps the post for later when the token can't be read (a wrong key, the database away)", async () => {
    const { poster, logger } = world({ TA: new Error('could not decrypt a stored secret') });
    expect(await poster.forTeam('TA').post('C1', NOTICE)).toMatchObject({ ok: false, action: 'retry', reason: expect.stringContaining('could not decrypt') });
    expect(logger.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it("a dead token's advice is to install again, not to set SLACK_BOT_TOKEN", async () => {
    const { poster } = world({ TA: 'xoxb-a1' }, () => ({ ok: false, action: 'disable-team', reason: 'Slack said token_revoked: the bot token was revoked (app uninstalled?): reinstall the app and update SLACK_BOT_TOKEN.' }));
    const outcome = await poster.forTeam('TA').post('C1', NOTICE);
    expect(outcome).toMatchObject({ ok: false, action: 'disable-team' });
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toMatch(/^Slack said token_revoked: .*installing the app again/);
    expect(reason).not.toContain('SLACK_BOT_TOKEN');
  });

  it('refuses a post that names no workspace (the delivery layer always names it)', async () => {
    const { poster } = world({});
    expect(await poster.post('C1', NOTICE)).toMatchObject({ ok: false, action: 'retry' });
  });
});
