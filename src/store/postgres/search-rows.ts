import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { FreshPaper } from '../search-index.ts';
import { searchDoc } from './search-doc.ts';

/**
 * The search rows (papers_search: seq, day, dated, weighted tsvector) an ingest writes: those of the
 * papers it inserted (`fresh`, as written) and of those whose text it changed (queued by a
 * trigger, migration 0001; read back). What is stored depends on this file and search-doc.ts
 * only (the benchmark's cache key says so).
 */
export async function writeSearchRows(trx: Kysely<Database>, fresh: readonly FreshPaper[]): Promise<void> {
  const stale = await sql<{ seq: number }>`DELETE FROM papers_search_stale RETURNING seq`.execute(trx);
  const restale = stale.rows.map((r) => r.seq);
  // Each chunk's tsvectors are built while the server stores the chunk before (the pg client
  // queues statements on the transaction's connection): TypeScript and PostgreSQL share the work.
  let inFlight: Promise<void> = Promise.resolve();
  for (let i = 0; i < fresh.length; i += INDEX_ROWS) {
    const docs = docRows(fresh.slice(i, i + INDEX_ROWS));
    await inFlight;
    inFlight = writeDocs(trx, docs);
  }
  await inFlight;
  for (let i = 0; i < restale.length; i += INDEX_ROWS) {
    const rows = await trx
      .selectFrom('papers')
      .select(['seq', 'title', 'authors_text', 'keywords_text', 'abstract', 'published_at', 'first_seen_at'])
      .where('seq', 'in', restale.slice(i, i + INDEX_ROWS))
      .execute();
    await writeDocs(trx, docRows(rows));
  }
}

/** Rewrites every paper's search row (a migration's, when what is indexed changes), a batch at a time. */
export async function reindexAllDocs(db: Kysely<any>): Promise<void> {
  for (let cursor = 0; ; ) {
    const read = await db
      .selectFrom('papers')
      .select(['seq', 'title', 'authors_text', 'keywords_text', 'abstract', 'published_at', 'first_seen_at'])
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(INDEX_ROWS)
      .execute();
    if (read.length === 0) return;
    // A migration's connection may not have open.ts's timestamp parsers: Dates become ISO strings here.
    const iso = (t: string | Date | null): string | null => (t instanceof Date ? t.toISOString() : t);
    const rows: FreshPaper[] = read.map((r: FreshPaper) => ({ ...r, published_at: iso(r.published_at), first_seen_at: iso(r.first_seen_at)! }));
    await writeDocs(db, docRows(rows));
    cursor = rows[rows.length - 1]!.seq;
  }
}

/** Papers read and indexed per statement. */
const INDEX_ROWS = 2_000;

interface DocRows {
  seqs: number[];
  days: string[];
  dated: boolean[];
  docs: string[];
}

/** The search rows of `papers`, as the arrays writeDocs sends. */
function docRows(papers: readonly FreshPaper[]): DocRows {
  return {
    seqs: papers.map((r) => r.seq),
    // Timestamps are ISO strings in UTC (as written, and as read back: open.ts): the first ten characters are the UTC day.
    days: papers.map((r) => (r.published_at ?? r.first_seen_at).slice(0, 10)),
    dated: papers.map((r) => r.published_at !== null),
    docs: papers.map(searchDoc),
  };
}

/** Upserts search rows: one statement, the values as arrays (unnest). */
async function writeDocs(trx: Kysely<Database>, { seqs, days, dated, docs }: DocRows): Promise<void> {
  if (seqs.length === 0) return;
  await sql`
    INSERT INTO papers_search (seq, day, dated, doc)
    SELECT * FROM unnest(${seqs}::integer[], ${days}::date[], ${dated}::boolean[], ${docs}::tsvector[])
    ON CONFLICT (seq) DO UPDATE SET day = excluded.day, dated = excluded.dated, doc = excluded.doc`.execute(trx);
}

