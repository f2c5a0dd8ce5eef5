import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SearchQuery, Term } from '../../search/query.ts';
import type { Database } from '../schema.ts';
import type { SearchIndex, SearchPage } from '../search-index.ts';
import { searchInTiers, type Ranked, type Want } from '../search-tiers.ts';

/*
 * Full-text search on PostgreSQL: `papers_search.doc` is the weighted tsvector of each paper
 * (title A, authors B, keywords C, abstract D; migration 0001 defines it and the
 * text search configurations `paperboy_english` and `paperboy_simple`), with a GIN index, and its `day`
 * orders papers by their own date. The tsquery is built from our parsed query, never from the
 * user's text: each token is a quoted lexeme, normalised by `to_tsquery` under the config of
 * its field, and the parts are joined with tsquery operators in SQL.
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

/**
 * A tsquery lexeme literal, composed as the index's text is (NFC). Tokens hold only letters, digits and marks (`wordTokens`), so no
 * quote or backslash can occur; they are escaped anyway, as to_tsquery's syntax asks.
 */
const lexeme = (token: string, weights: string) => `'${token.normalize('NFC').replace(/\\/g, '\\\\').replace(/'/g, "''")}':${weights}`;
/** Words in sequence: `<->` (a stop word dropped by the config keeps its place). */
const phrase = (tokens: readonly string[], weights: string) => tokens.map((t) => lexeme(t, weights)).join(' <-> ');

/**
 * tsquery expressions for parsed terms. A plain word matches the stemmed title, keywords or
 * abstract, or an author's name as written; `title:` only the title; `author:` only names,
 * never stemmed (as SQLite's marked author words).
 */
export function termQuery(t: Term): RawBuilder<unknown> {
  switch (t.field) {
    case 'title':
      return sql`to_tsquery('paperboy_english', ${phrase(t.tokens, 'A')})`;
    case 'authors':
      return sql`to_tsquery('paperboy_simple', ${phrase(t.tokens, 'B')})`;
    case 'any':
      return sql`(to_tsquery('paperboy_english', ${phrase(t.tokens, 'ACD')}) || to_tsquery('paperboy_simple', ${phrase(t.tokens, 'B')}))`;
  }
}

const anyOf = (terms: Term[]) => (terms.length === 1 ? termQuery(terms[0]!) : sql`(${sql.join(terms.map(termQuery), sql` || `)})`);

/** The whole query: every clause (its terms ORed) ANDed, minus any paper matching an exclusion. */
export function queryOf(q: SearchQuery): RawBuilder<unknown> {
  const all = sql.join(q.must.map(anyOf), sql` && `);
  return q.not.length === 0 ? sql`(${all})` : sql`((${all}) && !!${anyOf(q.not)})`;
}

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

  async indexNewPapers(trx: Kysely<Database>, afterSeq: number): Promise<void> {
    await sql`
      INSERT INTO papers_search (seq, day, doc)
      SELECT p.seq, paperboy_paper_day(p.published_at, p.first_seen_at), paperboy_search_doc(p.title, p.authors_text, p.keywords_text, p.abstract)
      FROM papers p WHERE p.seq > ${Math.trunc(afterSeq)}`.execute(trx);
  }

  /**
   * The matches, newest first by their own day, up to one more than can be ranked whole: the
   * walk stops there, so a query matching half the store costs what one matching a few thousand
   * does (the planner walks the date index and tests each paper, or reads the GIN index and sorts,
   * whichever its statistics say is cheaper). Then ts_rank_cd orders what was kept: all of
   * them, or the `window` newest when there were more than `fullRankLimit`.
   */
  private async rank(q: SearchQuery, want: Want): Promise<Ranked> {
    const { fullRankLimit, window } = this.tuning;
    const take = Math.max(fullRankLimit + 1, window);
    const rows = await sql<{ id: string; rank: number }>`
      SELECT p.id, ts_rank_cd(${RANK_WEIGHTS}::float4[], s.doc, m.q) AS rank
      FROM (SELECT ${queryOf(q)} AS q) m, papers_search s JOIN papers p ON p.seq = s.seq
      WHERE s.doc @@ m.q ${sinceFilter(q.since)} ${skipFilter(want)}
      ORDER BY s.day DESC, s.seq DESC
      LIMIT ${take}`.execute(this.db);
    const windowed = rows.rows.length > fullRankLimit;
    const kept = windowed ? rows.rows.slice(0, window) : rows.rows;
    // Ties keep the newest first (the order they were read in; Array.prototype.sort is stable).
    const ranked = [...kept].sort((a, b) => b.rank - a.rank);
    return { ids: ranked.slice(0, want.n).map((r) => r.id), window: windowed ? window : null };
  }
}

function skipFilter(want: Want): RawBuilder<unknown> {
  return want.skip.length > 0 ? sql`AND s.seq <> ALL(${want.skip}::integer[])` : sql``;
}

function sinceFilter(since: string | null): RawBuilder<unknown> {
  return since ? sql`AND p.published_at >= ${since}::timestamptz` : sql``;
}
