import type { webApi } from '@slack/bolt';
import type { Clock } from '../../src/domain/clock.ts';
import { describeError, UserError } from '../../src/domain/errors.ts';
import type { Logger } from '../../src/logger.ts';

/** How a refusal names what is missing (runCommand puts it in "it needs ..."). */
export const SLACK_MANAGER_REQUIREMENT = 'a Slack workspace admin or owner, or someone listed in SLACK_MANAGERS';

/** The manager check for the workspace a request comes from, given the client Bolt made for it. */
export interface ManagerChecks {
  of(workspace: { teamId: string; enterpriseId: string | null }, client: webApi.WebClient): SlackManagerCheck;
}

/** One workspace (SLACK_BOT_TOKEN): one check, whatever the request. */
export function singleWorkspaceManagers(check: SlackManagerCheck): ManagerChecks {
  return { of: () => check };
}

/**
 * Install mode: a check per workspace, asking Slack with that workspace's token. Kept while
 * the token stays the same (its users.info answers are cached); a reinstall's new token
 * starts a fresh one.
 */
export class WorkspaceManagerChecks implements ManagerChecks {
  private readonly byTeam = new Map<string, { token: string | undefined; check: SlackManagerCheck }>();

  constructor(
    private readonly listed: ReadonlySet<string>,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  of(workspace: { teamId: string; enterpriseId: string | null }, client: webApi.WebClient): SlackManagerCheck {
    const hit = this.byTeam.get(workspace.teamId);
    if (hit && hit.token === client.token) return hit.check;
    const check = new SlackManagerCheck(client, workspace, this.listed, this.clock, this.log);
    this.byTeam.set(workspace.teamId, { token: client.token, check });
    return check;
  }
}

/** What users.info says about a person, as far as managing goes. */
interface UserFacts {
  admin: boolean;
  guest: boolean;
  /** From another organization (Slack Connect). */
  external: boolean;
}

export interface ManagerCheckOptions {
  /** users.info answers are kept this long (roles change rarely; a demoted admin loses power within it). */
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * Slack has no per-command permissions, so manager-only subcommands ask: is this person a
 * workspace admin/owner, or listed in SLACK_MANAGERS? Guests and people from other
 * organizations never are. When Slack can't be asked, the answer is no (fail closed), with
 * a message that says so rather than pretending the person lacks the role.
 */
export class SlackManagerCheck {
  private readonly cache = new Map<string, { facts: UserFacts; expires: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly workspace: { teamId: string; enterpriseId: string | null },
    private readonly listed: ReadonlySet<string>,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: ManagerCheckOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.maxEntries = opts.maxEntries ?? 5_000;
  }

  /** True for a manager, false for a member; throws a UserError for guests, outsiders and failed lookups. */
  async isManager(userId: string): Promise<boolean> {
    if (this.listed.has(userId)) return true;
    const facts = await this.facts(userId);
    if (facts.guest) {
      throw new UserError('forbidden', "Sorry, guest accounts can't change Paperboy's settings for a channel. Please ask a workspace admin or owner.");
    }
    if (facts.external) {
      throw new UserError('forbidden', "Sorry, people from another organization can't change Paperboy's settings in this workspace. Please ask one of its admins.");
    }
    return facts.admin;
  }

  private async facts(userId: string): Promise<UserFacts> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(userId);
    if (hit && hit.expires > now) return hit.facts;
    let facts: UserFacts;
    try {
      const res = await this.client.users.info({ user: userId });
      if (!res.user) throw new Error('users.info returned no user');
      const u = res.user;
      const sameEnterprise = this.workspace.enterpriseId !== null && u.enterprise_user?.enterprise_id === this.workspace.enterpriseId;
      facts = {
        admin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
        guest: Boolean(u.is_restricted || u.is_ultra_restricted),
        external: Boolean(u.is_stranger) || (u.team_id !== undefined && u.team_id !== this.workspace.teamId && !sameEnterprise),
      };
    } catch (e) {
      this.log.warn('users.info failed: refusing a manager command', { user: userId, err: describeError(e) });
      throw new UserError(
        'forbidden',
        `I couldn't check your Slack role just now (${slackErrorCode(e)}), so I can't run a manager command. Please try again in a minute; if it keeps failing, whoever runs Paperboy can list you in SLACK_MANAGERS.`,
      );
    }
    this.cache.delete(userId);
    this.cache.set(userId, { facts, expires: now + this.ttlMs });
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return facts;
  }
}

function slackErrorCode(e: unknown): string {
  const data = (e as { data?: { error?: unknown } } | null)?.data;
  if (typeof data?.error === 'string') return data.error;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'no answer';
}
