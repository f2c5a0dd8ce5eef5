import type { Kysely } from 'kysely';
import type { Database, ScheduleRow } from './schema.ts';

export interface Schedule {
  /** Local times, "HH:MM", sorted. */
  times: string[];
  /** IANA zone, e.g. Europe/Berlin. */
  timezone: string;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday, sorted. */
  weekdays: number[];
}

/** A channel's schedule as stored, with when it last changed: no slot before that fires. */
export interface StoredSchedule extends Schedule {
  changedAt: Date;
}

export const DEFAULT_SCHEDULE: Schedule = { times: ['09:00'], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5] };

export class SchedulesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(channelId: number): Promise<StoredSchedule | null> {
    const r = await this.db.selectFrom('schedules').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  /** The stored schedules of these channels, by channel id (channels on the default schedule left out); a planning pass reads them at once. */
  async getMany(channelIds: readonly number[]): Promise<Map<number, StoredSchedule>> {
    const out = new Map<number, StoredSchedule>();
    // In slices: SQLite caps the parameters of one statement.
    for (let i = 0; i < channelIds.length; i += 5000) {
      const rows = await this.db.selectFrom('schedules').selectAll().where('channel_id', 'in', channelIds.slice(i, i + 5000)).execute();
      for (const r of rows) out.set(r.channel_id, fromRow(r));
    }
    return out;
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
      // Only a real change moves `updated_at` (changedAt): typing the same schedule again must not skip a slot that is due.
      .onConflict((oc) =>
        oc
          .column('channel_id')
          .doUpdateSet({ times: row.times, timezone: row.timezone, weekdays: row.weekdays, updated_at: row.updated_at })
          .where((eb) => eb.or([eb('schedules.times', '!=', row.times), eb('schedules.timezone', '!=', row.timezone), eb('schedules.weekdays', '!=', row.weekdays)])),
      )
      .execute();
  }
}

function fromRow(r: ScheduleRow): StoredSchedule {
  return { times: JSON.parse(r.times) as string[], timezone: r.timezone, weekdays: JSON.parse(r.weekdays) as number[], changedAt: new Date(r.updated_at) };
}
