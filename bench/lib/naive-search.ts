/**
 * arxiv-sanity-lite's search, ported exactly as the baseline of the relevance evaluation: no
 * index, no stemming, plain substring counts, so it forgives plurals, typos in one of several
 * words and half-typed words, and ranks crudely. From karpathy/arxiv-sanity-lite, serve.py,
 * `search_rank` (master):
 *
 *     qs = q.lower().strip().split() # split query by spaces and lowercase
 *     match = lambda s: sum(min(3, s.lower().count(qp)) for qp in qs)
 *     matchu = lambda s: sum(int(s.lower().count(qp) > 0) for qp in qs)
 *     for pid, p in pdb.items():
 *         score = 0.0
 *         score += 10.0 * matchu(' '.join([a['name'] for a in p['authors']]))
 *         score += 20.0 * matchu(p['title'])
 *         score += 1.0 * match(p['summary'])
 *         if score > 0:
 *             pairs.append((score, pid))
 *     pairs.sort(reverse=True)
 *
 * (Older revisions scored 5 / 10 / 1 with uncapped counts in every field.)
 */

export interface NaivePaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
}

export interface NaiveHit {
  id: string;
  score: number;
}

const AUTHORS_WEIGHT = 10;
const TITLE_WEIGHT = 20;
const SUMMARY_WEIGHT = 1;
/** `match` counts at most this many occurrences of a word in the summary. */
const SUMMARY_COUNT_CAP = 3;

/** Python's `str.count`: non-overlapping occurrences of a non-empty `needle`; stops counting at `cap`. */
export function countOccurrences(haystack: string, needle: string, cap = Infinity): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1 && n < cap; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Python's `q.lower().strip().split()`. */
export function naiveQueryWords(q: string): string[] {
  return q.toLowerCase().split(/\s+/).filter((w) => w !== '');
}

type Doc = { id: string; authors: string; title: string; summary: string };

/** One query word's part of a paper's score: `10 * matchu(authors) + 20 * matchu(title) + 1 * match(summary)` for that word. */
function wordScore(d: Doc, w: string): number {
  let score = 0;
  if (d.authors.includes(w)) score += AUTHORS_WEIGHT;
  if (d.title.includes(w)) score += TITLE_WEIGHT;
  return score + SUMMARY_WEIGHT * countOccurrences(d.summary, w, SUMMARY_COUNT_CAP);
}

/** Three UTF-16 units as one number (48 bits: exact in a double). */
const trigramAt = (s: string, i: number) => (s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1)) * 65536 + s.charCodeAt(i + 2);

export class NaiveSearch {
  /** Lower-cased once: the Python lowers every field on every query; same result, 9k times cheaper. */
  private readonly docs: Doc[];
  /**
   * Which papers hold each trigram anywhere (authors, title, summary). Only a speed-up: a word
   * of three or more letters can occur only in papers holding all its trigrams, and those are
   * then counted exactly as above, so the ranking is the exhaustive one (a test checks).
   */
  private readonly trigrams = new Map<number, number[]>();

  /** Each word's nonzero contributions, computed once: known-item queries share many words. */
  private readonly byWord = new Map<string, { at: Int32Array; score: Uint8Array }>();
  private readonly scores: Float64Array;

  constructor(papers: readonly NaivePaper[]) {
    this.docs = papers.map((p) => ({ id: p.id, authors: p.authors.join(' ').toLowerCase(), title: p.title.toLowerCase(), summary: p.abstract.toLowerCase() }));
    this.scores = new Float64Array(this.docs.length);
    this.docs.forEach((d, at) => {
      // Query words hold no whitespace, so no word spans the newlines between fields.
      const text = `${d.authors}\n${d.title}\n${d.summary}`;
      for (let i = 0; i + 3 <= text.length; i++) {
        const t = trigramAt(text, i);
        const list = this.trigrams.get(t);
        if (!list) this.trigrams.set(t, [at]);
        else if (list[list.length - 1] !== at) list.push(at); // papers come in order: a repeat is the last entry
      }
    });
  }

  /** The `limit` best papers, in the order `pairs.sort(reverse=True)` gives: score, then id, descending. */
  search(q: string, limit: number): NaiveHit[] {
    const touched: number[] = [];
    for (const w of naiveQueryWords(q)) {
      const { at, score } = this.contributions(w);
      for (let i = 0; i < at.length; i++) {
        if (this.scores[at[i]!] === 0) touched.push(at[i]!);
        this.scores[at[i]!]! += score[i]!;
      }
    }
    const hits = touched.map((at) => ({ id: this.docs[at]!.id, score: this.scores[at]! }));
    for (const at of touched) this.scores[at] = 0;
    return topHits(hits, limit);
  }

  private contributions(w: string): { at: Int32Array; score: Uint8Array } {
    const known = this.byWord.get(w);
    if (known) return known;
    const at: number[] = [];
    const score: number[] = [];
    const visit = (i: number) => {
      const s = wordScore(this.docs[i]!, w);
      if (s > 0) {
        at.push(i);
        score.push(s);
      }
    };
    const candidates = this.candidates(w);
    if (candidates) candidates.forEach(visit);
    else for (let i = 0; i < this.docs.length; i++) visit(i);
    const entry = { at: Int32Array.from(at), score: Uint8Array.from(score) };
    this.byWord.set(w, entry);
    return entry;
  }

  /** The same ranking without the trigram index: every paper scored, as the Python does. */
  searchExhaustive(q: string, limit: number): NaiveHit[] {
    const words = naiveQueryWords(q);
    return topHits(
      this.docs.map((d) => ({ id: d.id, score: words.reduce((sum, w) => sum + wordScore(d, w), 0) })),
      limit,
    );
  }

  /** Papers that may hold `w`: those in the two shortest trigram lists; null (all) for words under three letters. */
  private candidates(w: string): number[] | null {
    if (w.length < 3) return null;
    const lists: number[][] = [];
    for (let i = 0; i + 3 <= w.length; i++) {
      const list = this.trigrams.get(trigramAt(w, i));
      if (!list) return [];
      lists.push(list);
    }
    lists.sort((a, b) => a.length - b.length);
    if (lists.length === 1) return lists[0]!;
    const other = new Set(lists[1]);
    return lists[0]!.filter((at) => other.has(at));
  }
}

/** Papers scoring above 0, best `limit` first by (score, id) descending. */
function topHits(hits: readonly NaiveHit[], limit: number): NaiveHit[] {
  const top: NaiveHit[] = [];
  if (limit < 1) return top;
  // A bounded insertion: far cheaper than sorting the thousands of papers a common word touches.
  for (const h of hits) {
    if (h.score <= 0) continue;
    if (top.length === limit) {
      if (!before(h, top[limit - 1]!)) continue;
      top.pop();
    }
    let i = top.length;
    while (i > 0 && before(h, top[i - 1]!)) i--;
    top.splice(i, 0, h);
  }
  return top;
}

/** Whether `a` sorts before `b` in Python's descending (score, pid) tuple order. */
function before(a: NaiveHit, b: NaiveHit): boolean {
  return a.score > b.score || (a.score === b.score && a.id > b.id);
}
