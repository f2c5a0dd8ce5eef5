import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { FreshPaper, IngestIndexer } from '../store/search-index.ts';
import { boundedEditDistance, editsOne } from './edit-distance.ts';
import { foldedWords, stem } from './words.ts';

/**
 * The store's own vocabulary: every word of the papers' titles, abstracts, keywords and author
 * names with the number of papers holding it, kept in the `words` table at ingest. From it come
 * the completions of a half-typed last word and the corrections of a misspelled one. It is plain
 * kysely, the same on every store dialect; searches read an in-memory snapshot of the words that
 * occur at least twice (a word seen once is more often a typo than a target) and ask the table
 * itself whether a word they are about to correct is really unknown.
 */

/** Words longer than this are identifiers, hashes or URLs: never typed, never suggested. */
const MAX_WORD = 40;
/** Rows per upsert statement (two bound values each: well under SQLite's limit). */
const UPSERT_ROWS = 500;

export class VocabularyIndexer implements IngestIndexer {
  async indexNewPapers(trx: Kysely<Database>, _afterSeq: number, fresh: readonly FreshPaper[]): Promise<void> {
    await addWords(trx, fresh);
  }
}

/** Counts the words of `papers` (once per paper) into the `words` table. */
export async function addWords(db: Kysely<Database>, papers: Iterable<PaperText>): Promise<void> {
  // One map lookup per word: each entry remembers the last paper that counted it.
  const counts = new Map<string, { df: number; last: number }>();
  let paper = 0;
  for (const p of papers) {
    paper++;
    for (const w of foldedWords(`${p.title} ${p.abstract} ${p.authors_text} ${p.keywords_text}`)) {
      const c = counts.get(w);
      if (!c) {
        if (w.length <= MAX_WORD) counts.set(w, { df: 1, last: paper });
      } else if (c.last !== paper) {
        c.df++;
        c.last = paper;
      }
    }
  }
  const entries = [...counts].map(([w, c]) => [w, c.df] as const);
  for (let i = 0; i < entries.length; i += UPSERT_ROWS) {
    await db
      .insertInto('words')
      .values(entries.slice(i, i + UPSERT_ROWS).map(([word, n]) => ({ word, df: n })))
      .onConflict((oc) => oc.column('word').doUpdateSet((eb) => ({ df: eb(eb.ref('words.df'), '+', eb.ref('excluded.df')) })))
      .execute();
  }
}

export interface PaperText {
  title: string;
  abstract: string;
  authors_text: string;
  keywords_text: string;
}

/** What a correction replaced, for the "Showing results for" notice. */
export interface Correction {
  from: string;
  to: string;
}

/** Typo limits from the issue: one edit for words of 4 to 7 letters, two for longer ones. */
export const TYPO = {
  minLength: 4,
  maxDistance: (length: number) => (length <= 7 ? 1 : 2),
  /** A word is corrected when its best neighbour is in this many times as many papers (or it is in none). */
  ratio: 100,
} as const;

export const COMPLETION = {
  /** A last word shorter than this is not completed: too many words start with one letter. */
  minPrefix: 2,
  /** The most frequent words starting with the typed prefix that a search tries. */
  limit: 12,
  /** Prefixes this long or longer are completed from the words table (their ranges are short). */
  fromTable: 4,
} as const;

/** Words per lookup statement (bound parameters). */
const LOOKUP_CHUNK = 500;

/** How much the store may grow, or how long pass, before a snapshot is read again. */
const SNAPSHOT_REFRESH = { growth: 0.01, ageMs: 10 * 60_000 } as const;

export class Vocabulary {
  private snapshot: Promise<Snapshot> | null = null;
  private loadedAt = { seq: 0, time: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The most frequent known words that start with `prefix` (never `prefix` itself), most
   * frequent first. A prefix of a few letters is completed from the snapshot (the table's range
   * for it may be long); a longer one from the table itself, rare words included, so that a
   * half-typed model name is found.
   */
  async completions(prefix: string, limit: number = COMPLETION.limit): Promise<string[]> {
    if (prefix.length < COMPLETION.minPrefix) return [];
    if (prefix.length < COMPLETION.fromTable) return (await this.current()).completions(prefix, limit);
    const rows = await this.db
      .selectFrom('words')
      .select('word')
      .where('word', '>', prefix)
      .where('word', '<', prefix + '\uffff')
      .orderBy('df', 'desc')
      .orderBy('word')
      .limit(limit)
      .execute();
    return rows.map((r) => r.word);
  }

  /**
   * How well the store knows `word`, and the word it most likely meant when a known word within
   * the allowed edit distance is in far more papers (SymSpell's rule: nearest first, then most
   * frequent). `papers` is 0 for a word no paper holds. Author names, numbers and short words
   * are not assessed (`null`).
   */
  async assess(word: string, known?: number): Promise<{ papers: number; likely: { word: string; papers: number } | null } | null> {
    if (!/^[a-z]+$/.test(word) || word.length < TYPO.minLength) return null;
    const snap = await this.current();
    const papers = known ?? (await this.df(word));
    const needed = Math.max(1, TYPO.ratio * papers);
    // Most words are known well enough that no neighbour could outweigh them: no search at all.
    if (needed > snap.maxStemDf()) return { papers, likely: null };
    // A word in no paper may be meant as another form of a known stem ("reinforcment"): say
    // so. A rare real word is only worth replacing by one that matches other papers.
    const own = stem(word);
    const differs = (w: string) => papers === 0 || stem(w) !== own;
    const weigh = (w: string, df: number) => ({ word: w, papers: Math.max(df, snap.stemDf(stem(w))) });
    // One edit: every word one edit away, looked up in the table itself (rare words included:
    // a misspelled model name is worth finding).
    const near = [...(await this.dfOf([...editsOne(word)]))].filter(([w]) => differs(w)).map(([w, df]) => weigh(w, df));
    if (near.length === 0 && TYPO.maxDistance(word.length) >= 2) {
      for (const w of snap.within(word, 2)) if (differs(w)) near.push(weigh(w, 0));
    }
    const best = near.sort((x, y) => y.papers - x.papers || (x.word < y.word ? -1 : 1))[0];
    return { papers, likely: best && best.papers >= needed ? best : null };
  }

  /** The likely meant word, when `word` is in no paper at all. */
  async correction(word: string): Promise<string | null> {
    const a = await this.assess(word);
    return a && a.papers === 0 ? (a.likely?.word ?? null) : null;
  }

  /** Papers holding `word`, from the table itself (a snapshot may be older than the last ingest). */
  async df(word: string): Promise<number> {
    return (await this.dfOf([word])).get(word) ?? 0;
  }

  /** Papers holding each of `words` that some paper holds. */
  async dfOf(words: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (let i = 0; i < words.length; i += LOOKUP_CHUNK) {
      const rows = await this.db.selectFrom('words').select(['word', 'df']).where('word', 'in', words.slice(i, i + LOOKUP_CHUNK)).execute();
      for (const r of rows) found.set(r.word, r.df);
    }
    return found;
  }

  /** Forgets the snapshot (tests; a bulk import). */
  invalidate(): void {
    this.snapshot = null;
  }

  private async current(): Promise<Snapshot> {
    const seq = await this.maxSeq();
    const { growth, ageMs } = SNAPSHOT_REFRESH;
    const stale =
      seq > this.loadedAt.seq && (seq - this.loadedAt.seq > this.loadedAt.seq * growth || this.now() - this.loadedAt.time > ageMs);
    if (!this.snapshot || stale) {
      this.loadedAt = { seq, time: this.now() };
      const loading = this.load();
      this.snapshot = loading;
      // A failed load is not kept: the next search tries again.
      loading.catch(() => {
        if (this.snapshot === loading) this.snapshot = null;
      });
    }
    return this.snapshot;
  }

  private async load(): Promise<Snapshot> {
    const rows = await this.db.selectFrom('words').select(['word', 'df']).where('df', '>=', 2).orderBy('word').execute();
    return new Snapshot(rows);
  }

  private async maxSeq(): Promise<number> {
    const r = await this.db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }
}

/** The frequent words in memory: sorted for prefixes, bucketed by length for the distance-2 scan, summed by stem. */
class Snapshot {
  private readonly words: string[];
  private readonly df: Int32Array;
  private byLength: Map<number, { words: number[]; masks: Int32Array }> | null = null;
  private stems: Map<string, number> | null = null;
  private maxStem: number | null = null;

  constructor(rows: Array<{ word: string; df: number }>) {
    this.words = rows.map((r) => r.word);
    this.df = Int32Array.from(rows, (r) => r.df);
  }

  completions(prefix: string, limit: number): string[] {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: number[] = [];
    for (let i = lo; i < this.words.length && this.words[i]!.startsWith(prefix); i++) if (this.words[i] !== prefix) found.push(i);
    return found
      .sort((a, b) => this.df[b]! - this.df[a]! || (this.words[a]! < this.words[b]! ? -1 : 1))
      .slice(0, limit)
      .map((i) => this.words[i]!);
  }

  /** Papers holding any word with this stem (an upper bound: a paper with two forms counts twice). */
  stemDf(s: string): number {
    return this.stemTotals().get(s) ?? 0;
  }

  maxStemDf(): number {
    if (this.maxStem === null) {
      this.maxStem = 0;
      for (const df of this.stemTotals().values()) if (df > this.maxStem) this.maxStem = df;
    }
    return this.maxStem;
  }

  private stemTotals(): Map<string, number> {
    if (!this.stems) {
      const stems = new Map<string, number>();
      this.words.forEach((w, i) => {
        const s = stem(w);
        stems.set(s, (stems.get(s) ?? 0) + this.df[i]!);
      });
      this.stems = stems;
    }
    return this.stems;
  }

  /**
   * Known words (of plain letters) within `maxDistance` edits of `word`: a scan of the nearby
   * lengths. Each edit adds or drops at most one letter of the alphabet, so a word whose set of
   * letters differs in more than 2 * maxDistance letters is skipped before the edit distance is
   * computed, and that computation stops as soon as it is too far.
   */
  within(word: string, maxDistance: number): string[] {
    const near: string[] = [];
    const mask = letterMask(word);
    for (let len = word.length - maxDistance; len <= word.length + maxDistance; len++) {
      const bucket = this.lengthBucket(len);
      for (let k = 0; k < bucket.words.length; k++) {
        if (popcount(mask ^ bucket.masks[k]!) > 2 * maxDistance) continue;
        const w = this.words[bucket.words[k]!]!;
        if (boundedEditDistance(word, w, maxDistance) <= maxDistance) near.push(w);
      }
    }
    return near;
  }

  private lengthBucket(len: number): { words: number[]; masks: Int32Array } {
    if (!this.byLength) {
      const byLength = new Map<number, number[]>();
      this.words.forEach((w, i) => {
        if (!/^[a-z]+$/.test(w)) return;
        const bucket = byLength.get(w.length);
        if (bucket) bucket.push(i);
        else byLength.set(w.length, [i]);
      });
      this.byLength = new Map([...byLength].map(([l, words]) => [l, { words, masks: Int32Array.from(words, (i) => letterMask(this.words[i]!)) }]));
    }
    return this.byLength.get(len) ?? { words: [], masks: new Int32Array(0) };
  }
}

/** Which of a-z a word holds, one bit each. */
function letterMask(word: string): number {
  let m = 0;
  for (let i = 0; i < word.length; i++) m |= 1 << (word.charCodeAt(i) - 97);
  return m;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
