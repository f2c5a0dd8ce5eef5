import type { Kysely } from 'kysely';
import type { Database, TopicRow } from './schema.ts';

export class TopicsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a topic; false when the channel already follows one with the same meaning. */
  async add(channelId: number, query: string, queryKey: string, userId: string, now: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('topics')
      .values({ channel_id: channelId, query, query_key: queryKey, created_by: userId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['channel_id', 'query_key']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Adds a topic unless the channel already follows `max` (or this one): the count and the
   * insert run under the channel's row lock, so subscribes racing at the limit (several
   * people, several bots on one store) take turns and never pass it.
   */
  async addWithin(channelId: number, query: string, queryKey: string, userId: string, now: Date, max: number): Promise<TopicAddition> {
    return this.db.transaction().execute(async (trx) => {
      // A no-op write takes the channel row's lock (PostgreSQL) or the write lock (SQLite) first.
      await trx.updateTable('channels').set((eb) => ({ paused: eb.ref('paused') })).where('id', '=', channelId).execute();
      const rows = await trx.selectFrom('topics').select('query_key').where('channel_id', '=', channelId).execute();
      if (rows.some((r) => r.query_key === queryKey)) return { added: false, reason: 'exists', count: rows.length };
      if (rows.length >= max) return { added: false, reason: 'full', count: rows.length };
      await trx.insertInto('topics').values({ channel_id: channelId, query, query_key: queryKey, created_by: userId, created_at: now.toISOString() }).execute();
      return { added: true, count: rows.length + 1 };
    });
  }

  /** Removes a topic by its key; false when the channel had no such topic. */
  async remove(channelId: number, queryKey: string): Promise<boolean> {
    const r = await this.db.deleteFrom('topics').where('channel_id', '=', channelId).where('query_key', '=', queryKey).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async list(channelId: number): Promise<TopicRow[]> {
    return this.db.selectFrom('topics').selectAll().where('channel_id', '=', channelId).orderBy('id').execute();
  }

  /** list() for many channels in one statement (a planning pass's chunk); a channel without topics has an empty list. */
  async listMany(channelIds: readonly number[]): Promise<Map<number, TopicRow[]>> {
    const out = new Map<number, TopicRow[]>(channelIds.map((id) => [id, []]));
    if (channelIds.length === 0) return out;
    const rows = await this.db.selectFrom('topics').selectAll().where('channel_id', 'in', [...channelIds]).orderBy('channel_id').orderBy('id').execute();
    for (const r of rows) out.get(r.channel_id)?.push(r);
    return out;
  }
}

/** What addWithin did; `count` is how many topics the channel follows afterwards. */
export type TopicAddition = { added: true; count: number } | { added: false; reason: 'exists' | 'full'; count: number };
