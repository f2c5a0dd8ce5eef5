import { type Kysely, type Migration } from 'kysely';

/**
 * The outbox for scheduled digests. A digest row per (channel, local date, slot) is the
 * "already done" marker the ticker checks; a delivery row per paper is claimed, posted and
 * settled one at a time, so a crash leaves at most one post uncertain per channel.
 */
export const deliveryOutbox: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('digests')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('digest_date', 'text', (c) => c.notNull())
      /** Local HH:MM of the schedule slot, or `manual-<iso>` for /papers digest post. */
      .addColumn('slot', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('window_from', 'text', (c) => c.notNull())
      .addColumn('window_to', 'text', (c) => c.notNull())
      .addColumn('paper_count', 'integer', (c) => c.notNull())
      .addColumn('header_state', 'text', (c) => c.notNull())
      .addColumn('header_message_id', 'text')
      .addColumn('header_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('header_next_attempt_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('digests_slot', ['channel_id', 'digest_date', 'slot'])
      .execute();
    await db.schema.createIndex('digests_channel_created').on('digests').columns(['channel_id', 'created_at']).execute();

    await db.schema.alterTable('deliveries').addColumn('digest_id', 'integer', (c) => c.references('digests.id').onDelete('cascade')).execute();
    await db.schema.alterTable('deliveries').addColumn('topics', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('deliveries').addColumn('next_attempt_at', 'text').execute();
    await db.schema.alterTable('deliveries').addColumn('claimed_at', 'text').execute();
    await db.schema.createIndex('deliveries_digest').on('deliveries').columns(['digest_id', 'rank']).execute();

    // Scheduled digests only go to channels that asked (a schedule or a topic); slots before
    // this instant never count as missed, so opting in or resuming never posts a backlog.
    await db.schema.alterTable('channels').addColumn('active_since', 'text').execute();

    await db.schema
      .createTable('source_status')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('last_ok_at', 'text')
      .addColumn('last_error_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      /** Papers the last successful poll returned: zero on a weekday morning is not news, it is a gap. */
      .addColumn('last_items', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_poll_at', 'text')
      .execute();
  },
};
