import type { Kysely } from 'kysely';
import type { ChannelRow, Database, RecapRow } from './schema.ts';

/** A channel's weekly recap slot. */
export interface RecapSchedule {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** "HH:MM", local to the channel's schedule zone. */
  time: string;
  changedAt: Date;
}

export interface RecapDraft {
  channelId: number;
  week: string;
  slotDate: string;
  dueAt: Date;
  /** JSON of the RecapData. */
  data: string;
}

/** What a channel and its team did in a window: the raw rows a recap is counted from. */
export interface RecapActivity {
  /** The channel's papers posted (sent) on the window's local days. */
  posted: Array<{ paperId: string; day: string; topics: string[] }>;
  /** The team's votes and saves made in the window (instants). */
  votes: Array<{ paperId: string; at: string }>;
  saves: Array<{ paperId: string; at: string }>;
  /** The topics each voted or saved paper matched when it was posted to this channel (absent: never posted here). */
  topicsOf: Map<string, string[]>;
}

/**
 * Weekly recaps (issue 12): each channel's recap slot, and the recaps planned. A recap is
 * planned once per channel and ISO week (unique key), with its outbox row in the same
 * transaction, and then sent like any other post.
 */
export class RecapsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async getSchedule(channelId: number): Promise<RecapSchedule | null> {
    const r = await this.db.selectFrom('recap_schedules').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return r ? { weekday: r.weekday, time: r.time, changedAt: new Date(r.updated_at) } : null;
  }

  /** Sets the slot; only a real change moves `changedAt` (typing the same again must not skip a due recap). */
  async setSchedule(channelId: number, weekday: number, time: string, now: Date): Promise<void> {
    const stamp = now.toISOString();
    await this.db
      .insertInto('recap_schedules')
      .values({ channel_id: channelId, weekday, time, updated_at: stamp })
      .onConflict((oc) =>
        oc
          .column('channel_id')
          .doUpdateSet({ weekday, time, updated_at: stamp })
          .where((eb) => eb.or([eb('recap_schedules.weekday', '!=', weekday), eb('recap_schedules.time', '!=', time)])),
      )
      .execute();
  }

  /** Turns the recap off; false when it was not on. */
  async clearSchedule(channelId: number): Promise<boolean> {
    const r = await this.db.deleteFrom('recap_schedules').where('channel_id', '=', channelId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Channels with a recap slot that may be posted to (not paused, not disabled, team enabled), with their schedule's zone. */
  async scheduledChannels(): Promise<Array<{ channel: ChannelRow; schedule: RecapSchedule; timezone: string | null }>> {
    const rows = await this.db
      .selectFrom('recap_schedules as r')
      .innerJoin('channels as c', 'c.id', 'r.channel_id')
      .innerJoin('teams as t', 't.id', 'c.team_id')
      .leftJoin('schedules as s', 's.channel_id', 'c.id')
      .selectAll('c')
      .select(['r.weekday', 'r.time', 'r.updated_at as recap_changed_at', 's.timezone'])
      .where('c.paused', '=', 0)
      .where('c.disabled_reason', 'is', null)
      .where('t.disabled_reason', 'is', null)
      .orderBy('c.id')
      .execute();
    return rows.map(({ weekday, time, recap_changed_at, timezone, ...channel }) => ({
      channel,
      schedule: { weekday, time, changedAt: new Date(recap_changed_at) },
      timezone,
    }));
  }

  async forWeek(channelId: number, week: string): Promise<RecapRow | undefined> {
    return this.db.selectFrom('recaps').selectAll().where('channel_id', '=', channelId).where('week', '=', week).executeTakeFirst();
  }

  async byDelivery(deliveryId: number): Promise<RecapRow | undefined> {
    return this.db.selectFrom('recaps').selectAll().where('delivery_id', '=', deliveryId).executeTakeFirst();
  }

  /** Writes the recap and its outbox row in one transaction; null when the channel's week already has one. */
  async plan(d: RecapDraft, now: Date): Promise<number | null> {
    const stamp = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('recaps')
        .values({ channel_id: d.channelId, week: d.week, slot_date: d.slotDate, due_at: d.dueAt.toISOString(), data: d.data, created_at: stamp })
        .onConflict((oc) => oc.columns(['channel_id', 'week']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      const delivery = await trx
        .insertInto('deliveries')
        .values({ channel_id: d.channelId, digest_id: null, digest_date: d.slotDate, kind: 'recap', paper_id: null, rank: 0, state: 'planned', created_at: stamp, updated_at: stamp })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('recaps').set({ delivery_id: delivery.id }).where('id', '=', inserted.id).execute();
      return inserted.id;
    });
  }

  /**
   * The rows a recap counts: posts on local days `fromDay`..`toDay`, and votes and saves made in
   * [`fromAt`, `toAt`). Bounded by a week of one channel and team, so it is counted in memory.
   */
  async activity(channelId: number, teamId: number, fromDay: string, toDay: string, fromAt: Date, toAt: Date): Promise<RecapActivity> {
    const posted = await this.db
      .selectFrom('deliveries')
      .select(['paper_id', 'digest_date', 'topics'])
      .where('channel_id', '=', channelId)
      .where('kind', '=', 'paper')
      .where('state', '=', 'sent')
      .where('digest_date', '>=', fromDay)
      .where('digest_date', '<=', toDay)
      .execute();
    const [from, to] = [fromAt.toISOString(), toAt.toISOString()];
    const votes = await this.db.selectFrom('votes').select(['paper_id', 'created_at']).where('team_id', '=', teamId).where('created_at', '>=', from).where('created_at', '<', to).execute();
    const saves = await this.db.selectFrom('saves').select(['paper_id', 'created_at']).where('team_id', '=', teamId).where('created_at', '>=', from).where('created_at', '<', to).execute();
    const touched = [...new Set([...votes, ...saves].map((r) => r.paper_id))];
    const topicsOf = new Map<string, string[]>();
    if (touched.length > 0) {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['paper_id', 'topics'])
        .where('channel_id', '=', channelId)
        .where('kind', '=', 'paper')
        .where('state', '=', 'sent')
        .where('paper_id', 'in', touched)
        .orderBy('id')
        .execute();
      for (const r of rows) topicsOf.set(r.paper_id!, JSON.parse(r.topics) as string[]);
    }
    return {
      posted: posted.map((r) => ({ paperId: r.paper_id!, day: r.digest_date, topics: JSON.parse(r.topics) as string[] })),
      votes: votes.map((r) => ({ paperId: r.paper_id, at: r.created_at })),
      saves: saves.map((r) => ({ paperId: r.paper_id, at: r.created_at })),
      topicsOf,
    };
  }
}
