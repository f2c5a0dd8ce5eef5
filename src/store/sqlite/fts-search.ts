import { sql, type Kysely, type RawBuilder } from 'kysely';
import { byAuthorOnly, type SearchQuery, type Term } from '../../search/query.ts';
import { ALIAS_MARK, authorPhrases, nameWords } from '../../search/author-names.ts';
import { analysePaper, PaperMatcher, wordsFor } from '../../search/matcher.ts';
import { titleFirst } from '../../search/title-first.ts';
import type { Database } from '../schema.ts';
import type { SearchIndex, SearchPage } from '../search-index.ts';
import { searchInTiers, type Ranked, type Want } from '../search-tiers.ts';
import { AUTHOR_MARK, FTS_ROWID_SQL, SEQ_BITS, SEQ_OF_ROWID_SQL } from './fts-rows.ts';

/*
 * Full-text search over papers_fts (FTS5), built for a million papers on a small machine.
 * The index stems English and orders rowids by the paper's own date (see fts-rows.ts), so
 * "newest" below means newest by date.
 * Three FTS5 costs shape it (measured in bench/README.md):
 *  - bm25() first reads the whole doclist of every phrase in the query to weigh it: one pass
 *    over "the" at 1M papers is about 25 ms, whatever rowid range is being ranked.
 *  - FTS5 scores every match before it sorts (about 1 µs each).
 *  - A rowid bound is applied only once FTS5 has found a full match: an AND of words that
 *    rarely meet walks on to their next common paper, however tight the bound.
 * So very common words are matched but never scored, ranking is confined to recent matches
 * when there are too many, and an AND of common words is evaluated one clause at a time.
 */

/** BM25 column weights, in FTS column order: title, abstract, authors, keywords. */
export const BM25_WEIGHTS = [10, 1, 4, 4] as const;

const RANK_FUNCTION = `bm25(${BM25_WEIGHTS.map((w) => w.toFixed(1)).join(', ')})`;

/** What one search may cost, counted in papers. `npm run bench` measures the defaults. */
export interface FtsTuning {
  /** At most this many matches are scored by bm25() in one search... */
  fullRankLimit: number;
  /** ...so a query with more matches than that ranks only its `window` newest. */
  window: number;
  /** A word in more papers than this is matched but not scored (its bm25() weight would cost a pass over its doclist). */
  maxScoredDf: number;
  /** A phrase costs about this many times a single word per paper of its rarest word (positions are compared). */
  phraseCostFactor: number;
  /** How many of the newest papers the "is this word common?" probe looks at. */
  sampleRows: number;
  /** When every word is common, the newest this-many matches are listed, title matches first. */
  commonWindow: number;
  /** Several common clauses, or common words that turn out selective together, are looked for among this many newest papers. */
  recentPapers: number;
  /** At most this many ranked papers are checked for the common words of a query (one lookup per paper and clause). */
  checkBudget: number;
  /**
   * At most this many clauses are scored: of a longer query (a title typed whole), the
   * commonest single words beyond these are matched and checked, not weighed (bm25() reads a
   * word's whole doclist to weigh it, about a millisecond each for middling words at a million papers).
   */
  maxScoredClauses: number;
}

export const DEFAULT_TUNING: FtsTuning = {
  fullRankLimit: 2_000,
  window: 2_000,
  maxScoredDf: 50_000,
  phraseCostFactor: 8,
  sampleRows: 4_000,
  commonWindow: 500,
  recentPapers: 10_000,
  checkBudget: 100,
  maxScoredClauses: 4,
};

const phrase = (tokens: readonly string[]) => `"${tokens.join(' ')}"`;
/** Indexed author words (author-names.ts) as the index holds them: written words carry AUTHOR_MARK, aliases their own mark. */
const authorWords = (words: readonly string[]) => `{authors} : "${words.map((w) => (w.endsWith(ALIAS_MARK) ? w : w + AUTHOR_MARK)).join(' ')}"`;
/** An author's name as written (a plain word that may be a name). */
const authorPhrase = (tokens: readonly string[]) => authorWords(nameWords(tokens.join(' ')));
/** An `author:` term: the name's variants (initials, full) ORed. */
const authorTerm = (tokens: readonly string[]) => {
  const variants = authorPhrases(tokens).map(authorWords);
  return variants.length === 1 ? variants[0]! : `(${variants.join(' OR ')})`;
};

/**
 * FTS5 MATCH text for a parsed query. Tokens hold only letters, digits and marks (see
 * `wordTokens`), so no `"` can appear inside the quotes and no user text is read as syntax.
 * A plain word matches the stemmed text, or an author's name exactly as written; it is looked
 * up among author names only when some author has it (`names`): an OR costs a second doclist.
 */
export class FtsExpressions {
  constructor(private readonly names: ReadonlySet<string> = new Set()) {}

  term(t: Term): string {
    switch (t.field) {
      case 'title':
        return `{title} : ${phrase(t.tokens)}`;
      case 'authors':
        return authorTerm(t.tokens);
      case 'any':
        return this.names.has(t.tokens.join(' ')) ? `(${phrase(t.tokens)} OR ${authorPhrase(t.tokens)})` : phrase(t.tokens);
    }
  }

  /** Terms ORed: one clause of the query, or its exclusions. */
  clause(c: Term[]): string {
    return c.length === 1 ? this.term(c[0]!) : `(${c.map((t) => this.term(t)).join(' OR ')})`;
  }

  /** `clauses` ANDed, minus any paper matching one of `excluded`. */
  match(clauses: Term[][], excluded: Term[]): string {
    const all = clauses.map((c) => this.clause(c)).join(' AND ');
    return excluded.length === 0 ? all : `(${all}) NOT ${this.clause(excluded)}`;
  }
}

/**
 * better-sqlite3 binds a JS number as REAL, and FTS5 ignores a rowid bound that is not an
 * INTEGER: a range is then checked row by row (no seek), and `rowid = ?` matches every row,
 * because FTS5 told SQLite it had applied it. So every rowid bound goes through a CAST.
 */
const int = (n: number) => sql`CAST(${n} AS INTEGER)`;

/** The papers row of an FTS row: its seq is the rowid's low bits. */
const JOIN_PAPERS = sql.raw(`JOIN papers p ON p.seq = ${SEQ_OF_ROWID_SQL('f.rowid')}`);
const seqOf = (rowid: number) => rowid % SEQ_BITS;

/**
 * How a query will be run. `scored`: bm25() ranks the matches of `scored` (the clauses rare
 * enough to weigh; `few` when one of its words is in at most `fullRankLimit` papers, so no
 * window is needed); when some clauses were too common for that (`checked`), each ranked
 * paper is checked to match every one of `check` (one expression per common clause) and not
 * `exclude` (common exclusions). `recent`: every clause is common, so nothing is scored.
 */
export type Plan =
  | {
      kind: 'scored';
      scored: string;
      few: boolean;
      checked: boolean;
      check: string[];
      exclude: string | null;
      /** The common clauses and exclusions (`check`, `exclude`) as terms, for checking papers in memory. */
      checkTerms: { must: Term[][]; not: Term[] };
    }
  | { kind: 'recent'; all: string; clauses: string[]; exclude: string | null }
  | { kind: 'by author'; all: string };

/** How many words' "is it common?" verdicts are kept, and how much the store may grow before they are asked again. */
const COMMON_CACHE = { entries: 10_000, growth: 0.02 } as const;

export class FtsSearchIndex implements SearchIndex {
  private readonly tuning: FtsTuning;
  /** Verdicts of isCommon by term, with the store size they were judged at: common words recur in queries. */
  private readonly commonCache = new Map<string, { common: boolean; atSize: number }>();
  /** Whether some author's name holds a word (or phrase). A "yes" stays true; a "no" is asked again once the store has changed. */
  private readonly nameCache = new Map<string, { known: boolean; atSize: number }>();
  /** The rowid of the n-th newest paper, by n, with the store size it was read at. */
  private readonly floors = new Map<number, { rowid: number | null; atSize: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    tuning: Partial<FtsTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  /** Exact titles, words as typed, then completions: the tiers every store shares (search-tiers.ts), ranked here by BM25. */
  async search(q: SearchQuery, page: { limit: number; offset: number }): Promise<SearchPage> {
    return searchInTiers(this.db, q, page, (tier, want) => this.rank(tier, want));
  }

  private async rank(q: SearchQuery, want: Want): Promise<Ranked> {
    const plan = await this.plan(q);
    if (plan.kind === 'recent') return this.listRecent(q, plan, want);
    if (plan.kind === 'by author') return this.listByAuthor(plan.all, q.since, want);
    return plan.checked ? this.rankChecked(plan, q.since, want) : this.rankAll(plan, q.since, want);
  }

  async indexNewPapers(trx: Kysely<Database>, afterSeq: number): Promise<void> {
    await sql
      .raw(
        `INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
        SELECT ${FTS_ROWID_SQL('p')}, p.title, p.abstract, paperboy_author_words(p.authors_text), p.keywords_text
        FROM papers p WHERE p.seq > ${Math.trunc(afterSeq)}`,
      )
      .execute(trx);
  }

  /**
   * Splits the query into what bm25() scores (clauses whose words are rare enough to weigh
   * cheaply) and what is only matched (very common words, and exclusions of them). Public so
   * that the benchmark and tests can tell which way a query ran.
   */
  async plan(q: SearchQuery): Promise<Plan> {
    if (byAuthorOnly(q)) return { kind: 'by author', all: new FtsExpressions().match(q.must, q.not) };
    const size = await this.size();
    const seen = new Map<string, Promise<boolean>>();
    const isCommon = (t: Term) => {
      const key = `${t.field}:${t.tokens.join(' ')}`;
      let p = seen.get(key);
      if (!p) seen.set(key, (p = this.isCommon(t, size)));
      return p;
    };
    const clauseCommon = await Promise.all(q.must.map(async (c) => (await Promise.all(c.map(isCommon))).some(Boolean)));
    const notCommon = await Promise.all(q.not.map(isCommon));
    const expr = new FtsExpressions(await this.authorNames([...q.must.flat(), ...q.not], size));
    await this.leaveUnscored(q.must, clauseCommon);
    const rare = q.must.filter((_, i) => !clauseCommon[i]);
    if (rare.length === 0) {
      return { kind: 'recent', all: expr.match(q.must, q.not), clauses: q.must.map((c) => expr.clause(c)), exclude: q.not.length > 0 ? expr.clause(q.not) : null };
    }
    const common = q.must.filter((_, i) => clauseCommon[i]);
    const commonNot = q.not.filter((_, i) => notCommon[i]);
    // A clause of one word in at most `fullRankLimit` papers caps the matches: no window needed.
    const single = rare.filter((c) => c.length === 1 && c[0]!.tokens.length === 1 && c[0]!.field !== 'authors').map((c) => c[0]!.tokens[0]!);
    let few = false;
    for (const w of single) if ((few = !(await this.isCommonWord(w, this.tuning.fullRankLimit, size)))) break;
    return {
      kind: 'scored',
      few,
      scored: expr.match(
        rare,
        q.not.filter((_, i) => !notCommon[i]),
      ),
      checked: common.length + commonNot.length > 0,
      check: common.map((c) => expr.clause(c)),
      exclude: commonNot.length > 0 ? expr.clause(commonNot) : null,
      checkTerms: { must: common, not: commonNot },
    };
  }

  /**
   * Marks as common (checked, not scored) the commonest single plain words of a query with more
   * than `maxScoredClauses` clauses to score, by their papers in the vocabulary. Phrases, ORs
   * and fields stay scored: they are what the query is most particular about.
   */
  private async leaveUnscored(must: Term[][], common: boolean[]): Promise<void> {
    const scored = must.flatMap((c, i) => (common[i] ? [] : [i]));
    const excess = scored.length - this.tuning.maxScoredClauses;
    if (excess <= 0) return;
    const word = (i: number) => (must[i]!.length === 1 && must[i]![0]!.field === 'any' && must[i]![0]!.tokens.length === 1 ? must[i]![0]!.tokens[0]! : null);
    const words = scored.flatMap((i) => (word(i) === null ? [] : [word(i)!]));
    if (words.length === 0) return;
    const df = new Map((await this.db.selectFrom('words').select(['word', 'df']).where('word', 'in', words).execute()).map((r) => [r.word, r.df]));
    const commonest = scored.filter((i) => word(i) !== null).sort((a, b) => (df.get(word(b)!) ?? 0) - (df.get(word(a)!) ?? 0));
    for (const i of commonest.slice(0, excess)) common[i] = true;
  }

  /** Which plain words and phrases of the query are also some author's name (one cached probe each). */
  private async authorNames(terms: Term[], size: number): Promise<Set<string>> {
    const names = new Set<string>();
    for (const t of terms) {
      if (t.field !== 'any') continue;
      const key = t.tokens.join(' ');
      const cached = this.nameCache.get(key);
      let known = cached && (cached.known || cached.atSize === size) ? cached.known : undefined;
      if (known === undefined) {
        known = (await this.nthNewest(authorPhrase(t.tokens), 1)) !== null;
        if (this.nameCache.size >= COMMON_CACHE.entries) this.nameCache.delete(this.nameCache.keys().next().value!);
        this.nameCache.set(key, { known, atSize: size });
      }
      if (known) names.add(key);
    }
    return names;
  }

  /**
   * Whether a term is too costly to score: a word in more than `maxScoredDf` papers, or a
   * phrase whose every word is in more than `maxScoredDf / phraseCostFactor` (FTS5 walks a
   * phrase through the papers of its rarest word, checking positions, so that word sets the
   * cost). A word is judged from the newest `sampleRows` papers: is its k-th newest match
   * among them? The walk stops after k matches, so the probe is cheap for common and rare
   * words alike; verdicts are cached while the store grows by less than 2%. Author names are
   * never common enough to matter: even the commonest is in a small share of papers.
   */
  private async isCommon(t: Term, size: number): Promise<boolean> {
    if (t.field === 'authors') return false;
    const { maxScoredDf, phraseCostFactor } = this.tuning;
    const words = [...new Set(t.tokens)];
    if (words.length === 1) return this.isCommonWord(words[0]!, maxScoredDf, size);
    for (const w of words) if (!(await this.isCommonWord(w, maxScoredDf / phraseCostFactor, size))) return false;
    return true;
  }

  private async isCommonWord(word: string, limit: number, size: number): Promise<boolean> {
    if (size <= limit) return false;
    const key = `${limit}:${word}`;
    const cached = this.commonCache.get(key);
    if (cached && size >= cached.atSize && size - cached.atSize <= cached.atSize * COMMON_CACHE.growth) return cached.common;
    const sample = Math.min(this.tuning.sampleRows, size);
    const k = Math.floor((sample * limit) / size) + 1;
    const kth = await this.nthNewest(phrase([word]), k);
    const floor = await this.newestPapersFloor(sample);
    const common = kth !== null && floor !== null && kth >= floor;
    if (this.commonCache.size >= COMMON_CACHE.entries) this.commonCache.delete(this.commonCache.keys().next().value!);
    this.commonCache.set(key, { common, atSize: size });
    return common;
  }

  /** Every clause scored: bm25() over all matches, or over the newest `window` when there are more than `fullRankLimit`. */
  private async rankAll(plan: Extract<Plan, { kind: 'scored' }>, since: string | null, want: Want): Promise<Ranked> {
    const match = plan.scored;
    const minSeq = plan.few ? null : await this.windowStart(match);
    const rows = await sql<{ id: string }>`
      SELECT p.id FROM papers_fts f ${JOIN_PAPERS}
      WHERE f.papers_fts MATCH ${match} AND f.rank MATCH ${RANK_FUNCTION}
        ${minSeq === null ? sql`` : sql`AND f.rowid >= ${int(minSeq)}`} ${sinceFilter(since)} ${skipFilter(want)}
      ORDER BY f.rank LIMIT ${int(want.depth)}`.execute(this.db);
    return { ids: rows.rows.map((r) => r.id), window: minSeq === null ? null : this.tuning.window };
  }

  /**
   * Some clauses too common to score: bm25() ranks the matches of the others (as rankAll),
   * and the best of them are checked for the common clauses, a batch at a time, each clause
   * on its own (a single word or phrase stops at the rowid asked for; an AND would not). The
   * checks usually pass, so a page costs a few lookups of about 50 µs. When the common words
   * are selective together (a long title of middling words) and `checkBudget` papers are
   * not enough, the newest papers are searched instead (rankRecentCandidates).
   */
  private async rankChecked(plan: Extract<Plan, { kind: 'scored' }>, since: string | null, want: Want): Promise<Ranked> {
    const { window, checkBudget } = this.tuning;
    const minSeq = plan.few ? null : await this.windowStart(plan.scored);
    const ranked = await sql<{ rowid: number; id: string }>`
      SELECT f.rowid, p.id FROM papers_fts f ${JOIN_PAPERS}
      WHERE f.papers_fts MATCH ${plan.scored} AND f.rank MATCH ${RANK_FUNCTION}
        ${minSeq === null ? sql`` : sql`AND f.rowid >= ${int(minSeq)}`} ${sinceFilter(since)} ${skipFilter(want)}
      ORDER BY f.rank LIMIT ${int(checkBudget)}`.execute(this.db);
    const ids: string[] = [];
    let checked = 0;
    while (ids.length < want.depth && checked < ranked.rows.length) {
      const short = want.n - ids.length;
      // Give up on checking as soon as the pass rate so far says the budget will not fill the page.
      if (short > 0 && checked > 0 && (ids.length / checked) * (ranked.rows.length - checked) < short) break;
      // Below the page's need, batches sized to fill it at the pass rate seen so far (each batch
      // costs a read of its papers); past it, one last batch towards the proximity depth.
      const size = short <= 0 ? want.depth - ids.length : checked === 0 ? Math.max(16, 2 * short) : Math.max(16, Math.ceil((1.5 * short * checked) / ids.length));
      const batch = ranked.rows.slice(checked, checked + size);
      checked += batch.length;
      const hits = await this.matchingInMemory(plan.checkTerms, batch.map((r) => r.id));
      ids.push(...batch.filter((r) => hits.has(r.id)).map((r) => r.id));
      if (short <= 0) break;
    }
    if (ids.length >= want.n || (checked === ranked.rows.length && ranked.rows.length < checkBudget)) return { ids, window: minSeq === null ? null : window };
    return this.rankRecentCandidates(plan, since, want);
  }

  /**
   * Which of `ids` match every clause of `terms.must` and no term of `terms.not`, checked in
   * memory over the papers' text (matcher.ts: FTS5's words and semantics). One read of the
   * batch; FTS5 would take a rowid lookup per paper and term, and every lookup seeks each
   * segment (an OR of 12 completions: 12 lookups a paper, about 0.2 ms at a million papers).
   */
  private async matchingInMemory(terms: { must: Term[][]; not: Term[] }, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('papers').select(['id', 'title', 'abstract', 'authors_text', 'keywords_text']).where('id', 'in', ids).execute();
    const only = wordsFor([...terms.must.flat(), ...terms.not]);
    const matcher = new PaperMatcher(rows.map((r) => analysePaper({ id: r.id, title: r.title, abstract: r.abstract, authorsText: r.authors_text, keywordsText: r.keywords_text, publishedAt: null }, only)));
    const query = (must: Term[][]): SearchQuery => ({ must, not: [], since: null, titleKey: null, text: '' });
    // Exclusions alone (no common clause to check) leave every paper but the excluded ones.
    const passing = terms.must.length === 0 ? new Set(rows.map((r) => r.id)) : matcher.matching(query(terms.must));
    if (terms.not.length > 0) for (const id of matcher.matching(query([terms.not]))) passing.delete(id);
    return passing;
  }

  /**
   * The fallback of rankChecked: the papers among the newest `recentPapers` that match every
   * clause (see recentMatches), ranked by bm25() over the scored clauses.
   */
  private async rankRecentCandidates(plan: Extract<Plan, { kind: 'scored' }>, since: string | null, want: Want): Promise<Ranked> {
    const { fullRankLimit, recentPapers } = this.tuning;
    const { floor, limited } = await this.recentRange();
    const found = await this.recentMatches([plan.scored, ...plan.check], plan.exclude, floor, fullRankLimit + 1);
    const candidates = found.slice(0, fullRankLimit);
    const window = found.length > fullRankLimit ? fullRankLimit : limited ? recentPapers : null;
    if (candidates.length === 0) return { ids: [], window };
    // The unary + keeps SQLite from handing the IN list to FTS5 as one rowid lookup per
    // candidate (each would weigh the scored words again): it filters one ranked pass instead.
    const ranked = await sql<{ id: string }>`
      SELECT p.id FROM papers_fts f ${JOIN_PAPERS}
      WHERE f.papers_fts MATCH ${plan.scored} AND f.rank MATCH ${RANK_FUNCTION}
        AND f.rowid BETWEEN ${int(candidates[candidates.length - 1]!)} AND ${int(candidates[0]!)}
        AND +f.rowid IN (SELECT value FROM json_each(${JSON.stringify(candidates)})) ${sinceFilter(since)} ${skipFilter(want)}
      ORDER BY f.rank LIMIT ${int(want.depth)}`.execute(this.db);
    return { ids: ranked.rows.map((r) => r.id), window };
  }

  /**
   * Every clause common, so nothing is scored: the newest `commonWindow` matches, those with
   * the words in their title first, each group newest first.
   */
  private async listRecent(q: SearchQuery, plan: Extract<Plan, { kind: 'recent' }>, want: Want): Promise<Ranked> {
    const { commonWindow, recentPapers } = this.tuning;
    let rowids: number[];
    let limited = false;
    if (q.must.length === 1 && q.must[0]!.every((t) => t.tokens.length === 1)) {
      // Common single words: their matches are dense, so the walk back soon has enough.
      rowids = await this.newest(plan.all, commonWindow + 1);
    } else {
      // An AND, or a phrase (its words may be common while it is rare), could walk far back:
      // look only among the newest papers, one clause at a time.
      const range = await this.recentRange();
      limited = range.limited;
      rowids = await this.recentMatches(plan.clauses, plan.exclude, range.floor, commonWindow + 1);
    }
    const kept = rowids.slice(0, commonWindow);
    const order = new Map(kept.map((rowid, i) => [seqOf(rowid), i]));
    const rows = await sql<{ seq: number; id: string; title: string; published_at: string | null }>`
      SELECT seq, id, title, published_at FROM papers
      WHERE seq IN (SELECT value FROM json_each(${JSON.stringify([...order.keys()])}))`.execute(this.db);
    const skip = new Set(want.skip);
    const newest = rows.rows
      .sort((a, b) => order.get(a.seq)! - order.get(b.seq)!)
      .filter((r) => !skip.has(r.seq) && (!q.since || (r.published_at !== null && r.published_at >= q.since)));
    const window = rowids.length > commonWindow ? commonWindow : limited ? recentPapers : null;
    return { ids: titleFirst(q, newest).slice(0, want.depth).map((r) => r.id), window };
  }

  /**
   * Only author names asked for: every match newest first, by the paper's own date. BM25 has
   * nothing to weigh (every match holds the name), and an author's latest papers are what people
   * look for; a walk down the index stops after the page (a bm25() window over a common surname
   * cost 15-30 ms at a million papers).
   */
  private async listByAuthor(match: string, since: string | null, want: Want): Promise<Ranked> {
    const rows = await sql<{ id: string }>`
      SELECT p.id FROM papers_fts f ${JOIN_PAPERS}
      WHERE f.papers_fts MATCH ${match} ${sinceFilter(since)} ${skipFilter(want)}
      ORDER BY f.rowid DESC LIMIT ${int(want.depth)}`.execute(this.db);
    return { ids: rows.rows.map((r) => r.id), window: null };
  }

  /** The first rowid of the newest `recentPapers`, and whether older papers are left out. */
  private async recentRange(): Promise<{ floor: number; limited: boolean }> {
    const size = await this.size();
    const floor = size > this.tuning.recentPapers ? await this.newestPapersFloor(this.tuning.recentPapers) : null;
    return { floor: floor ?? 0, limited: floor !== null };
  }

  /**
   * Rowids from `floor` up that match every one of `clauses` and not `excluded`, newest first,
   * at most `limit`. Each clause is walked alone over the range, which bounds the work (a
   * single term or phrase stops at the end of the index), and SQLite intersects the lists.
   */
  private async recentMatches(clauses: string[], excluded: string | null, floor: number, limit: number): Promise<number[]> {
    const inRange = (match: string) => sql`SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} AND rowid >= ${int(floor)}`;
    const r = await sql<{ rowid: number }>`
      ${sql.join(clauses.map(inRange), sql` INTERSECT `)} ${excluded === null ? sql`` : sql`EXCEPT ${inRange(excluded)}`}
      ORDER BY 1 DESC LIMIT ${int(limit)}`.execute(this.db);
    return r.rows.map((x) => x.rowid);
  }

  /** How many papers the store holds, near enough: seqs are handed out in order and papers are rarely deleted. */
  private async size(): Promise<number> {
    const r = await this.db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  /**
   * The rowid of the n-th newest paper (by date), or null when there are fewer: the floor of
   * "the newest n papers". A walk down the index's own rowids, cached while the store grows by
   * less than 2% (new papers mostly land on top, so an old floor only widens the range a little).
   */
  private async newestPapersFloor(n: number): Promise<number | null> {
    const size = await this.size();
    const cached = this.floors.get(n);
    if (cached && size >= cached.atSize && size - cached.atSize <= cached.atSize * COMMON_CACHE.growth) return cached.rowid;
    const r = await sql<{ rowid: number }>`SELECT rowid FROM papers_fts ORDER BY rowid DESC LIMIT 1 OFFSET ${int(n - 1)}`.execute(this.db);
    const rowid = r.rows[0]?.rowid ?? null;
    this.floors.set(n, { rowid, atSize: size });
    return rowid;
  }

  /** The rowid of the `window`-th newest match when there are more than `fullRankLimit`, else null. */
  private async windowStart(match: string): Promise<number | null> {
    const { fullRankLimit, window } = this.tuning;
    if (fullRankLimit === window) {
      // One walk: the window-th newest match, and whether there is one more.
      const r = await sql<{ rowid: number }>`
        SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} ORDER BY rowid DESC LIMIT 2 OFFSET ${int(window - 1)}`.execute(this.db);
      return r.rows.length === 2 ? r.rows[0]!.rowid : null;
    }
    return (await this.nthNewest(match, fullRankLimit + 1)) === null ? null : this.nthNewest(match, window);
  }

  /** The rowids of the newest `n` matches (a walk back through the index, no scoring). */
  private async newest(match: string, n: number): Promise<number[]> {
    const r = await sql<{ rowid: number }>`
      SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} ORDER BY rowid DESC LIMIT ${int(n)}`.execute(this.db);
    return r.rows.map((x) => x.rowid);
  }

  /** The rowid of the n-th newest match, or null when there are fewer. */
  private async nthNewest(match: string, n: number): Promise<number | null> {
    const r = await sql<{ rowid: number }>`
      SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match} ORDER BY rowid DESC LIMIT 1 OFFSET ${int(n - 1)}`.execute(this.db);
    return r.rows[0]?.rowid ?? null;
  }
}

function skipFilter(want: Want): RawBuilder<unknown> {
  return want.skip.length > 0 ? sql`AND p.seq NOT IN (SELECT value FROM json_each(${JSON.stringify(want.skip)}))` : sql``;
}

function sinceFilter(since: string | null): RawBuilder<unknown> {
  return since ? sql`AND p.published_at >= ${since}` : sql``;
}
