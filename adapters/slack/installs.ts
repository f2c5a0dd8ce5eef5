import type { App, Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Clock } from '../../src/domain/clock.ts';
import type { Logger } from '../../src/logger.ts';
import type { SealedSlackInstallations } from '../../src/store/slack-installations.ts';
import type { Store } from '../../src/store/store.ts';
import { REMOVAL_EVENTS } from './manifest.ts';

/**
 * Install mode: Bolt's installationStore on our database. Bolt's OAuth flow stores each
 * workspace's installation here, and its authorize() fetches it for every request, so each
 * command, button and event runs with its own workspace's token; digest posts look the token
 * up here too (workspace-poster.ts). The installation (tokens included) is sealed with
 * PAPERBOY_SECRET_KEY by the repository.
 *
 * Removing the app (app_uninstalled, or the bot token revoked) deletes the installation and
 * stops the workspace's channels with a reason; installing again resumes exactly those.
 */

/** Why a removed workspace's channels stopped (shown by /papers status); a reinstall resumes channels stopped for these. */
export const REMOVED_REASONS: Readonly<Record<RemovalEvent, string>> = {
  app_uninstalled: 'Paperboy was uninstalled from this Slack workspace; installing it again resumes the digests',
  tokens_revoked: "Paperboy's access to this Slack workspace was revoked; installing the app again resumes the digests",
};

export type RemovalEvent = (typeof REMOVAL_EVENTS)[number];

/** An installation's row key: the team id, or `org:<enterprise id>` for an org-wide install. */
export function installKey(q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `org:${q.enterpriseId}`;
  if (q.teamId) return q.teamId;
  throw new Error('a Slack installation names neither a team nor an org');
}

/** The workspace has no installation (never installed, or removed): Bolt's authorize then refuses the request. */
export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
}

export class SlackInstalls implements InstallationStore {
  constructor(
    private readonly store: Store,
    private readonly rows: SealedSlackInstallations,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = installKey({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
    const now = this.clock.now();
    await this.rows.save(
      { key, teamId: installation.team?.id ?? null, enterpriseId: installation.enterprise?.id ?? null, botUserId: installation.bot?.userId ?? null, data: JSON.stringify(installation) },
      now,
    );
    const resumed = await this.resume(installation.team?.id, now);
    this.log.info('slack workspace installed', { install: key, team: installation.team?.id, resumedChannels: resumed });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = installKey(query);
    const row = await this.rows.find(key);
    if (!row) throw new NotInstalledError(`Paperboy is not installed in Slack workspace ${key}`);
    return JSON.parse(row.data) as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.rows.delete(installKey(query));
  }

  /** The workspace's bot token for posting, or null when it has none (not installed, or removed). */
  async botToken(teamId: string): Promise<string | null> {
    const row = await this.rows.find(teamId);
    if (!row) return null;
    return (JSON.parse(row.data) as Installation).bot?.token ?? null;
  }

  /** The app left the workspace: its tokens go, its channels stop with the reason. */
  async removed(where: { teamId: string | undefined; enterpriseId: string | undefined; isEnterpriseInstall: boolean }, why: RemovalEvent): Promise<void> {
    const key = installKey(where);
    const deleted = await this.rows.delete(key);
    const team = where.teamId ? await this.store.teams.findTeam('slack', where.teamId) : undefined;
    const stopped = team ? await this.store.outbox.closeTeamChannels(team.id, REMOVED_REASONS[why], this.clock.now()) : 0;
    this.log.warn('slack workspace removed the app: tokens deleted, its channels stopped', { install: key, event: why, hadInstallation: deleted, stoppedChannels: stopped });
  }

  private async resume(teamId: string | undefined, now: Date): Promise<number> {
    const team = teamId ? await this.store.teams.findTeam('slack', teamId) : undefined;
    return team ? this.store.teams.reopenChannels(team.id, Object.values(REMOVED_REASONS), now) : 0;
  }
}

/**
 * app_uninstalled, and tokens_revoked for the bot's token. Bolt runs these two without
 * authorize (the tokens are already dead), with the team from the envelope. A user token
 * revoked alone changes nothing: Paperboy asks for no user scopes.
 */
export function registerRemovalEvents(app: App, installs: SlackInstalls): void {
  const [uninstalled, revoked] = REMOVAL_EVENTS;
  app.event(uninstalled, async ({ context }) => {
    await installs.removed(where(context), uninstalled);
  });
  app.event(revoked, async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await installs.removed(where(context), revoked);
  });
}

function where(context: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall: boolean }) {
  return { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall };
}
