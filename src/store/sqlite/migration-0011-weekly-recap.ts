import { type Kysely, type Migration } from 'kysely';

/**
 * Issue 12, weekly recap. A channel's recap slot (one weekday and time, in the channel's zone),
 * and one row per recap planned: unique per channel and ISO week, so two ticks, two bots or a
 * restart plan it once. Its post is an ordinary outbox row (deliveries.kind 'recap').
 */
export const weeklyRecap: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('recap_schedules')
      .addColumn('channel_id', 'integer', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
      .addColumn('weekday', 'integer', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('recaps')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('week', 'text', (c) => c.notNull())
      .addColumn('slot_date', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('delivery_id', 'integer', (c) => c.references('deliveries.id').onDelete('set null'))
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('recaps_channel_week', ['channel_id', 'week'])
      .execute();
    await db.schema.createIndex('recaps_delivery').on('recaps').column('delivery_id').execute();
  },
};
