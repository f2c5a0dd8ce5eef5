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

  /** Removes a topic by its key; false when the channel had no such topic. */
  async remove(channelId: number, queryKey: string): Promise<boolean> {
    const r = await this.db.deleteFrom('topics').where('channel_id', '=', channelId).where('query_key', '=', queryKey).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async list(channelId: number): Promise<TopicRow[]> {
    return this.db.selectFrom('topics').selectAll().where('channel_id', '=', channelId).orderBy('id').execute();
  }
}
