import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface Schedule {
  /** Local times, "HH:MM", sorted. */
  times: string[];
  /** IANA zone, e.g. Europe/Berlin. */
  timezone: string;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday, sorted. */
  weekdays: number[];
}

export const DEFAULT_SCHEDULE: Schedule = { times: ['09:00'], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5] };

export class SchedulesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(channelId: number): Promise<Schedule | null> {
    const r = await this.db.selectFrom('schedules').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return r ? { times: JSON.parse(r.times) as string[], timezone: r.timezone, weekdays: JSON.parse(r.weekdays) as number[] } : null;
  }

  async set(channelId: number, s: Schedule, now: Date): Promise<void> {
    const row = {
      channel_id: channelId,
      times: JSON.stringify(s.times),
      timezone: s.timezone,
      weekdays: JSON.stringify(s.weekdays),
      updated_at: now.toISOString(),
    };
    await this.db
      .insertInto('schedules')
      .values(row)
      .onConflict((oc) => oc.column('channel_id').doUpdateSet({ times: row.times, timezone: row.timezone, weekdays: row.weekdays, updated_at: row.updated_at }))
      .execute();
  }
}
