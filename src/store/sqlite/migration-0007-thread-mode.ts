import { type Kysely, type Migration } from 'kysely';

/** A channel may have its digest's papers posted in a thread under the header (Slack's thread mode). */
export const threadMode: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('channels').addColumn('thread_mode', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
