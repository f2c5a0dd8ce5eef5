import { sql, type Kysely, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { ChannelRow, Database, TeamRow } from './schema.ts';

/** A team is a Discord guild, a Slack workspace, or a console "team"; ids are the platform's. */
export interface TeamKey {
  platform: string;
  externalId: string;
  name?: string | null;
}

export interface ChannelKey {
  externalId: string;
  name?: string | null;
}

export class TeamsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The team's row, created on first sight. */
  async ensureTeam(key: TeamKey, now: Date): Promise<TeamRow> {
    await this.db
      .insertInto('teams')
      .values({ platform: key.platform, external_id: key.externalId, name: key.name ?? null, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['platform', 'external_id']).doNothing())
      .execute();
    if (key.name) {
      await this.db
        .updateTable('teams')
        .set({ name: key.name })
        .where('platform', '=', key.platform)
        .where('external_id', '=', key.externalId)
        .where((eb) => eb.or([eb('name', 'is', null), eb('name', '!=', key.name!)]))
        .execute();
    }
    return this.db
      .selectFrom('teams')
      .selectAll()
      .where('platform', '=', key.platform)
      .where('external_id', '=', key.externalId)
      .executeTakeFirstOrThrow();
  }

  async findTeam(platform: string, externalId: string): Promise<TeamRow | undefined> {
    return this.db.selectFrom('teams').selectAll().where('platform', '=', platform).where('external_id', '=', externalId).executeTakeFirst();
  }

  async ensureChannel(teamId: number, key: ChannelKey, now: Date): Promise<ChannelRow> {
    await this.db
      .insertInto('channels')
      .values({ team_id: teamId, external_id: key.externalId, name: key.name ?? null, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['team_id', 'external_id']).doNothing())
      .execute();
    return this.db
      .selectFrom('channels')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('external_id', '=', key.externalId)
      .executeTakeFirstOrThrow();
  }

  async findChannel(teamId: number, externalId: string): Promise<ChannelRow | undefined> {
    return this.db.selectFrom('channels').selectAll().where('team_id', '=', teamId).where('external_id', '=', externalId).executeTakeFirst();
  }

  async getChannel(id: number): Promise<ChannelRow | undefined> {
    return this.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A channel with its team, in one statement (the sender reads both for every channel it posts to). */
  async channelWithTeam(id: number): Promise<{ channel: ChannelRow; team: TeamRow } | undefined> {
    const row = await this.db
      .selectFrom('channels as c')
      .innerJoin('teams as t', 't.id', 'c.team_id')
      .selectAll('c')
      .select(['t.platform as team_platform', 't.external_id as team_external_id', 't.name as team_name', 't.disabled_reason as team_disabled_reason', 't.created_at as team_created_at'])
      .where('c.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const { team_platform, team_external_id, team_name, team_disabled_reason, team_created_at, ...channel } = row;
    return {
      channel,
      team: { id: channel.team_id, platform: team_platform, external_id: team_external_id, name: team_name, disabled_reason: team_disabled_reason, created_at: team_created_at },
    };
  }

  async setPaused(channelId: number, paused: boolean): Promise<void> {
    await this.db.updateTable('channels').set({ paused: paused ? 1 : 0 }).where('id', '=', channelId).execute();
  }

  async setThreadMode(channelId: number, on: boolean): Promise<void> {
    await this.db.updateTable('channels').set({ thread_mode: on ? 1 : 0 }).where('id', '=', channelId).execute();
  }

  async enableChannel(channelId: number): Promise<void> {
    await this.db.updateTable('channels').set({ disabled_reason: null, disabled_at: null, paused: 0 }).where('id', '=', channelId).execute();
  }

  /**
   * Opts the channel in to scheduled digests from `now` (a schedule or a topic does). With
   * `restart`, also after it had opted in (resume): slots missed while stopped never count.
   */
  async activate(channelId: number, now: Date, restart = false): Promise<void> {
    let q = this.db.updateTable('channels').set({ active_since: now.toISOString() }).where('id', '=', channelId);
    if (!restart) q = q.where('active_since', 'is', null);
    await q.execute();
  }

  /** Records what the adapter said about checking this channel before a re-post (null: it can). */
  async setDuplicateCheckProblem(channelId: number, problem: string | null): Promise<void> {
    await this.db.updateTable('channels').set({ duplicate_check_problem: problem }).where('id', '=', channelId).execute();
  }

  /** Channels that get scheduled digests now: opted in, not paused, not disabled, team not disabled. */
  async deliverableChannels(): Promise<Array<ChannelRow & { platform: string }>> {
    return this.db
      .selectFrom('channels as c')
      .innerJoin('teams as t', 't.id', 'c.team_id')
      .selectAll('c')
      .select('t.platform')
      .where('c.active_since', 'is not', null)
      .where('c.paused', '=', 0)
      .where('c.disabled_reason', 'is', null)
      .where('t.disabled_reason', 'is', null)
      // In turns across teams (each team's first channel, then each one's second...): planning
      // a team with thousands of channels must not hold up another team's one.
      .orderBy(sql`row_number() over (partition by c.team_id order by c.id)`)
      .orderBy('c.team_id')
      .orderBy('c.id')
      .execute();
  }

  async getTeam(id: number): Promise<TeamRow | undefined> {
    return this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Stops all posting to a workspace whose credentials the platform rejected. */
  async disableTeam(teamId: number, reason: string): Promise<void> {
    await this.db.updateTable('teams').set({ disabled_reason: reason }).where('id', '=', teamId).execute();
  }

  /**
   * The team is back (Slack: the app was installed again): its channels stopped for one of
   * `reasons` resume, as `/papers resume` would (slots missed meanwhile never count), and a
   * credentials failure on the team is forgotten. Channels stopped for other reasons stay
   * stopped. The channels resumed, for the log.
   */
  async reopenChannels(teamId: number, reasons: readonly string[], now: Date): Promise<number> {
    if (reasons.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      await trx.updateTable('teams').set({ disabled_reason: null }).where('id', '=', teamId).execute();
      const stopped = (q: UpdateChannels) => q.where('team_id', '=', teamId).where('disabled_reason', 'in', [...reasons]);
      // Channels that had opted in restart their clock; the rest stay opted out.
      await stopped(trx.updateTable('channels').set({ active_since: now.toISOString() })).where('active_since', 'is not', null).execute();
      const r = await stopped(trx.updateTable('channels').set({ disabled_reason: null, disabled_at: null })).executeTakeFirst();
      return Number(r.numUpdatedRows);
    });
  }

  async setMaxPapers(channelId: number, n: number): Promise<void> {
    await this.db.updateTable('channels').set({ max_papers: n }).where('id', '=', channelId).execute();
  }
}

type UpdateChannels = UpdateQueryBuilder<Database, 'channels', 'channels', UpdateResult>;
