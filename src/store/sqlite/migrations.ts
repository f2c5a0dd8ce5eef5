import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { deliveryOutbox } from './migration-0002-delivery.ts';
import { wordForms } from './migration-0003-word-forms.ts';
import { similarityTaste } from './migration-0004-similarity-taste.ts';
import { leasesInstances } from './migration-0005-leases-instances.ts';
import { headerRows } from './migration-0006-header-rows.ts';
import { threadMode } from './migration-0007-thread-mode.ts';
import { authorVariantsFeeds } from './migration-0008-author-variants-feeds.ts';
import { watchedPapers } from './migration-0009-watched-papers.ts';
import { slackInstallations } from './migration-0010-slack-installations.ts';
import { weeklyRecap } from './migration-0011-weekly-recap.ts';

/**
 * Migrations listed inline (static imports, no directory scanning): they work the same
 * under tsx, vitest and a bundler. Append; never edit one that has shipped.
 */
export const sqliteMigrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('papers')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('title_key', 'text', (c) => c.notNull())
        .addColumn('abstract', 'text', (c) => c.notNull())
        .addColumn('authors', 'text', (c) => c.notNull())
        .addColumn('authors_text', 'text', (c) => c.notNull())
        .addColumn('org', 'text')
        .addColumn('published_at', 'text')
        .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('arxiv_url', 'text', (c) => c.notNull())
        .addColumn('pdf_url', 'text', (c) => c.notNull())
        .addColumn('hf_url', 'text')
        .addColumn('github_url', 'text')
        .addColumn('project_url', 'text')
        .addColumn('thumbnail_url', 'text')
        .addColumn('ai_summary', 'text')
        .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('keywords_text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('papers_title_key').on('papers').column('title_key').execute();
      await db.schema.createIndex('papers_published_at').on('papers').column('published_at').execute();

      await db.schema
        .createTable('listings')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('listings_pk', ['source', 'day', 'paper_id'])
        .execute();
      await db.schema.createIndex('listings_day').on('listings').columns(['day', 'rank']).execute();
      await db.schema.createIndex('listings_paper').on('listings').column('paper_id').execute();

      await db.schema
        .createTable('teams')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('disabled_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('teams_platform_external', ['platform', 'external_id'])
        .execute();

      await db.schema
        .createTable('channels')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled_reason', 'text')
        .addColumn('disabled_at', 'text')
        .addColumn('max_papers', 'integer', (c) => c.notNull().defaultTo(5))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('channels_team_external', ['team_id', 'external_id'])
        .execute();

      await db.schema
        .createTable('topics')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('query_key', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('topics_channel_key', ['channel_id', 'query_key'])
        .execute();

      await db.schema
        .createTable('schedules')
        .addColumn('channel_id', 'integer', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
        .addColumn('times', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('weekdays', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('votes')
        .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('votes_pk', ['team_id', 'paper_id', 'user_id'])
        .execute();
      await db.schema.createIndex('votes_team_time').on('votes').columns(['team_id', 'created_at']).execute();

      await db.schema
        .createTable('saves')
        .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('saves_pk', ['team_id', 'user_id', 'paper_id'])
        .execute();
      await db.schema.createIndex('saves_team_paper').on('saves').columns(['team_id', 'paper_id']).execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('digest_date', 'text', (c) => c.notNull())
        .addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id'))
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('deliveries_key', ['channel_id', 'digest_date', 'paper_id'])
        .execute();
      await db.schema.createIndex('deliveries_state').on('deliveries').columns(['state', 'channel_id']).execute();
      await db.schema.createIndex('deliveries_message').on('deliveries').column('message_id').execute();

      // Full-text index over the papers table itself (external content: no second copy of
      // the text). Title first so bm25() weights can favour it. New papers are indexed by
      // PapersRepo.upsertMany through FtsSearchIndex.indexNewPapers, one INSERT ... SELECT per
      // batch: a trigger per row costs two to three times as much (bench/README.md). The
      // triggers below keep deletes and text changes in step; the update trigger fires only
      // when indexed text changes, so refreshing upvotes is free.
      await sql`CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, authors_text, keywords_text,
        content='papers', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2'
      )`.execute(db);
      await sql`CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors_text, keywords_text)
        VALUES ('delete', old.seq, old.title, old.abstract, old.authors_text, old.keywords_text);
      END`.execute(db);
      await sql`CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors_text, keywords_text ON papers
      WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract
        OR old.authors_text IS NOT new.authors_text OR old.keywords_text IS NOT new.keywords_text
      BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors_text, keywords_text)
        VALUES ('delete', old.seq, old.title, old.abstract, old.authors_text, old.keywords_text);
        INSERT INTO papers_fts(rowid, title, abstract, authors_text, keywords_text)
        VALUES (new.seq, new.title, new.abstract, new.authors_text, new.keywords_text);
      END`.execute(db);
    },
  },
  '0002_delivery_outbox': deliveryOutbox,
  '0003_search_word_forms': wordForms,
  '0004_similarity_taste': similarityTaste,
  '0005_leases_instances': leasesInstances,
  '0006_header_rows': headerRows,
  '0007_channel_thread_mode': threadMode,
  '0008_author_variants_feeds': authorVariantsFeeds,
  '0009_watched_papers': watchedPapers,
  '0010_slack_installations': slackInstallations,
  '0011_weekly_recap': weeklyRecap,
};

export const inlineMigrations = (migrations: Record<string, Migration>): MigrationProvider => ({
  getMigrations: async () => migrations,
});
