import { sql, type Kysely } from 'kysely';
import type { SearchQuery, Term } from '../../search/query.ts';
import type { Database } from '../schema.ts';
import type { SearchIndex, SearchPage } from '../search-index.ts';

const FTS_COLUMN: Record<Term['field'], string | null> = { any: null, title: 'title', authors: 'authors_text' };

/** BM25 column weights, in FTS column order: title, abstract, authors, keywords. */
export const BM25_WEIGHTS = [10, 1, 4, 2] as const;

const RANK_FUNCTION = `bm25(${BM25_WEIGHTS.map((w) => w.toFixed(1)).join(', ')})`;

export interface FtsTuning {
  /** Queries expected to match more papers than this are ranked within a recency window. */
  fullRankLimit: number;
  /** How many of the newest matches a windowed query ranks. */
  window: number;
}

export const DEFAULT_TUNING: FtsTuning = { fullRankLimit: 12_000, window: 8_000 };

/**
 * Turns the parsed query into an FTS5 MATCH expression. Every token is double-quoted (tokens
 * hold only letters and digits, so no quote can appear inside), so no user text is ever
 * read as FTS5 syntax.
 */
export function toFtsMatch(q: SearchQuery): string {
  const term = (t: Term) => {
    const phrase = `"${t.tokens.join(' ')}"`;
    const col = FTS_COLUMN[t.field];
    return col ? `{${col}} : ${phrase}` : phrase;
  };
  const clause = (c: Term[]) => (c.length === 1 ? term(c[0]!) : `(${c.map(term).join(' OR ')})`);
  let expr = q.must.map(clause).join(' AND ');
  if (q.not.length > 0) expr = `(${expr}) NOT (${q.not.map(term).join(' OR ')})`;
  return expr;
}

/** FTS5 vocabulary terms are folded: lower case, diacritics removed. */
function foldToken(t: string): string {
  return t.normalize('NFKD').replace(/\p{M}/gu, '');
}

export class FtsSearchIndex implements SearchIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tuning: FtsTuning = DEFAULT_TUNING,
  ) {}

  async search(q: SearchQuery, page: { limit: number; offset: number }): Promise<SearchPage> {
    const match = toFtsMatch(q);
    const exact = q.titleKey && q.titleKey.includes(' ') ? await this.exactTitleIds(q.titleKey) : [];

    // FTS5 scores every match before it can sort: a word in half the corpus means half a
    // million bm25() calls. The vocabulary tells us the size up front; past the limit we rank
    // only the newest matches, found by walking the index backwards by rowid (no scoring).
    let minSeq: number | null = null;
    if ((await this.estimateMatches(q)) > this.tuning.fullRankLimit) {
      minSeq = await this.windowStart(match);
    }

    const want = page.limit + 1 + exact.length;
    const skip = Math.max(0, page.offset - exact.length);
    const rows = await sql<{ id: string }>`
      SELECT p.id FROM papers_fts f JOIN papers p ON p.seq = f.rowid
      WHERE papers_fts MATCH ${match} AND f.rank MATCH ${RANK_FUNCTION}
        ${minSeq === null ? sql`` : sql`AND f.rowid >= ${minSeq}`}
        ${q.since ? sql`AND p.published_at >= ${q.since}` : sql``}
      ORDER BY f.rank LIMIT ${want} OFFSET ${skip}`.execute(this.db);

    const exactSet = new Set(exact);
    const ranked = rows.rows.map((r) => r.id).filter((id) => !exactSet.has(id));
    const all = page.offset < exact.length ? [...exact.slice(page.offset), ...ranked] : ranked;
    return { ids: all.slice(0, page.limit), hasMore: all.length > page.limit, window: minSeq === null ? null : this.tuning.window };
  }

  async matching(q: SearchQuery, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await sql<{ id: string }>`
      SELECT p.id FROM papers p JOIN papers_fts f ON f.rowid = p.seq
      WHERE p.id IN (SELECT value FROM json_each(${JSON.stringify(paperIds)}))
        AND papers_fts MATCH ${toFtsMatch(q)}
        ${q.since ? sql`AND p.published_at >= ${q.since}` : sql``}`.execute(this.db);
    return new Set(rows.rows.map((r) => r.id));
  }

  private async exactTitleIds(key: string): Promise<string[]> {
    const rows = await this.db.selectFrom('papers').select('id').where('title_key', '=', key).orderBy('seq', 'desc').limit(3).execute();
    return rows.map((r) => r.id);
  }

  /** An upper bound on the number of matches, from per-term document counts. */
  private async estimateMatches(q: SearchQuery): Promise<number> {
    const tokens = [...new Set(q.must.flat().flatMap((t) => t.tokens.map(foldToken)))];
    const rows = await sql<{ term: string; doc: number }>`
      SELECT term, doc FROM papers_fts_vocab WHERE term IN (SELECT value FROM json_each(${JSON.stringify(tokens)}))`.execute(this.db);
    const df = new Map(rows.rows.map((r) => [r.term, Number(r.doc)]));
    const termDf = (t: Term) => Math.min(...t.tokens.map((tok) => df.get(foldToken(tok)) ?? 0));
    return Math.min(...q.must.map((c) => c.reduce((n, t) => n + termDf(t), 0)));
  }

  /** The rowid of the `window`-th newest match, or null when there are fewer matches. */
  private async windowStart(match: string): Promise<number | null> {
    const r = await sql<{ rowid: number }>`
      SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match}
      ORDER BY rowid DESC LIMIT 1 OFFSET ${this.tuning.window - 1}`.execute(this.db);
    return r.rows[0]?.rowid ?? null;
  }
}
