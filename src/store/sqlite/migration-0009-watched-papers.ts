import { type Kysely, type Migration } from 'kysely';

/**
 * Issue 12, watched papers. A paper keeps the arXiv version last seen and whether it was
 * withdrawn (its code link is github_url). A change to a saved paper is one watch_events row
 * (unique per paper, kind and value: seeing the same update twice records it once) and one
 * watch_notices row per person who saved it, sent as a direct message with the outbox's
 * claim and lease rules. reading_list_views keeps when each person last looked at their list.
 */
export const watchedPapers: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('papers').addColumn('arxiv_version', 'integer').execute();
    await db.schema.alterTable('papers').addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Ingest asks "is anyone watching these papers?" per batch.
    await db.schema.createIndex('saves_paper').on('saves').column('paper_id').execute();

    await db.schema
      .createTable('watch_events')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('watch_events_once', ['paper_id', 'kind', 'value'])
      .execute();

    await db.schema
      .createTable('watch_notices')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('event_id', 'integer', (c) => c.notNull().references('watch_events.id').onDelete('cascade'))
      .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('planned'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('claimed_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('message_id', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('watch_notices_once', ['event_id', 'team_id', 'user_id'])
      .execute();
    await db.schema.createIndex('watch_notices_state').on('watch_notices').columns(['state', 'next_attempt_at']).execute();

    await db.schema
      .createTable('reading_list_views')
      .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('reading_list_views_pk', ['team_id', 'user_id'])
      .execute();
  },
};
