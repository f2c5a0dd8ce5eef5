import { sql, type Kysely, type Migration } from 'kysely';
import { MOVE_HEADERS } from '../header-rows-sql.ts';

/**
 * A digest's header becomes an ordinary outbox row (kind 'header', no paper, rank 0 before the
 * papers): one state machine for every post, where digests carried a second, parallel one
 * (header_state, header_attempts, header lease...). SQLite cannot drop NOT NULL from
 * deliveries.paper_id, so the table is rebuilt (nothing references it).
 *
 * Also: why the platform check before a re-post cannot run in a channel (Slack without the
 * history scopes), as the adapter last found it, for /papers status.
 */
export const headerRows: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('channels').addColumn('duplicate_check_problem', 'text').execute();

    await db.schema
      .createTable('deliveries_new')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('digest_date', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().defaultTo('paper'))
      .addColumn('paper_id', 'text', (c) => c.references('papers.id'))
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('digest_id', 'integer', (c) => c.references('digests.id').onDelete('cascade'))
      .addColumn('topics', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('next_attempt_at', 'text')
      .addColumn('claimed_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      // A header has no paper: NULLs are distinct, so any number of headers fit beside it.
      .addUniqueConstraint('deliveries_key', ['channel_id', 'digest_date', 'paper_id'])
      .execute();
    const columns = sql.raw(
      'id, channel_id, digest_date, paper_id, rank, state, message_id, attempts, last_error, created_at, updated_at, digest_id, topics, next_attempt_at, claimed_at, lease_owner, lease_until',
    );
    await sql`INSERT INTO deliveries_new (${columns}) SELECT ${columns} FROM deliveries`.execute(db);
    await sql`DROP TABLE deliveries`.execute(db);
    await sql`ALTER TABLE deliveries_new RENAME TO deliveries`.execute(db);
    await db.schema.createIndex('deliveries_state').on('deliveries').columns(['state', 'channel_id']).execute();
    await db.schema.createIndex('deliveries_message').on('deliveries').column('message_id').execute();
    await db.schema.createIndex('deliveries_digest').on('deliveries').columns(['digest_id', 'rank']).execute();
    await db.schema.createIndex('deliveries_state_lease').on('deliveries').columns(['state', 'lease_until']).execute();

    await sql.raw(MOVE_HEADERS).execute(db);
    for (const column of ['header_state', 'header_message_id', 'header_attempts', 'header_next_attempt_at', 'header_lease_owner', 'header_lease_until']) {
      await db.schema.alterTable('digests').dropColumn(column).execute();
    }
  },
};
