import { sql, type Kysely, type Migration } from 'kysely';
import { addWords, type PaperText } from '../../search/vocabulary.ts';

/**
 * Search that knows word forms (issue 8). The full-text index is rebuilt with the porter
 * stemmer, rowids ordered by the paper's own date and author words marked against stemming
 * (see fts-rows.ts; its SQL is spelled out here so this migration never changes with it), and
 * the `words` vocabulary is filled from the papers already stored.
 *
 * The index is contentless (`content=''`, with `contentless_delete` so rows can be replaced):
 * its columns are not the papers table's (authors are marked), so FTS5 could not read them back
 * from there anyway, and nothing reads text from the index.
 */
const KEY = (r: string) =>
  `((CAST(COALESCE(julianday(substr(${r}.published_at, 1, 10)), julianday(substr(${r}.first_seen_at, 1, 10))) - 2440587.5 AS INTEGER) << 32) + ${r}.seq)`;

/** Papers read at a time while filling the vocabulary. */
const BACKFILL_BATCH = 5_000;

export const wordForms: Migration = {
  async up(db: Kysely<any>) {
    await sql`DROP TRIGGER IF EXISTS papers_fts_delete`.execute(db);
    await sql`DROP TRIGGER IF EXISTS papers_fts_update`.execute(db);
    await sql`DROP TABLE IF EXISTS papers_fts`.execute(db);
    await sql`CREATE VIRTUAL TABLE papers_fts USING fts5(
      title, abstract, authors, keywords,
      content='', contentless_delete=1,
      tokenize='porter unicode61 remove_diacritics 2'
    )`.execute(db);
    await sql
      .raw(
        `CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
          DELETE FROM papers_fts WHERE rowid = ${KEY('old')};
        END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors_text, keywords_text, published_at ON papers
        WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors_text IS NOT new.authors_text
          OR old.keywords_text IS NOT new.keywords_text OR old.published_at IS NOT new.published_at
        BEGIN
          DELETE FROM papers_fts WHERE rowid = ${KEY('old')};
          INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
          VALUES (${KEY('new')}, new.title, new.abstract, paperboy_author_words(new.authors_text), new.keywords_text);
        END`,
      )
      .execute(db);
    await sql
      .raw(
        `INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
        SELECT ${KEY('p')}, p.title, p.abstract, paperboy_author_words(p.authors_text), p.keywords_text FROM papers p`,
      )
      .execute(db);

    await sql`CREATE TABLE words (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID`.execute(db);
    for (let after = 0; ; ) {
      const rows: Array<PaperText & { seq: number }> = await db
        .selectFrom('papers')
        .select(['seq', 'title', 'abstract', 'authors_text', 'keywords_text'])
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(BACKFILL_BATCH)
        .execute();
      if (rows.length === 0) break;
      await addWords(db, rows);
      after = rows[rows.length - 1]!.seq;
    }
  },
};
