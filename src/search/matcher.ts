import type { SearchQuery, Term } from './query.ts';
import { authorIndexWords, authorPhrases, nameWords } from './author-names.ts';
import { foldedWords, stem } from './words.ts';

/**
 * Topic matching in memory: which of a few thousand papers (a digest's candidates) a query
 * matches, with the search index's semantics (stemmed title, abstract and keywords; author names
 * as written; phrases within one field; OR inside a clause, AND across clauses, NOT) but no
 * database round trip per topic. A digest run asks the same papers about every topic of every
 * channel, so the papers are analysed once and each topic costs a few bitset operations.
 */

/** A paper's text as the matcher needs it. */
export interface MatchablePaper {
  id: string;
  title: string;
  abstract: string;
  authorsText: string;
  keywordsText: string;
  publishedAt: string | null;
}

/** A paper's words, analysed once: stems of each stemmed field, author words with their initials aliases (author-names.ts). */
export interface AnalysedPaper {
  id: string;
  publishedAt: string | null;
  title: string[];
  abstract: string[];
  keywords: string[];
  authors: string[];
}

type Field = 'title' | 'abstract' | 'keywords' | 'authors';
const STEMMED: readonly Field[] = ['title', 'abstract', 'keywords'];

/**
 * A paper's words analysed; with `only` (see wordsFor), the words no term of a few can stem to
 * are left as '' (positions kept for phrases): a search checking a handful of papers for two
 * words need not stem their whole abstracts.
 */
export function analysePaper(p: MatchablePaper, only?: WordFilter): AnalysedPaper {
  const stems = (text: string) => (only ? foldedWords(text).map((w) => (only(w) ? stem(w) : '')) : foldedWords(text).map(stem));
  return {
    id: p.id,
    publishedAt: p.publishedAt,
    title: stems(p.title),
    abstract: stems(p.abstract),
    keywords: stems(p.keywordsText),
    authors: authorIndexWords(p.authorsText),
  };
}

/** Whether a folded word may stem to one of the stems a matcher will be asked about. */
export type WordFilter = (word: string) => boolean;

/**
 * The filter for `terms`' stems. Porter rewrites endings only and never the first letter, so
 * a stem of two letters or more starts with its word's first two letters, and a stem of one
 * letter ("a", or "i" of "ies") with its word's first: a word starting otherwise cannot stem to it.
 */
export function wordsFor(terms: readonly Term[]): WordFilter {
  const stems = terms.filter((t) => t.field !== 'authors').flatMap((t) => t.tokens.flatMap((tok) => foldedWords(tok)).map(stem));
  const two = (w: string) => w.charCodeAt(0) * 65_536 + w.charCodeAt(1);
  const twos = new Set(stems.filter((s) => s.length >= 2).map(two));
  const ones = new Set(stems.filter((s) => s.length === 1).map((s) => s.charCodeAt(0)));
  return (w) => (w.length >= 2 && twos.has(two(w))) || ones.has(w.charCodeAt(0));
}

/** A set of paper indexes as bits. */
type Bits = Uint32Array;

/** Terms whose papers a matcher keeps. */
const TERM_CACHE = 50_000;

export class PaperMatcher {
  /** For each field group, each word: the papers holding it. */
  private readonly postings = { text: new Map<string, Bits>(), title: new Map<string, Bits>(), authors: new Map<string, Bits>() };
  private readonly words: number;
  private readonly terms = new Map<string, Bits>();

  constructor(private readonly papers: readonly AnalysedPaper[]) {
    this.words = Math.ceil(papers.length / 32);
    papers.forEach((p, i) => {
      // '' stands for a word left unanalysed (analysePaper's `only`): no term asks for it.
      for (const f of STEMMED) for (const w of p[f]) if (w) this.mark(this.postings.text, w, i);
      for (const w of p.title) if (w) this.mark(this.postings.title, w, i);
      for (const w of p.authors) this.mark(this.postings.authors, w, i);
    });
  }

  /** The ids of the papers `q` matches. */
  matching(q: SearchQuery): Set<string> {
    let all: Bits | null = null;
    for (const clause of q.must) {
      const any = this.empty();
      for (const t of clause) or(any, this.termBits(t));
      all = all ? and(all, any) : any;
    }
    const result = all ?? this.empty();
    for (const t of q.not) andNot(result, this.termBits(t));
    if (q.since === null && q.not.length === 0 && isEmpty(result)) return new Set();
    const ids = new Set<string>();
    forEachMember(result, (i) => {
      const p = this.papers[i]!;
      if (!q.since || (p.publishedAt !== null && p.publishedAt >= q.since)) ids.add(p.id);
    });
    return ids;
  }

  /** The papers a term matches, kept: a tick asks about the same words for many channels (read-only: callers copy). */
  private termBits(t: Term): Bits {
    const key = `${t.field}:${t.tokens.join(' ')}`;
    let bits = this.terms.get(key);
    if (!bits) {
      if (this.terms.size >= TERM_CACHE) this.terms.clear();
      this.terms.set(key, (bits = this.computeTermBits(t)));
    }
    return bits;
  }

  private computeTermBits(t: Term): Bits {
    const folded = t.tokens.flatMap((tok) => foldedWords(tok));
    if (folded.length === 0) return this.empty();
    const stemmed = folded.map(stem);
    switch (t.field) {
      case 'title':
        return this.phrase(this.postings.title, stemmed, ['title']);
      case 'authors': {
        const any = this.empty();
        for (const words of authorPhrases(t.tokens)) or(any, this.phrase(this.postings.authors, words, ['authors']));
        return any;
      }
      case 'any':
        return or(this.phrase(this.postings.text, stemmed, STEMMED), this.phrase(this.postings.authors, nameWords(t.tokens.join(' ')), ['authors']));
    }
  }

  /** Papers holding every word, then (for a phrase) checked for the words in a row in one of `fields`. */
  private phrase(postings: Map<string, Bits>, words: string[], fields: readonly Field[]): Bits {
    let bits: Bits | null = null;
    for (const w of new Set(words)) {
      const p = postings.get(w);
      if (!p) return this.empty();
      bits = bits ? and(bits, p) : p.slice();
    }
    const result = bits!;
    if (words.length === 1) return result;
    forEachMember(result, (i) => {
      if (!fields.some((f) => holdsPhrase(this.papers[i]![f], words))) result[i >> 5]! &= ~(1 << (i & 31));
    });
    return result;
  }

  private mark(postings: Map<string, Bits>, word: string, i: number): void {
    let bits = postings.get(word);
    if (!bits) postings.set(word, (bits = this.empty()));
    bits[i >> 5]! |= 1 << (i & 31);
  }

  private empty(): Bits {
    return new Uint32Array(this.words);
  }
}

function holdsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Calls `f` with each index set in `b` (read before `f` may clear it), skipping empty words. */
function forEachMember(b: Bits, f: (i: number) => void): void {
  for (let k = 0; k < b.length; k++) {
    let w = b[k]!;
    while (w !== 0) {
      f((k << 5) | (31 - Math.clz32(w & -w)));
      w &= w - 1;
    }
  }
}

function isEmpty(b: Bits): boolean {
  for (let k = 0; k < b.length; k++) if (b[k] !== 0) return false;
  return true;
}

function or(into: Bits, b: Bits): Bits {
  for (let k = 0; k < into.length; k++) into[k]! |= b[k]!;
  return into;
}

function and(into: Bits, b: Bits): Bits {
  for (let k = 0; k < into.length; k++) into[k]! &= b[k]!;
  return into;
}

function andNot(into: Bits, b: Bits): Bits {
  for (let k = 0; k < into.length; k++) into[k]! &= ~b[k]!;
  return into;
}
