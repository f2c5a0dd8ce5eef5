import type { Kysely } from 'kysely';
import { FEATURE_SPACE, termCounts, type TermCounts } from '../relevance/features.ts';
import { decodeTermCounts, encodeTermCounts } from '../relevance/term-codec.ts';
import type { TermStats } from '../relevance/tfidf.ts';
import type { Database } from './schema.ts';
import type { IngestIndexer } from './search-index.ts';

/** The one term_stats row. */
export const TERM_STATS_ROW = 1;
/** Papers read and tokenized at a time: bounds memory when a migration indexes a whole store. */
const PAGE_PAPERS = 2_000;
/** Rows per INSERT (two columns each: far below SQLite's bound-parameter limit). */
const INSERT_ROWS = 1_000;
/** Ids per IN list when reading vectors back. */
const READ_IDS = 500;

/**
 * Each paper's term counts, kept at ingest beside the papers table (an IngestIndexer, run
 * after the search index), and the document frequencies of every feature. Counts, not TF-IDF
 * weights, are stored: IDF moves as the store grows, and is applied when a vector is read.
 * Plain kysely, so a PostgreSQL store reuses it as it is (BLOB there is `bytea`).
 */
export class TermVectorsRepo implements IngestIndexer {
  /** The document frequencies, kept while the paper count says they are current (they only change with it). */
  private cached: TermStats | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  async indexNewPapers(trx: Kysely<Database>, afterSeq: number): Promise<void> {
    await indexPaperTerms(trx, afterSeq);
  }

  /** Document frequencies over every indexed paper. One small read when nothing was ingested since the last call. */
  async stats(): Promise<TermStats> {
    const head = await this.db.selectFrom('term_stats').select('doc_count').where('id', '=', TERM_STATS_ROW).executeTakeFirst();
    const docCount = Number(head?.doc_count ?? 0);
    if (this.cached?.docCount === docCount) return this.cached;
    const row = await this.db.selectFrom('term_stats').select(['doc_count', 'df']).where('id', '=', TERM_STATS_ROW).executeTakeFirst();
    this.cached = { docCount: Number(row?.doc_count ?? 0), df: readDf(row?.df) };
    return this.cached;
  }

  /** Stored term counts by paper id; papers without a row are left out. */
  async countsOf(paperIds: readonly string[]): Promise<Map<string, TermCounts>> {
    const out = new Map<string, TermCounts>();
    for (let i = 0; i < paperIds.length; i += READ_IDS) {
      const rows = await this.db
        .selectFrom('papers as p')
        .innerJoin('paper_terms as t', 't.paper_seq', 'p.seq')
        .select(['p.id', 't.terms'])
        .where('p.id', 'in', paperIds.slice(i, i + READ_IDS))
        .execute();
      for (const r of rows) out.set(r.id, decodeTermCounts(r.terms));
    }
    return out;
  }
}

/**
 * Writes the term counts of every paper with seq above `afterSeq` and adds them to the
 * document frequencies, in the caller's transaction. The stats row is locked first with an
 * UPDATE: on SQLite the ingest already holds the write lock; on PostgreSQL (READ COMMITTED)
 * a concurrent ingest waits there and then reads this one's committed counts, so no
 * increment is lost. Returns how many papers it indexed.
 */
export async function indexPaperTerms(db: Kysely<Database>, afterSeq: number): Promise<number> {
  await db.updateTable('term_stats').set((eb) => ({ doc_count: eb.ref('doc_count') })).where('id', '=', TERM_STATS_ROW).execute();
  const stats = await db.selectFrom('term_stats').select('df').where('id', '=', TERM_STATS_ROW).executeTakeFirstOrThrow();
  const df = readDf(stats.df);
  let cursor = afterSeq;
  let indexed = 0;
  for (;;) {
    const papers = await db.selectFrom('papers').select(['seq', 'title', 'abstract']).where('seq', '>', cursor).orderBy('seq').limit(PAGE_PAPERS).execute();
    if (papers.length === 0) break;
    const rows = papers.map((p) => {
      const tc = termCounts(p.title, p.abstract);
      for (const id of tc.ids) df[id] = df[id]! + 1;
      return { paper_seq: p.seq, terms: encodeTermCounts(tc) };
    });
    for (let i = 0; i < rows.length; i += INSERT_ROWS) await db.insertInto('paper_terms').values(rows.slice(i, i + INSERT_ROWS)).execute();
    indexed += papers.length;
    cursor = papers[papers.length - 1]!.seq;
  }
  if (indexed > 0) {
    await db
      .updateTable('term_stats')
      .set((eb) => ({ doc_count: eb('doc_count', '+', indexed), df: writeDf(df) }))
      .where('id', '=', TERM_STATS_ROW)
      .execute();
  }
  return indexed;
}

/** Document frequencies from their stored bytes (little-endian, whatever the machine). */
function readDf(bytes: Uint8Array | undefined): Uint32Array {
  const df = new Uint32Array(FEATURE_SPACE);
  if (!bytes || bytes.length === 0) return df;
  if (bytes.length !== FEATURE_SPACE * 4) throw new Error(`term_stats.df holds ${bytes.length} bytes, expected ${FEATURE_SPACE * 4}: the feature scheme changed without a re-index`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < FEATURE_SPACE; i++) df[i] = view.getUint32(i * 4, true);
  return df;
}

function writeDf(df: Uint32Array): Buffer {
  const out = Buffer.alloc(df.length * 4);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < df.length; i++) view.setUint32(i * 4, df[i]!, true);
  return out;
}
