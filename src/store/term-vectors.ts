import type { Kysely } from 'kysely';
import { endianness } from 'node:os';
import { FEATURE_SPACE, termCounts, type TermCounts } from '../relevance/features.ts';
import { decodeTermCounts, encodeTermCounts } from '../relevance/term-codec.ts';
import type { TermStats } from '../relevance/tfidf.ts';
import type { Database } from './schema.ts';
import type { FreshPaper, IngestIndexer } from './search-index.ts';

/** The one term_stats row. */
export const TERM_STATS_ROW = 1;
/** Papers read and tokenized at a time: bounds memory when a migration indexes a whole store. */
const PAGE_PAPERS = 2_000;
/** Rows per INSERT (two columns each: far below SQLite's bound-parameter limit). */
const INSERT_ROWS = 1_000;
/** Ids per IN list when reading vectors back. */
const READ_IDS = 500;
/**
 * Document frequencies are a 4 MB array (FEATURE_SPACE counts). Rewriting it on every ingest
 * would make a trickle of small ingests (the poller, a day at a time) cost 4 MB each, so an
 * ingest appends its own counts as a small delta row, and the deltas are folded into the
 * array once there are this many, or this many bytes of them.
 */
const FOLD_AFTER = { rows: 64, bytes: 4 << 20 } as const;

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

  async indexNewPapers(trx: Kysely<Database>, _afterSeq: number, fresh: readonly FreshPaper[]): Promise<void> {
    await addPaperTerms(trx, onePage(fresh));
  }

  /**
   * Document frequencies over every indexed paper. One small read when nothing was ingested
   * since the last call; the array returned is never changed afterwards.
   */
  async stats(): Promise<TermStats> {
    const head = await this.db.selectFrom('term_stats').select('doc_count').where('id', '=', TERM_STATS_ROW).executeTakeFirst();
    const docCount = Number(head?.doc_count ?? 0);
    if (this.cached?.docCount === docCount) return this.cached;
    // One snapshot for the base and its deltas (SQLite's transactions are; PostgreSQL's need REPEATABLE READ).
    this.cached = await this.db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      const row = await trx.selectFrom('term_stats').select(['doc_count', 'df']).where('id', '=', TERM_STATS_ROW).executeTakeFirst();
      const df = readDf(row?.df);
      await addDeltas(trx, df);
      return { docCount: Number(row?.doc_count ?? 0), df };
    });
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

/** Per-feature counts of the papers being indexed: a 4 MB array reused by ingest after ingest (zeroed after use). */
const scratch = { counts: new Uint32Array(FEATURE_SPACE), inUse: false };

type PaperTextRow = { seq: number; title: string; abstract: string };

/**
 * Writes the term counts of every paper with seq above `afterSeq`, read from the papers table
 * a page at a time (a migration indexing a whole store), as addPaperTerms does.
 */
export async function indexPaperTerms(db: Kysely<Database>, afterSeq: number): Promise<number> {
  return addPaperTerms(db, pagesAfter(db, afterSeq));
}

async function* pagesAfter(db: Kysely<Database>, afterSeq: number): AsyncGenerator<readonly PaperTextRow[]> {
  for (let cursor = afterSeq; ; ) {
    const papers = await db.selectFrom('papers').select(['seq', 'title', 'abstract']).where('seq', '>', cursor).orderBy('seq').limit(PAGE_PAPERS).execute();
    if (papers.length === 0) return;
    yield papers;
    cursor = papers[papers.length - 1]!.seq;
  }
}

async function* onePage(papers: readonly PaperTextRow[]): AsyncGenerator<readonly PaperTextRow[]> {
  yield papers;
}

/**
 * Writes the term counts of `pages` of papers and adds them to the document frequencies, in
 * the caller's transaction. The stats row is locked first with an UPDATE: on SQLite the ingest
 * already holds the write lock; on PostgreSQL (READ COMMITTED) a concurrent ingest waits
 * there, so deltas are folded by one ingest at a time and no count is lost. Returns how many
 * papers it indexed.
 */
async function addPaperTerms(db: Kysely<Database>, pages: AsyncIterable<readonly PaperTextRow[]>): Promise<number> {
  await db.updateTable('term_stats').set((eb) => ({ doc_count: eb.ref('doc_count') })).where('id', '=', TERM_STATS_ROW).execute();
  // Should two ingests of one process ever overlap, the second counts in an array of its own.
  const shared = !scratch.inUse;
  const addedScratch = shared ? scratch.counts : new Uint32Array(FEATURE_SPACE);
  scratch.inUse ||= shared;
  const touched: number[] = [];
  let indexed = 0;
  let ids: Uint32Array;
  let counts: Uint32Array;
  try {
    // Each chunk is counted while the database stores the chunk before (on PostgreSQL the two overlap).
    let inFlight: Promise<unknown> = Promise.resolve();
    for await (const papers of pages) {
      for (let i = 0; i < papers.length; i += INSERT_ROWS) {
        const rows = papers.slice(i, i + INSERT_ROWS).map((p) => {
          const tc = termCounts(p.title, p.abstract);
          for (const id of tc.ids) if ((addedScratch[id] = addedScratch[id]! + 1) === 1) touched.push(id);
          return { paper_seq: p.seq, terms: encodeTermCounts(tc) };
        });
        await inFlight;
        inFlight = db.insertInto('paper_terms').values(rows).execute();
      }
      indexed += papers.length;
    }
    await inFlight;
    ids = Uint32Array.from(touched).sort();
    counts = Uint32Array.from(ids, (id) => addedScratch[id]!);
  } finally {
    for (const id of touched) addedScratch[id] = 0; // clean for the next ingest, whatever happened
    if (shared) scratch.inUse = false;
  }
  if (indexed === 0) return 0;

  const delta = encodeTermCounts({ ids, counts });
  const pending = await db
    .selectFrom('term_df_deltas')
    .select([(eb) => eb.fn.countAll<number>().as('rows'), (eb) => eb.fn.sum<number>(eb.fn('length', ['df'])).as('bytes')])
    .executeTakeFirst();
  const fold = Number(pending?.rows ?? 0) + 1 > FOLD_AFTER.rows || Number(pending?.bytes ?? 0) + delta.length > FOLD_AFTER.bytes;
  if (fold) {
    const stats = await db.selectFrom('term_stats').select('df').where('id', '=', TERM_STATS_ROW).executeTakeFirstOrThrow();
    const df = readDf(stats.df);
    await addDeltas(db, df);
    for (let i = 0; i < ids.length; i++) df[ids[i]!] = df[ids[i]!]! + counts[i]!;
    await db.deleteFrom('term_df_deltas').execute();
    await db
      .updateTable('term_stats')
      .set((eb) => ({ doc_count: eb('doc_count', '+', indexed), df: writeDf(df) }))
      .where('id', '=', TERM_STATS_ROW)
      .execute();
  } else {
    await db.insertInto('term_df_deltas').values({ df: delta }).execute();
    await db.updateTable('term_stats').set((eb) => ({ doc_count: eb('doc_count', '+', indexed) })).where('id', '=', TERM_STATS_ROW).execute();
  }
  return indexed;
}

/** Adds the not yet folded deltas to `df`. */
async function addDeltas(db: Kysely<Database>, df: Uint32Array): Promise<void> {
  const deltas = await db.selectFrom('term_df_deltas').select('df').execute();
  for (const d of deltas) {
    const { ids, counts } = decodeTermCounts(d.df);
    for (let i = 0; i < ids.length; i++) df[ids[i]!] = df[ids[i]!]! + counts[i]!;
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Document frequencies from their stored bytes (little-endian uint32s, whatever the machine). */
function readDf(bytes: Uint8Array | undefined): Uint32Array {
  if (!bytes || bytes.length === 0) return new Uint32Array(FEATURE_SPACE);
  if (bytes.length !== FEATURE_SPACE * 4) throw new Error(`term_stats.df holds ${bytes.length} bytes, expected ${FEATURE_SPACE * 4}: the feature scheme changed without a re-index`);
  if (LITTLE_ENDIAN) return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const df = new Uint32Array(FEATURE_SPACE);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < FEATURE_SPACE; i++) df[i] = view.getUint32(i * 4, true);
  return df;
}

function writeDf(df: Uint32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(df.buffer, df.byteOffset, df.byteLength);
  const out = Buffer.alloc(df.length * 4);
  for (let i = 0; i < df.length; i++) out.writeUInt32LE(df[i]!, i * 4);
  return out;
}
