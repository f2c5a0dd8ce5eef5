import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SearchQuery, Term } from '../../search/query.ts';
import type { Database } from '../schema.ts';
import type { SearchIndex, SearchPage } from '../search-index.ts';

const FTS_COLUMN: Record<Term['field'], string | null> = { any: null, title: 'title', authors: 'authors_text' };

/** BM25 column weights, in FTS column order: title, abstract, authors, keywords. */
export const BM25_WEIGHTS = [10, 1, 4, 2] as const;

const RANK_FUNCTION = `bm25(${BM25_WEIGHTS.map((w) => w.toFixed(1)).join(', ')})`;

/**
 * What a search may cost, in papers. The figures behind the defaults (1M papers, 2 cores) are
 * in bench/README.md; `npm run bench` measures them again.
 */
export interface FtsTuning {
  /** A query matching more papers than this is ranked within a recency window... */
  fullRankLimit: number;
  /** ...of its `window` newest matches. */
  window: number;
  /**
   * A word in more papers than this is matched but not scored: bm25() reads the whole doclist
   * of every phrase to weigh it (one full pass over "the" at 1M papers takes about 25 ms),
   * and a word that common barely moves a BM25 score anyway.
   */
  maxScoredDf: number;
  /** A phrase costs about this many times a single word per paper holding all its words. */
  phraseCostFactor: number;
  /** How many of the newest papers the "is this word common?" probe looks at. */
  sampleRows: number;
  /** When every word is common, the newest matches among this many newest papers are listed, title matches first. */
  commonWindow: number;
}

export const DEFAULT_TUNING: FtsTuning = {
  fullRankLimit: 4_000,
  window: 4_000,
  maxScoredDf: 50_000,
  phraseCostFactor: 8,
  sampleRows: 4_000,
  commonWindow: 20_000,
};

const quoted = (t: Term) => `"${t.tokens.join(' ')}"`;

/**
 * FTS5 MATCH text for one term. Tokens hold only letters, digits and marks (see
 * `wordTokens`), so no `"` can appear inside the quotes and no user text is read as syntax.
 */
function termExpr(t: Term): string {
  const col = FTS_COLUMN[t.field];
  return col ? `{${col}} : ${quoted(t)}` : quoted(t);
}

/** The same term, as a match in the title (an author term stays an author match). */
function titleTermExpr(t: Term): string {
  return t.field === 'authors' ? termExpr(t) : `{title} : ${quoted(t)}`;
}

function clauseExpr(c: Term[], term: (t: Term) => string = termExpr): string {
  return c.length === 1 ? term(c[0]!) : `(${c.map(term).join(' OR ')})`;
}

function andExpr(clauses: Term[][], term?: (t: Term) => string): string {
  return clauses.map((c) => clauseExpr(c, term)).join(' AND ');
}

function orExpr(terms: Term[]): string {
  return terms.map(termExpr).join(' OR ');
}

/** `base NOT (excluded)`, or `base` when nothing is excluded. */
function withoutExpr(base: string, excluded: string[]): string {
  return excluded.length === 0 ? base : `(${base}) NOT (${excluded.map((e) => `(${e})`).join(' OR ')})`;
}

/** The whole query as one FTS5 MATCH expression. */
export function toFtsMatch(q: SearchQuery): string {
  return withoutExpr(andExpr(q.must), q.not.length > 0 ? [orExpr(q.not)] : []);
}

/**
 * better-sqlite3 binds a JS number as REAL, and FTS5 ignores a rowid bound that is not an
 * INTEGER: a range is then checked row by row (no seek), and `rowid = ?` matches every row,
 * because FTS5 told SQLite it had applied it. So every rowid bound goes through a CAST.
 */
const int = (n: number) => sql`CAST(${n} AS INTEGER)`;

/** How a query will be run: which clauses bm25() scores, which are only checked. */
type Plan =
  | { kind: 'scored'; scored: string; mustAlso: string | null; mustNot: string | null }
  | { kind: 'recent'; all: string; inTitle: string };

interface Ranked {
  ids: string[];
  window: number | null;
}

export class FtsSearchIndex implements SearchIndex {
  private readonly tuning: FtsTuning;

  constructor(
    private readonly db: Kysely<Database>,
    tuning: Partial<FtsTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  async search(q: SearchQuery, page: { limit: number; offset: number }): Promise<SearchPage> {
    const exact = q.titleKey && q.titleKey.includes(' ') ? await this.exactTitleIds(q.titleKey) : [];
    // Always from the top, then sliced: the exact-title papers are taken out of the ranked list
    // wherever they fall in it, so page 2 starts exactly where page 1 ended.
    const want = page.offset + page.limit + 1 + exact.length;
    const plan = await this.plan(q);
    const ranked = plan.kind === 'scored' ? await this.rankScored(plan, q.since, want) : await this.listRecent(plan, q.since, want);
    const exactSet = new Set(exact);
    const all = [...exact, ...ranked.ids.filter((id) => !exactSet.has(id))];
    return { ids: all.slice(page.offset, page.offset + page.limit), hasMore: all.length > page.offset + page.limit, window: ranked.window };
  }

  /**
   * Topic matching for a day's papers. No ranking, so no bm25() cost: the day's papers are
   * found by rowid, and the query is run over the few rowid ranges they occupy (papers
   * ingested together sit together). A range costs one seek; a lookup per paper would
   * cost about as much each.
   */
  async matching(q: SearchQuery, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await sql<{ seq: number; id: string; published_at: string | null }>`
      SELECT seq, id, published_at FROM papers WHERE id IN (SELECT value FROM json_each(${JSON.stringify(paperIds)}))`.execute(this.db);
    const wanted = new Map<number, string>();
    for (const r of rows.rows) if (!q.since || (r.published_at !== null && r.published_at >= q.since)) wanted.set(r.seq, r.id);
    const match = toFtsMatch(q);
    const found = new Set<string>();
    for (const [lo, hi] of rowidRanges([...wanted.keys()], MATCHING_GAP)) {
      const hits = await sql<{ rowid: number }>`
        SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} AND rowid BETWEEN ${int(lo)} AND ${int(hi)}`.execute(this.db);
      for (const h of hits.rows) {
        const id = wanted.get(h.rowid);
        if (id !== undefined) found.add(id);
      }
    }
    return found;
  }

  /**
   * Splits the query into what bm25() scores (clauses whose words are rare enough to weigh
   * cheaply) and what is only checked (very common words, and exclusions of them). When
   * every clause is common there is nothing worth scoring: the newest matches are listed.
   */
  private async plan(q: SearchQuery): Promise<Plan> {
    const maxSeq = await this.maxSeq();
    const common = new Map<string, Promise<boolean>>();
    const isCommon = (t: Term) => {
      const key = t.tokens.join(' ');
      let p = common.get(key);
      if (!p) common.set(key, (p = this.isCommon(t, maxSeq)));
      return p;
    };
    const clauseCommon = await Promise.all(q.must.map(async (c) => (await Promise.all(c.map(isCommon))).some(Boolean)));
    const notCommon = await Promise.all(q.not.map(isCommon));

    const rare = q.must.filter((_, i) => !clauseCommon[i]);
    const frequent = q.must.filter((_, i) => clauseCommon[i]);
    const rareNot = q.not.filter((_, i) => !notCommon[i]);
    const frequentNot = q.not.filter((_, i) => notCommon[i]);

    if (rare.length === 0) {
      const excluded = q.not.length > 0 ? [orExpr(q.not)] : [];
      const inTitle = andExpr(q.must, titleTermExpr);
      return { kind: 'recent', all: withoutExpr(andExpr(q.must), excluded), inTitle: withoutExpr(inTitle, excluded) };
    }
    return {
      kind: 'scored',
      scored: withoutExpr(andExpr(rare), rareNot.length > 0 ? [orExpr(rareNot)] : []),
      mustAlso: frequent.length > 0 ? andExpr(frequent) : null,
      mustNot: frequentNot.length > 0 ? orExpr(frequentNot) : null,
    };
  }

  /**
   * Whether a term is in more than `maxScoredDf` papers (scaled down for phrases), judged from
   * the newest `sampleRows` papers: is its k-th newest match among them? The walk stops after
   * k matches, so the probe is cheap for common and rare words alike. The cost of a phrase
   * follows the papers holding all its words, so that is what is counted.
   */
  private async isCommon(t: Term, maxSeq: number): Promise<boolean> {
    const { maxScoredDf, phraseCostFactor, sampleRows } = this.tuning;
    const limit = t.tokens.length > 1 ? maxScoredDf / phraseCostFactor : maxScoredDf;
    if (maxSeq <= limit) return false;
    const k = Math.max(1, Math.ceil((sampleRows * limit) / maxSeq));
    const allWords = [...new Set(t.tokens)].map((w) => `"${w}"`).join(' AND ');
    const r = await sql<{ rowid: number }>`
      SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${allWords}
      ORDER BY rowid DESC LIMIT 1 OFFSET ${int(k - 1)}`.execute(this.db);
    const kth = r.rows[0]?.rowid;
    return kth !== undefined && kth > maxSeq - sampleRows;
  }

  private async rankScored(plan: Extract<Plan, { kind: 'scored' }>, since: string | null, want: number): Promise<Ranked> {
    // FTS5 scores every match before it sorts. Past `fullRankLimit` matches we rank only the
    // newest `window`, found by walking the index backwards by rowid (no scoring).
    const minSeq = await this.windowStart(plan.scored);
    const also = plan.mustAlso === null ? null : withoutExpr(plan.mustAlso, plan.mustNot ? [plan.mustNot] : []);
    // Common words are checked per candidate, in rank order, until the page is full: one
    // rowid lookup each, instead of making bm25() read their whole doclists.
    const rows = await sql<{ id: string }>`
      SELECT p.id FROM papers_fts f JOIN papers p ON p.seq = f.rowid
      WHERE f.papers_fts MATCH ${plan.scored} AND f.rank MATCH ${RANK_FUNCTION}
        ${minSeq === null ? sql`` : sql`AND f.rowid >= ${int(minSeq)}`}
        ${also === null ? sql`` : sql`AND EXISTS (SELECT 1 FROM papers_fts g WHERE g.papers_fts MATCH ${also} AND g.rowid = f.rowid)`}
        ${also === null && plan.mustNot ? sql`AND NOT EXISTS (SELECT 1 FROM papers_fts g WHERE g.papers_fts MATCH ${plan.mustNot} AND g.rowid = f.rowid)` : sql``}
        ${sinceFilter(since)}
      ORDER BY f.rank LIMIT ${int(want)}`.execute(this.db);
    return { ids: rows.rows.map((r) => r.id), window: minSeq === null ? null : this.tuning.window };
  }

  /** Newest first, papers with the words in their title before the others, among the newest `commonWindow` papers. */
  private async listRecent(plan: Extract<Plan, { kind: 'recent' }>, since: string | null, want: number): Promise<Ranked> {
    const maxSeq = await this.maxSeq();
    const minSeq = maxSeq > this.tuning.commonWindow ? maxSeq - this.tuning.commonWindow + 1 : null;
    const newest = (match: string, n: number) =>
      sql<{ id: string }>`
        SELECT p.id FROM papers_fts f JOIN papers p ON p.seq = f.rowid
        WHERE f.papers_fts MATCH ${match} ${minSeq === null ? sql`` : sql`AND f.rowid >= ${int(minSeq)}`} ${sinceFilter(since)}
        ORDER BY f.rowid DESC LIMIT ${int(n)}`.execute(this.db);
    const inTitle = (await newest(plan.inTitle, want)).rows.map((r) => r.id);
    const rest = inTitle.length < want ? (await newest(withoutExpr(plan.all, [plan.inTitle]), want - inTitle.length)).rows.map((r) => r.id) : [];
    return { ids: [...inTitle, ...rest], window: minSeq === null ? null : this.tuning.commonWindow };
  }

  private async exactTitleIds(key: string): Promise<string[]> {
    const rows = await this.db.selectFrom('papers').select('id').where('title_key', '=', key).orderBy('seq', 'desc').limit(3).execute();
    return rows.map((r) => r.id);
  }

  private async maxSeq(): Promise<number> {
    const r = await this.db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  /** The rowid of the `window`-th newest match when there are more than `fullRankLimit` matches, else null. */
  private async windowStart(match: string): Promise<number | null> {
    const nth = async (n: number) => {
      const r = await sql<{ rowid: number }>`
        SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} ORDER BY rowid DESC LIMIT 1 OFFSET ${int(n - 1)}`.execute(this.db);
      return r.rows[0]?.rowid ?? null;
    };
    if ((await nth(this.tuning.fullRankLimit + 1)) === null) return null;
    return nth(this.tuning.window);
  }
}

/** Papers whose rowids lie closer than this are matched with one range query rather than two. */
const MATCHING_GAP = 2_000;

/** Sorted rowids grouped into [lo, hi] ranges, a new range starting after a gap wider than `gap`. */
export function rowidRanges(rowids: number[], gap: number): Array<[number, number]> {
  const sorted = [...rowids].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && r - last[1] <= gap) last[1] = r;
    else ranges.push([r, r]);
  }
  return ranges;
}

function sinceFilter(since: string | null): RawBuilder<unknown> {
  return since ? sql`AND p.published_at >= ${since}` : sql``;
}
