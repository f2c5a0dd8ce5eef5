import { type Kysely, type Migration } from 'kysely';
import { indexPaperTerms, TERM_STATS_ROW } from '../term-vectors.ts';

/**
 * Term vectors for "more like this" and team taste: one row of term counts per paper, one row
 * of document frequencies (with the small deltas of recent ingests), one fitted model per team. Papers already stored are indexed here,
 * so every paper has its vector from now on (about 20,000 papers a second).
 */
export const similarityTaste: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('paper_terms')
      .addColumn('paper_seq', 'integer', (c) => c.primaryKey().references('papers.seq').onDelete('cascade'))
      .addColumn('terms', 'blob', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('term_stats')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('doc_count', 'integer', (c) => c.notNull())
      .addColumn('df', 'blob', (c) => c.notNull())
      .execute();
    await db.insertInto('term_stats').values({ id: TERM_STATS_ROW, doc_count: 0, df: Buffer.alloc(0) }).execute();
    await db.schema
      .createTable('term_df_deltas')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('df', 'blob', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('team_taste')
      .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
      .addColumn('signals_key', 'text', (c) => c.notNull())
      .addColumn('positives', 'integer', (c) => c.notNull())
      .addColumn('negatives', 'integer', (c) => c.notNull())
      .addColumn('weights', 'blob', (c) => c.notNull())
      .addColumn('bias', 'real', (c) => c.notNull())
      .addColumn('fitted_at', 'text', (c) => c.notNull())
      .execute();
    await indexPaperTerms(db, 0);
  },
};
