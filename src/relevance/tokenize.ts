import { stemmer } from 'stemmer';
import { fnvContinue, fnvState, maskFeature } from './hash.ts';
import { STOP_WORDS } from './stop-words.ts';

/** A word of a text as the features see it: its Porter stem, and the word as written (folded). */
export interface Word {
  stem: string;
  surface: string;
}

/** A feature's text: a stem ("agent") or two stems ("reinforc learn"), and how the paper wrote it. */
export interface TermOccurrence {
  term: string;
  surface: string;
}

/**
 * Distinct words seen so far, found by a hash of their characters computed during the scan,
 * so a known word costs no string and no Map lookup (a sliced string's Map lookup costs more
 * than the rest of the tokenizing, and ingest tokenizes every abstract). Open addressing over
 * one typed array of (hash, entry) pairs; a hit is confirmed by comparing the characters, so
 * a word's features never depend on what was ingested before it. Cleared when full.
 */
class WordTable {
  private static readonly MAX_WORDS = 1 << 18;
  /** Pairs: the word's hash, then its entry index + 1 (0 = empty). At most half full. */
  private table = new Int32Array(2 << 12);
  private words: string[] = [];
  readonly stems: string[] = [];
  /** Per entry: the unigram feature id, or -1 for a stop word. */
  unigram = new Int32Array(1 << 12);
  /** Per entry: the FNV state after "stem " (bigrams continue from it). */
  bigramSeed = new Int32Array(1 << 12);

  /** The entry of folded[start, end), hashed `hash`, added on first sight. */
  lookup(folded: string, start: number, end: number, hash: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    const len = end - start;
    let i = hash & mask;
    for (;;) {
      const e = table[2 * i + 1]!;
      if (e === 0) break;
      if (table[2 * i] === hash) {
        const w = this.words[e - 1]!;
        if (w.length === len && sameChars(folded, start, len, w)) return e - 1;
      }
      i = (i + 1) & mask;
    }
    return this.add(folded.slice(start, end), hash);
  }

  private add(word: string, hash: number): number {
    if (this.words.length >= WordTable.MAX_WORDS) this.clear();
    const k = this.words.length;
    if (k >= this.unigram.length) {
      this.unigram = grow(this.unigram);
      this.bigramSeed = grow(this.bigramSeed);
    }
    this.words.push(word);
    if (STOP_WORDS.has(word)) {
      this.stems.push('');
      this.unigram[k] = -1;
    } else {
      const stem = stemmer(word);
      const h = fnvState(stem);
      this.stems.push(stem);
      this.unigram[k] = maskFeature(h);
      this.bigramSeed[k] = fnvContinue(h, ' ');
    }
    if ((k + 1) * 2 > this.table.length >> 1) this.rehash(this.table.length * 2);
    this.place(hash, k);
    return k;
  }

  private place(hash: number, k: number): void {
    const mask = (this.table.length >> 1) - 1;
    let i = hash & mask;
    while (this.table[2 * i + 1] !== 0) i = (i + 1) & mask;
    this.table[2 * i] = hash;
    this.table[2 * i + 1] = k + 1;
  }

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i]!, old[i + 1]! - 1);
  }

  private clear(): void {
    this.table = new Int32Array(2 << 12);
    this.words = [];
    this.stems.length = 0;
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function sameChars(text: string, start: number, len: number, word: string): boolean {
  for (let j = 0; j < len; j++) if (text.charCodeAt(start + j) !== word.charCodeAt(j)) return false;
  return true;
}

const wordTable = new WordTable();

/** Lower case, accents removed ("Schrödinger" and "Schrodinger" are one word). */
export function foldText(text: string): string {
  // Plain ASCII, the common case, skips the Unicode normalization.
  return /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;

/** ASCII character classes: 1 digit, 2 letter (folded text is lower case). */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 2;

/** 0 separator, 1 digit, 2 letter. */
function charClass(folded: string, i: number, c: number): number {
  if (c < 128) return ASCII_CLASS[c]!;
  const ch = folded[i]!;
  return LETTER.test(ch) ? 2 : LETTER_OR_DIGIT.test(ch) ? 1 : 0;
}

/**
 * Calls `onWord` with the table entry of each word of a text: the runs of letters and digits
 * (after folding) that hold a letter and at least two characters (scikit-learn's default token
 * pattern wants two, starting with a letter; "3d" and "4d" count here). Stop words included:
 * their entry's unigram is -1. A hand-written scan that hashes as it goes (see WordTable).
 */
function scanWords(text: string, onWord: (entry: number, folded: string, start: number, end: number) => void): void {
  const folded = foldText(text);
  const n = folded.length;
  let start = -1;
  let hasLetter = false;
  let h = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? folded.charCodeAt(i) : 32;
    const cls = charClass(folded, i, c);
    if (cls !== 0) {
      if (start < 0) {
        start = i;
        hasLetter = false;
        h = 0x811c9dc5;
      }
      if (cls === 2) hasLetter = true;
      h = Math.imul(h ^ c, 0x01000193);
    } else if (start >= 0) {
      if (hasLetter && i - start >= 2) onWord(wordTable.lookup(folded, start, i, h), folded, start, i);
      start = -1;
    }
  }
}

/** The content words of a text, in order: folded, stop words dropped, each with its Porter stem. */
export function contentWords(text: string): Word[] {
  const out: Word[] = [];
  scanWords(text, (e, folded, start, end) => {
    if (wordTable.unigram[e]! >= 0) out.push({ stem: wordTable.stems[e]!, surface: folded.slice(start, end) });
  });
  return out;
}

/**
 * Unigrams and bigrams of a text, as scikit-learn's TfidfVectorizer(ngram_range=(1, 2),
 * stop_words='english') makes them: bigrams join neighbours once stop words are gone
 * ("learning of the policy" gives "learn polici"). Stemmed, so "agent" and "agents" are one feature.
 */
export function termsOf(text: string): TermOccurrence[] {
  const words = contentWords(text);
  const out: TermOccurrence[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push({ term: w.stem, surface: w.surface });
    const next = words[i + 1];
    if (next) out.push({ term: `${w.stem} ${next.stem}`, surface: `${w.surface} ${next.surface}` });
  }
  return out;
}

/**
 * The feature ids of termsOf(text), pushed onto `out`: the ingest path, which builds no
 * term strings (a bigram's hash continues from its first word's "stem " state).
 */
export function pushFeatureIds(text: string, out: number[]): void {
  let prev = -1;
  scanWords(text, (e) => {
    const unigram = wordTable.unigram[e]!;
    if (unigram < 0) return;
    if (prev >= 0) out.push(maskFeature(fnvContinue(wordTable.bigramSeed[prev]!, wordTable.stems[e]!)));
    out.push(unigram);
    prev = e;
  });
}
