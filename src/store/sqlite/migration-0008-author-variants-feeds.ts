import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 12. Author names are indexed with their initials aliases (author-names.ts): the FTS
 * rows' author column is rebuilt through paperboy_author_words, which now writes them (the
 * index is contentless with contentless_delete, so rows are replaced by rowid). And each
 * channel may have an Atom feed, behind an unguessable token (src/feeds).
 */
const KEY = (r: string) =>
  `((CAST(COALESCE(julianday(substr(${r}.published_at, 1, 10)), julianday(substr(${r}.first_seen_at, 1, 10))) - 2440587.5 AS INTEGER) << 32) + ${r}.seq)`;

export const authorVariantsFeeds: Migration = {
  async up(db: Kysely<any>) {
    await sql`INSERT INTO papers_fts(papers_fts) VALUES ('delete-all')`.execute(db);
    await sql
      .raw(
        `INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
        SELECT ${KEY('p')}, p.title, p.abstract, paperboy_author_words(p.authors_text), p.keywords_text FROM papers p`,
      )
      .execute(db);

    await db.schema
      .createTable('channel_feeds')
      .addColumn('channel_id', 'integer', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
