import { sql, type Kysely, type RawBuilder } from 'kysely';
import { byAuthorOnly, type SearchQuery, type Term } from '../../search/query.ts';
import { titleFirst } from '../../search/title-first.ts';
import { foldedWords, stem } from '../../search/words.ts';
import type { Database } from '../schema.ts';
import type { FreshPaper, SearchIndex, SearchPage } from '../search-index.ts';
import { searchInTiers, type Ranked, type Want } from '../search-tiers.ts';
import { advanceRecentFloor, countRecentRows, readSizeAndFloor, type RecentPart } from './recent-search.ts';
import { queryText } from './search-doc.ts';
import { writeSearchRows } from './search-rows.ts';

/*
 * Full-text search on PostgreSQL: `papers_search.doc` is the weighted tsvector of each paper
 * (title A, authors B, keywords C, abstract D; search-doc.ts), with a GIN index, and its `day`
 * orders papers by their own date. The tsquery is built from our parsed query, never from the
 * user's text: every word a quoted lexeme we folded and stemmed ourselves, joined with
 * tsquery's operators (`<->` in phrases, `&`, `|`, `!`), cast with ::tsquery (no to_tsquery).
 */

/** ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}: abstract, keywords, authors, title (SQLite's BM25 weights 1, 4, 4, 10, scaled). */
export const RANK_WEIGHTS = '{0.1, 0.4, 0.4, 1.0}';

/** What one search may cost, counted in papers (the SQLite tuning's names where they mean the same). */
export interface TsTuning {
  /** A query with at most this many matches ranks them all... */
  fullRankLimit: number;
  /** ...else only its `window` newest, by the papers' own day. */
  window: number;
  /**
   * A query whose every clause is in more than this share of the papers is not ranked: its
   * newest `commonWindow` matches are listed, title matches first (SQLite's "newest" plan,
   * where its maxScoredDf of 50,000 is this share of a million papers).
   */
  commonShare: number;
  commonWindow: number;
  /** Such a query of more than one common word looks among this many newest papers only. */
  recentPapers: number;
  /** A paper tested on the walk down the date index (its document read from TOAST) costs this many matches read from a GIN scan. */
  walkCost: number;
  /** The newest search rows' own table (recent-search.ts) keeps this many days before the newest paper; each ingest moves its floor. */
  recentDays: number;
  /**
   * A query is asked of that table first when the matches estimated there are at least this
   * many times what the page needs (0: always); when it holds too few, every paper is asked.
   */
  recentMargin: number;
}

/** The most stored words of one stem an estimate reads (clauseEstimates). */
const STEM_FORMS = 100;

export const DEFAULT_TS_TUNING: TsTuning = { fullRankLimit: 2_000, window: 2_000, commonShare: 0.05, commonWindow: 500, recentPapers: 10_000, walkCost: 40, recentDays: 365, recentMargin: 1 };

/** Where a query looks: every paper's search row, or the newest rows' table (the same columns). */
type Rows = 'papers_search' | 'papers_search_recent';
const EVERY_PAPER: Rows = 'papers_search';
const NEWEST: Rows = 'papers_search_recent';

export class TsSearchIndex implements SearchIndex {
  private readonly tuning: TsTuning;
  /** floorDay's answers by n, with the store size each was read at. */
  private readonly floors = new Map<number, { size: number; day: string | null }>();
  /** The newest rows' table's row count, with the store size it was read at. */
  private recentRows: { size: number; rows: number } | undefined;

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

  /** Writes the search rows of the papers this ingest inserted or changed (search-rows.ts). */
  async indexNewPapers(trx: Kysely<Database>, _afterSeq: number, fresh: readonly FreshPaper[]): Promise<void> {
    await writeSearchRows(trx, fresh);
    await advanceRecentFloor(trx, this.tuning.recentDays);
  }

  /** The matches a ranked query keeps, newest first: one more than can be ranked whole, and at least the window. */
  private get take(): number {
    return Math.max(this.tuning.fullRankLimit + 1, this.tuning.window);
  }

  /**
   * Each clause's estimated matches, from the store's own vocabulary (PostgreSQL's planner
   * guesses a tsquery's matches poorly: phrases defeat its statistics): an OR's terms summed, a
   * phrase's rarest word, a word's papers those of every stored word of its stem (Porter makes
   * one lexeme of "calculator", "calculate" and "calculus": the word as typed may be rare, its
   * lexeme common). A stem's words are read from the vocabulary's range that starts with it, up
   * to STEM_FORMS of them (forms the stem is no prefix of, "study" for "studi", are missed: an
   * under-count errs towards the GIN scan of every paper, the safer mistake).
   */
  private async clauseEstimates(q: SearchQuery): Promise<number[]> {
    const wordsOf = (t: Term) => foldedWords(t.tokens.join(' '));
    const typed = [...new Set(q.must.flat().flatMap(wordsOf))];
    const stems = [...new Set(q.must.flat().filter((t) => t.field !== 'authors').flatMap(wordsOf).map(stem))];
    if (typed.length === 0) return [];
    const rows = await sql<{ word: string; df: number }>`
      SELECT word, df FROM words WHERE word = ANY(${typed}::text[])
      UNION
      SELECT f.word, f.df FROM unnest(${stems}::text[]) AS s(stem), LATERAL (
        SELECT word, df FROM words WHERE word >= s.stem AND word < s.stem || ${'\uffff'} ORDER BY word LIMIT ${STEM_FORMS}
      ) f`.execute(this.db);
    const df = new Map(rows.rows.map((r) => [r.word, Number(r.df)]));
    const byStem = new Map<string, number>();
    for (const [word, n] of df) {
      const s = stem(word);
      byStem.set(s, (byStem.get(s) ?? 0) + n);
    }
    // An author's name as written (never stemmed); any other word, its stem's.
    const term = (t: Term) => Math.min(...wordsOf(t).map((w) => (t.field === 'authors' ? df.get(w) : byStem.get(stem(w))) ?? 0));
    return q.must.map((c) => c.reduce((n, t) => n + term(t), 0));
  }

  /** The newest rows' table: its floor as it is now, its row count as of the store's size. */
  private async recentPart(size: number, floor: string | null): Promise<RecentPart | null> {
    if (floor === null) return null;
    if (this.recentRows?.size !== size) this.recentRows = { size, rows: await countRecentRows(this.db) };
    return { floor, rows: this.recentRows.rows };
  }

  private async rank(q: SearchQuery, want: Want): Promise<Ranked> {
    const { size, floor } = await readSizeAndFloor(this.db);
    const estimates = await this.clauseEstimates(q);
    const recent = await this.recentPart(size, floor);
    const { commonShare, recentPapers } = this.tuning;
    const common = estimates.length > 0 && estimates.every((e) => e > commonShare * size);
    // `since:` on or after the floor: the newest rows' table holds every paper the query may find.
    const sinceCovered = recent !== null && q.since !== null && q.since >= recent.floor;
    // Names alone are listed newest first until the page is full: a surname held by many papers
    // is soonest found down the date index. A full name goes through the GIN index: its words
    // meet far more rarely than the estimate (its rarest word's papers) says.
    if (byAuthorOnly(q)) {
      const rows = sinceCovered ? recent.rows : size;
      return this.listByAuthor(q, want, sinceCovered ? NEWEST : EVERY_PAPER, q.must.flat().every((t) => t.tokens.length === 1) && this.walkPays(want.depth, rows, size, estimates));
    }
    if (size > recentPapers && common) return this.listRecent(q, want, size, recent, sinceCovered);
    return this.rankNewest(q, want, size, estimates, recent, sinceCovered);
  }

  /**
   * Whether walking down the date index of a table of `rows` search rows beats its GIN scan.
   * A GIN scan costs per match (a narrow row read for its day), a walk per paper passed (wanted
   * x rows / matches), each paper's document read from TOAST to test it, walkCost times a
   * match's price: they break even at sqrt(walkCost x wanted x rows) matches. The estimates
   * count matches among all `size` papers, and are scaled to the table's share.
   */
  private walkPays(wanted: number, rows: number, size: number, estimates: number[]): boolean {
    const matches = Math.min(...estimates) * (rows / size);
    return rows > wanted && (estimates.length === 0 || matches > Math.sqrt(this.tuning.walkCost * wanted * rows));
  }

  /**
   * The matches, newest first by their own day, up to one more than can be ranked whole: the
   * walk stops there, so a query matching half the store costs what one matching a few thousand
   * does (`walk`: down the date index, testing each paper; else a GIN scan, then a sort, the
   * walk ruled out by ordering on an expression the date index cannot give). ts_rank_cd then
   * orders what was kept (all of them, or the `window` newest when there were more than
   * `fullRankLimit`), in the same statement: only the best `depth` rows come back.
   */
  private async rankNewest(q: SearchQuery, want: Want, size: number, estimates: number[], recent: RecentPart | null, sinceCovered: boolean): Promise<Ranked> {
    const { take } = this;
    // The newest rows' table first, when it should hold the `take` newest matches: if it does
    // (or `since:` wants none older), they are the newest of all, every older paper being
    // before its floor.
    if (recent !== null && (sinceCovered || Math.min(...estimates) * (recent.rows / size) >= this.tuning.recentMargin * take)) {
      const found = await this.rankNewestIn(NEWEST, q, want, this.walkPays(take, recent.rows, size, estimates), !sinceCovered);
      if (sinceCovered || found.matched >= take) return found.ranked;
    }
    return (await this.rankNewestIn(EVERY_PAPER, q, want, this.walkPays(take, size, size, estimates), false)).ranked;
  }

  /**
   * rankNewest in one part of the store; with how many matches were kept (`take` when there were
   * at least as many). `wholeOnly`: fewer than `take` matches are of no use (the answer will come
   * from every paper), so they are not ranked and nothing is returned.
   */
  private async rankNewestIn(table: Rows, q: SearchQuery, want: Want, walk: boolean, wholeOnly: boolean): Promise<{ ranked: Ranked; matched: number }> {
    const { fullRankLimit, window } = this.tuning;
    const { take } = this;
    const rows = await sql<{ id: string; total: string }>`
      WITH t AS (SELECT ${queryText(q.must, q.not)}::tsquery AS q), m AS (
        -- Only seq and day are read and sorted: each match's narrow row, its document (in TOAST)
        -- left alone; the kept papers' documents are read to rank.
        SELECT s.seq, s.day
        FROM t, ${sql.table(table)} s
        WHERE s.doc @@ t.q ${sinceFilter(q.since)} ${skipFilter(want)}
        ${walk ? sql`ORDER BY s.day DESC, s.seq DESC` : sql`ORDER BY s.day + 0 DESC, s.seq + 0 DESC`}
        LIMIT ${take}
      ), n AS (
        SELECT m.*, row_number() OVER (ORDER BY m.day DESC, m.seq DESC) AS k, count(*) OVER () AS total FROM m
      ), best AS (
        SELECT n.seq, n.day, n.total, ts_rank_cd(${RANK_WEIGHTS}::float4[], s.doc, t.q) AS r FROM n JOIN ${sql.table(table)} s ON s.seq = n.seq, t
        WHERE n.k <= CASE WHEN n.total > ${fullRankLimit} THEN ${window} ELSE n.total END ${wholeOnly ? sql`AND n.total >= ${take}` : sql``}
        ORDER BY r DESC, n.day DESC, n.seq DESC
        LIMIT ${want.depth}
      )
      -- Ties keep the newest first; papers are read only for the rows returned.
      SELECT p.id, best.total FROM best JOIN papers p ON p.seq = best.seq ORDER BY best.r DESC, best.day DESC, best.seq DESC`.execute(this.db);
    const matched = rows.rows.length > 0 ? Number(rows.rows[0]!.total) : 0;
    return { ranked: { ids: rows.rows.map((r) => r.id), window: matched > fullRankLimit ? window : null }, matched };
  }

  /** Only author names asked for: every match newest first, unranked (as on SQLite: BM25 would have nothing to weigh). */
  private async listByAuthor(q: SearchQuery, want: Want, table: Rows, walk: boolean): Promise<Ranked> {
    const rows = await sql<{ id: string }>`
      SELECT p.id FROM (SELECT ${queryText(q.must, q.not)}::tsquery AS q) t, ${sql.table(table)} s JOIN papers p ON p.seq = s.seq
      WHERE s.doc @@ t.q ${sinceFilter(q.since)} ${skipFilter(want)}
      ${walk ? sql`ORDER BY s.day DESC, s.seq DESC` : sql`ORDER BY s.day + 0 DESC, s.seq + 0 DESC`}
      LIMIT ${want.depth}`.execute(this.db);
    return { ids: rows.rows.map((r) => r.id), window: null };
  }

  /**
   * Every clause common: the newest `commonWindow` matches, title matches first, unranked (as
   * SQLite's "newest" plan). Common single words are dense, so the walk down the date index
   * soon has enough; an AND or a phrase (common words, perhaps a rare combination) looks only
   * among the newest `recentPapers`. The newest rows' table is asked first: its answer stands
   * when it found more than the window, or held every paper the query may reach.
   */
  private async listRecent(q: SearchQuery, want: Want, size: number, recent: RecentPart | null, sinceCovered: boolean): Promise<Ranked> {
    const { commonWindow, recentPapers } = this.tuning;
    const dense = q.must.length === 1 && q.must[0]!.every((t) => t.tokens.length === 1);
    const floor = dense ? null : await this.floorDay(recentPapers, size);
    const newestOf = async (table: Rows) =>
      (
        await sql<{ id: string; title: string }>`
          WITH m AS (
            SELECT s.seq, s.day
            FROM (SELECT ${queryText(q.must, q.not)}::tsquery AS q) t, ${sql.table(table)} s
            WHERE s.doc @@ t.q ${floor === null ? sql`` : sql`AND s.day >= ${floor}::date`} ${sinceFilter(q.since)} ${skipFilter(want)}
            ORDER BY s.day DESC, s.seq DESC
            LIMIT ${commonWindow + 1}
          )
          SELECT p.id, p.title FROM m JOIN papers p ON p.seq = m.seq ORDER BY m.day DESC, m.seq DESC`.execute(this.db)
      ).rows;
    let rows = recent === null ? null : await newestOf(NEWEST);
    const covered = sinceCovered || (recent !== null && floor !== null && floor >= recent.floor);
    if (rows === null || (!covered && rows.length <= commonWindow)) rows = await newestOf(EVERY_PAPER);
    const kept = rows.slice(0, commonWindow);
    const window = rows.length > commonWindow ? commonWindow : floor !== null ? recentPapers : null;
    return { ids: titleFirst(q, kept).slice(0, want.depth).map((r) => r.id), window };
  }

  /** The day of the n-th newest paper, or null when the store (of `size` papers) holds no more than n; kept while the store keeps its size. */
  private async floorDay(n: number, size: number): Promise<string | null> {
    if (n >= size) return null;
    const cached = this.floors.get(n);
    if (cached?.size === size) return cached.day;
    // Named apart from the column: ORDER BY `day` would sort by the output's text, a sort of every
    // row (1.3 s at a million papers) instead of a few steps down the date index (55 ms).
    const r = await sql<{ floor: string }>`
      SELECT to_char(day, 'YYYY-MM-DD') AS floor FROM papers_search ORDER BY day DESC, seq DESC OFFSET ${n - 1} LIMIT 1`.execute(this.db);
    const day = r.rows[0]?.floor ?? null;
    this.floors.set(n, { size, day });
    return day;
  }
}

function skipFilter(want: Want): RawBuilder<unknown> {
  return want.skip.length > 0 ? sql`AND s.seq <> ALL(${want.skip}::integer[])` : sql``;
}

/**
 * Published on or after the day, as on SQLite (papers without a date are left out): a dated
 * paper's own day is its published day (in UTC, as `since:` means). Read from the search row
 * alone, so the newest-first walk stops at the day and no paper is joined before the LIMIT.
 */
function sinceFilter(since: string | null): RawBuilder<unknown> {
  return since ? sql`AND s.dated AND s.day >= ${since}::date` : sql``;
}
