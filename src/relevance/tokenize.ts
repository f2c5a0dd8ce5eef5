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
 * Distinct words seen so far, found by two 32-bit hashes of their characters computed during
 * the scan, so a known word costs no string and no Map lookup (a sliced string's Map lookup
 * costs more than the rest of the tokenizing, and ingest tokenizes every abstract), and one
 * memory read: open addressing over one typed array of (hash, hash, entry) triples. Two words
 * share both hashes with odds of about 2^-64 a pair (1 in 10^8 over a full table), so a
 * word's features do not depend on what was ingested before it. Cleared when full, between texts.
 */
class WordTable {
  private static readonly MAX_WORDS = 1 << 18;
  /** Triples: the word's two hashes, then its entry index + 1 (0 = empty). At most half full. */
  private table = new Int32Array(3 << 12);
  private slots = 1 << 12;
  private words = 0;
  readonly stems: string[] = [];
  /** Per entry: the unigram feature id, or -1 for a stop word. */
  unigram = new Int32Array(1 << 12);
  /** Per entry: the FNV state after "stem " (bigrams continue from it). */
  bigramSeed = new Int32Array(1 << 12);

  /** The entry of folded[start, end), hashed `h1` and `h2`, added on first sight. */
  lookup(folded: string, start: number, end: number, h1: number, h2: number): number {
    const table = this.table;
    const mask = this.slots - 1;
    let i = h1 & mask;
    for (;;) {
      const e = table[3 * i + 2]!;
      if (e === 0) break;
      if (table[3 * i] === h1 && table[3 * i + 1] === h2) return e - 1;
      i = (i + 1) & mask;
    }
    return this.add(folded.slice(start, end), h1, h2);
  }

  /** Makes room for `n` new words: cleared between texts, never during one (entries of a scan stay valid). */
  reserve(n: number): void {
    if (this.words + n > WordTable.MAX_WORDS) this.clear();
  }

  private add(word: string, h1: number, h2: number): number {
    const k = this.words++;
    if (k >= this.unigram.length) {
      this.unigram = grow(this.unigram);
      this.bigramSeed = grow(this.bigramSeed);
    }
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
    if (this.words * 2 > this.slots) this.rehash(this.slots * 2);
    this.place(h1, h2, k);
    return k;
  }

  private place(h1: number, h2: number, k: number): void {
    const mask = this.slots - 1;
    let i = h1 & mask;
    while (this.table[3 * i + 2] !== 0) i = (i + 1) & mask;
    this.table[3 * i] = h1;
    this.table[3 * i + 1] = h2;
    this.table[3 * i + 2] = k + 1;
  }

  private rehash(slots: number): void {
    const old = this.table;
    this.table = new Int32Array(3 * slots);
    this.slots = slots;
    for (let i = 0; i < old.length; i += 3) if (old[i + 2] !== 0) this.place(old[i]!, old[i + 1]!, old[i + 2]! - 1);
  }

  private clear(): void {
    this.table = new Int32Array(3 << 12);
    this.slots = 1 << 12;
    this.words = 0;
    this.stems.length = 0;
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
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

/** The words of the last scan: table entries and where each sits in the folded text (reused: no allocation per text). */
let scanned = { entries: new Int32Array(1024), starts: new Int32Array(1024), ends: new Int32Array(1024) };

/**
 * Finds the words of a text, writing their table entries (and positions in the returned folded
 * text) to `scanned`; returns the folded text and the word count. Words are the runs of letters
 * and digits (after folding) that hold a letter and at least two characters (scikit-learn's
 * default token pattern wants two, starting with a letter; "3d" and "4d" count here). Stop
 * words included: their entry's unigram is -1. A hand-written scan that hashes as it goes.
 */
function scanWords(text: string): { folded: string; count: number } {
  const folded = foldText(text);
  const n = folded.length;
  // A word takes at least two characters and a separator.
  if (scanned.entries.length < n / 2 + 1) {
    const size = Math.ceil(n / 2) + 1;
    scanned = { entries: new Int32Array(size), starts: new Int32Array(size), ends: new Int32Array(size) };
  }
  const { entries, starts, ends } = scanned;
  wordTable.reserve(Math.ceil(n / 2) + 1);
  let count = 0;
  let start = -1;
  let hasLetter = false;
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? folded.charCodeAt(i) : 32;
    const cls = charClass(folded, i, c);
    if (cls !== 0) {
      if (start < 0) {
        start = i;
        hasLetter = false;
        h1 = 0x811c9dc5;
        h2 = 0x9747b28c;
      }
      if (cls === 2) hasLetter = true;
      // FNV-1a, and a multiplicative hash with another constant: independent enough to pair.
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x9e3779b1) ^ (h2 >>> 15);
    } else if (start >= 0) {
      if (hasLetter && i - start >= 2) {
        entries[count] = wordTable.lookup(folded, start, i, h1, h2 ^ (i - start));
        starts[count] = start;
        ends[count++] = i;
      }
      start = -1;
    }
  }
  return { folded, count };
}

/** The content words of a text, in order: folded, stop words dropped, each with its Porter stem. */
export function contentWords(text: string): Word[] {
  const out: Word[] = [];
  const { folded, count } = scanWords(text);
  for (let k = 0; k < count; k++) {
    const e = scanned.entries[k]!;
    if (wordTable.unigram[e]! >= 0) out.push({ stem: wordTable.stems[e]!, surface: folded.slice(scanned.starts[k], scanned.ends[k]) });
  }
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
 * The feature ids of termsOf(text), written to `out` from `at` on (grown when needed; the
 * new array is returned with the end position): the ingest path, which builds no term strings
 * (a bigram's hash continues from its first word's "stem " state).
 */
export function writeFeatureIds(text: string, out: Uint32Array, at: number): { out: Uint32Array; end: number } {
  const { count } = scanWords(text);
  // At most two features (a unigram and a bigram) per word.
  if (out.length < at + 2 * count) {
    const bigger = new Uint32Array(Math.max(out.length * 2, at + 2 * count));
    bigger.set(out.subarray(0, at));
    out = bigger;
  }
  const { entries } = scanned;
  const { unigram, bigramSeed, stems } = wordTable;
  let prev = -1;
  let n = at;
  for (let k = 0; k < count; k++) {
    const e = entries[k]!;
    const u = unigram[e]!;
    if (u < 0) continue;
    if (prev >= 0) out[n++] = maskFeature(fnvContinue(bigramSeed[prev]!, stems[e]!));
    out[n++] = u;
    prev = e;
  }
  return { out, end: n };
}
