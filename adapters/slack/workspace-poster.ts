import { describeError } from '../../src/domain/errors.ts';
import type { ChatPoster, DirectMessage, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import type { Logger } from '../../src/logger.ts';
import type { SlackPoster } from './poster.ts';

/** Why a workspace without an installation gets nothing: it never installed the app, or removed it. */
export const NOT_INSTALLED = 'Paperboy is not installed in this Slack workspace: install it again (the /slack/install page) to resume the digests';

/**
 * Install mode's digest poster: each workspace's posts go out with its own bot token. The
 * delivery layer asks for the channel's team (`forTeam`); the token is read from the
 * installations on every post (one indexed row), so a reinstall's new token, stored by any
 * instance, is used at once. A SlackPoster (and its WebClient) is kept per workspace while the
 * token stays the same.
 */
export class WorkspaceSlackPoster implements ChatPoster {
  readonly platform = 'slack';
  private readonly byTeam = new Map<string, { token: string; poster: SlackPoster }>();

  constructor(
    private readonly tokenOf: (teamId: string) => Promise<string | null>,
    private readonly posterFor: (token: string) => SlackPoster,
    private readonly log: Logger,
  ) {}

  forTeam(teamId: string): ChatPoster {
    return {
      platform: this.platform,
      post: (channelId, message) => this.as(teamId, (p) => p.post(channelId, message)),
      postDirect: (userId, message) => this.as(teamId, (p) => p.postDirect(userId, message)),
    };
  }

  /** Without a team there is no token to post with; the delivery layer always names the team. */
  async post(channelId: string, message: OutboundMessage): Promise<PostOutcome> {
    this.log.error('slack post without a workspace in install mode; kept for a retry', { channel: channelId, key: message.key });
    return { ok: false, action: 'retry', reason: 'no Slack workspace was given for this post' };
  }

  /** Direct messages too go out as the person's workspace (see forTeam); this is only the marker that Slack can send them. */
  async postDirect(userId: string, message: DirectMessage): Promise<PostOutcome> {
    this.log.error('slack direct message without a workspace in install mode; kept for a retry', { user: userId, key: message.key });
    return { ok: false, action: 'retry', reason: 'no Slack workspace was given for this message' };
  }

  private async as(teamId: string, send: (poster: SlackPoster) => Promise<PostOutcome>): Promise<PostOutcome> {
    let token: string | null;
    try {
      token = await this.tokenOf(teamId);
    } catch (e) {
      // A wrong PAPERBOY_SECRET_KEY, or the database is down: nothing the workspace did; try later.
      this.log.error('could not read the slack workspace token', { team: teamId, err: describeError(e) });
      return { ok: false, action: 'retry', reason: `could not read the workspace's token (${describeError(e)})` };
    }
    if (!token) {
      this.byTeam.delete(teamId);
      return { ok: false, action: 'disable-team', reason: NOT_INSTALLED };
    }
    let hit = this.byTeam.get(teamId);
    if (hit?.token !== token) {
      hit = { token, poster: this.posterFor(token) };
      this.byTeam.set(teamId, hit);
    }
    const outcome = await send(hit.poster);
    // The single-workspace advice (update SLACK_BOT_TOKEN) does not apply here: a new install brings a new token.
    if (!outcome.ok && outcome.action === 'disable-team') return { ...outcome, reason: `${outcome.reason.replace(/:.*$/s, '')}: ${REINSTALL}` };
    return outcome;
  }
}

const REINSTALL = "this workspace's token no longer works; installing the app again (the /slack/install page) resumes the digests";
