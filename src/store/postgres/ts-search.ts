import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SearchQuery, Term } from '../../search/query.ts';
import { foldedWords, stem } from '../../search/words.ts';
import type { Database } from '../schema.ts';
import type { SearchIndex, SearchPage } from '../search-index.ts';
import { searchInTiers, type Ranked, type Want } from '../search-tiers.ts';
import { queryText, searchDoc } from './search-doc.ts';

/*
 * Full-text search on PostgreSQL: `papers_search.doc` is the weighted tsvector of each paper
 * (title A, authors B, keywords C, abstract D; search-doc.ts), with a GIN index, and its `day`
 * orders papers by their own date. The tsquery is built from our parsed query, never from the
 * user's text: every word a quoted lexeme we folded and stemmed ourselves, joined with
 * tsquery's operators (`<->` in phrases, `&`, `|`, `!`), cast with ::tsquery (no to_tsquery).
 */

/** ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}: abstract, keywords, authors, title (SQLite's BM25 weights 1, 4, 4, 10, scaled). */
export const RANK_WEIGHTS = '{0.1, 0.4, 0.4, 1.0}';

/** What one search may cost, counted in papers (the SQLite tuning's names; the others do not apply here). */
export interface TsTuning {
  /** A query with at most this many matches ranks them all... */
  fullRankLimit: number;
  /** ...else only its `window` newest, by the papers' own day. */
  window: number;
}

export const DEFAULT_TS_TUNING: TsTuning = { fullRankLimit: 2_000, window: 2_000 };

export class TsSearchIndex implements SearchIndex {
  private readonly tuning: TsTuning;

  constructor(
    private readonly db: Kysely<Database>,
    tuning: Partial<TsTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TS_TUNING, ...tuning };
  }

  /** Exact titles, words as typed, then completions: the tiers every store shares (search-tiers.ts), ranked here by ts_rank_cd. */
  async search(q: SearchQuery, page: { limit: number; offset: number }): Promise<SearchPage> {
    return searchInTiers(this.db, q, page, (tier, want) => this.rank(tier, want));
  }

  /** Text changes are queued by a trigger (migration 0001): every ingest drains the queue, even one that inserted nothing. */
  readonly indexesUpdates = true;

  /**
   * Indexes the papers inserted by this ingest (seq above `afterSeq`) and those whose text it
   * changed, with tsvectors built here (search-doc.ts), a few thousand rows per statement.
   */
  async indexNewPapers(trx: Kysely<Database>, afterSeq: number): Promise<void> {
    const stale = await sql<{ seq: number }>`DELETE FROM papers_search_stale RETURNING seq`.execute(trx);
    const restale = stale.rows.map((r) => r.seq);
    await indexPapersAfter(trx, afterSeq);
    for (let i = 0; i < restale.length; i += INDEX_ROWS) {
      const rows = await trx
        .selectFrom('papers')
        .select(['seq', 'title', 'authors_text', 'keywords_text', 'abstract', 'published_at', 'first_seen_at'])
        .where('seq', 'in', restale.slice(i, i + INDEX_ROWS))
        .execute();
      await writeDocs(trx, rows);
    }
  }

  /**
   * Which way to find the newest `take` matches. PostgreSQL's planner guesses a tsquery's
   * matches poorly (weights and phrases defeat its statistics), and a wrong guess costs a walk
   * through every paper for a rare word, or a GIN scan of half the store for a common one. So
   * the store's own vocabulary decides: the estimated matches (an AND's rarest clause; an OR's
   * terms summed; a phrase's rarest word) against sqrt(take x papers), where the GIN scan (cost
   * per match) and the newest-first walk (cost per paper passed, take x papers / matches of them)
   * break even. The other way is ruled out by ordering on an expression the date index cannot give.
   */
  private async walksNewest(q: SearchQuery, take: number): Promise<boolean> {
    const size = Number((await this.db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
    if (size <= take) return false;
    const stemsOf = (t: Term) => (t.field === 'authors' ? foldedWords(t.tokens.join(' ')) : foldedWords(t.tokens.join(' ')).map(stem));
    const all = [...new Set(q.must.flat().flatMap(stemsOf))];
    if (all.length === 0) return true;
    const df = new Map((await STEM_DF_SQL(all).execute(this.db)).rows.map((r) => [r.stem, Number(r.df)]));
    const term = (t: Term) => Math.min(...stemsOf(t).map((w) => df.get(w) ?? 0));
    const estimate = Math.min(...q.must.map((c) => c.reduce((n, t) => n + term(t), 0)));
    return estimate > Math.sqrt(take * size);
  }

  /**
   * The matches, newest first by their own day, up to one more than can be ranked whole: the
   * walk stops there, so a query matching half the store costs what one matching a few thousand
   * does (the planner walks the date index and tests each paper, or reads the GIN index and sorts,
   * whichever its statistics say is cheaper). ts_rank_cd then orders what was kept (all of them,
   * or the `window` newest when there were more than `fullRankLimit`), in the same statement:
   * only the best `depth` rows come back.
   */
  private async rank(q: SearchQuery, want: Want): Promise<Ranked> {
    const { fullRankLimit, window } = this.tuning;
    const take = Math.max(fullRankLimit + 1, window);
    const walk = await this.walksNewest(q, take);
    const rows = await sql<{ id: string; total: string }>`
      WITH m AS (
        SELECT s.seq, s.day, s.doc, t.q
        FROM (SELECT ${queryText(q.must, q.not)}::tsquery AS q) t, papers_search s ${q.since ? sql`JOIN papers p ON p.seq = s.seq` : sql``}
        WHERE s.doc @@ t.q ${sinceFilter(q.since)} ${skipFilter(want)}
        ${walk ? sql`ORDER BY s.day DESC, s.seq DESC` : sql`ORDER BY s.day + 0 DESC, s.seq + 0 DESC`}
        LIMIT ${take}
      ), n AS (
        SELECT m.*, row_number() OVER (ORDER BY m.day DESC, m.seq DESC) AS k, count(*) OVER () AS total FROM m
      ), best AS (
        SELECT n.seq, n.day, n.total, ts_rank_cd(${RANK_WEIGHTS}::float4[], n.doc, n.q) AS r FROM n
        WHERE n.k <= CASE WHEN n.total > ${fullRankLimit} THEN ${window} ELSE n.total END
        ORDER BY r DESC, n.day DESC, n.seq DESC
        LIMIT ${want.depth}
      )
      -- Ties keep the newest first; papers are read only for the rows returned.
      SELECT p.id, best.total FROM best JOIN papers p ON p.seq = best.seq ORDER BY best.r DESC, best.day DESC, best.seq DESC`.execute(this.db);
    const windowed = rows.rows.length > 0 && Number(rows.rows[0]!.total) > fullRankLimit;
    return { ids: rows.rows.map((r) => r.id), window: windowed ? window : null };
  }
}

/**
 * Papers holding a word of `stem`'s: the words that start with it, summed (over-counts: a
 * longer word with the same start is counted too, which only errs towards the walk).
 */
const STEM_DF_SQL = (stems: string[]) => sql<{ stem: string; df: string }>`
  SELECT w.stem, (SELECT COALESCE(sum(df), 0) FROM words WHERE word >= w.stem AND word < w.stem || ${'\uffff'}) AS df
  FROM unnest(${stems}::text[]) AS w(stem)`;

/** Rewrites every paper's search document (a migration's, when what is indexed changes). */
export function reindexAllDocs(db: Kysely<any>): Promise<void> {
  return indexPapersAfter(db, 0);
}

/** Writes the search documents of the papers with seq above `afterSeq`, a batch at a time. */
async function indexPapersAfter(db: Kysely<Database>, afterSeq: number): Promise<void> {
  for (let cursor = afterSeq; ; ) {
    const rows: DocSource[] = await db
      .selectFrom('papers')
      .select(['seq', 'title', 'authors_text', 'keywords_text', 'abstract', 'published_at', 'first_seen_at'])
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(INDEX_ROWS)
      .execute();
    if (rows.length === 0) return;
    await writeDocs(db, rows);
    cursor = rows[rows.length - 1]!.seq;
  }
}

/** Papers read and indexed per statement. */
const INDEX_ROWS = 2_000;

type DocSource = { seq: number; title: string; authors_text: string; keywords_text: string; abstract: string; published_at: string | null; first_seen_at: string };

/** Upserts the search rows of `rows`: one statement, the values as arrays (unnest). */
async function writeDocs(trx: Kysely<Database>, rows: readonly DocSource[]): Promise<void> {
  if (rows.length === 0) return;
  const seqs = rows.map((r) => r.seq);
  // Timestamps read back as ISO strings in UTC (open.ts): the first ten characters are the UTC day.
  const days = rows.map((r) => (r.published_at ?? r.first_seen_at).slice(0, 10));
  const docs = rows.map(searchDoc);
  await sql`
    INSERT INTO papers_search (seq, day, doc)
    SELECT * FROM unnest(${seqs}::integer[], ${days}::date[], ${docs}::tsvector[])
    ON CONFLICT (seq) DO UPDATE SET day = excluded.day, doc = excluded.doc`.execute(trx);
}

function skipFilter(want: Want): RawBuilder<unknown> {
  return want.skip.length > 0 ? sql`AND s.seq <> ALL(${want.skip}::integer[])` : sql``;
}

/**
 * Published on or after the day, as on SQLite (papers without a date are left out). The bound
 * on the paper's own day is implied by it (that day is the published one when there is one) and
 * stops the newest-first walk at the day instead of the end of the index.
 */
function sinceFilter(since: string | null): RawBuilder<unknown> {
  return since ? sql`AND p.published_at >= ${since}::timestamptz AND s.day >= ${since}::date` : sql``;
}
