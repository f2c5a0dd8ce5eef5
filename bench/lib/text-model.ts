import type { Rng } from './prng.ts';

/**
 * A word-bigram model of real titles or abstracts. Generated text keeps the corpus's word
 * frequencies and its common phrases ("large language models", "in this paper"), which is
 * what decides how long FTS5 doclists get and how many papers a phrase matches.
 *
 * A real million-paper collection also has far more distinct words than 9,000 papers do
 * (names, acronyms, numbers). So a small share of words is replaced by invented ones drawn
 * from a large pool with a Zipf-like (log-uniform rank) distribution: a few are common, most
 * appear a handful of times.
 */
export class BigramModel {
  private constructor(
    private readonly words: string[],
    private readonly starts: Int32Array,
    private readonly successors: Int32Array[],
    private readonly lengths: Int32Array,
  ) {}

  static train(texts: readonly string[]): BigramModel {
    const index = new Map<string, number>();
    const words: string[] = [];
    const id = (w: string) => {
      let i = index.get(w);
      if (i === undefined) {
        i = words.length;
        index.set(w, i);
        words.push(w);
      }
      return i;
    };
    const starts: number[] = [];
    const lengths: number[] = [];
    const next: number[][] = [];
    for (const text of texts) {
      const tokens = text.split(/\s+/).filter(Boolean);
      if (tokens.length === 0) continue;
      lengths.push(tokens.length);
      let prev = id(tokens[0]!);
      starts.push(prev);
      for (const t of tokens.slice(1)) {
        const cur = id(t);
        (next[prev] ??= []).push(cur);
        prev = cur;
      }
    }
    const successors = words.map((_, i) => Int32Array.from(next[i] ?? []));
    return new BigramModel(words, Int32Array.from(starts), successors, Int32Array.from(lengths));
  }

  /** A length (in words) drawn from the training texts' lengths. */
  sampleLength(rng: Rng): number {
    return this.lengths[rng.int(this.lengths.length)]!;
  }

  generate(rng: Rng, nWords: number, inventedShare: number, invented: InventedWords): string {
    const out: string[] = [];
    let cur = this.starts[rng.int(this.starts.length)]!;
    for (let i = 0; i < nWords; i++) {
      out.push(rng.chance(inventedShare) ? invented.sample(rng) : this.words[cur]!);
      const succ = this.successors[cur]!;
      cur = succ.length > 0 ? succ[rng.int(succ.length)]! : this.starts[rng.int(this.starts.length)]!;
    }
    return out.join(' ');
  }
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'ze', 'sha', 'qui', 'dro', 'ple', 'gan', 'tor', 'vex', 'lin'];

/** Made-up words ("kaloru", "zeshaqui"), one per rank; rank r is drawn with probability about 1/r. */
export class InventedWords {
  private readonly logSize: number;
  constructor(size: number) {
    this.logSize = Math.log(size);
  }

  sample(rng: Rng): string {
    const rank = Math.floor(Math.exp(rng.next() * this.logSize));
    let n = rank;
    let w = '';
    do {
      w += SYLLABLES[n % SYLLABLES.length];
      n = Math.floor(n / SYLLABLES.length);
    } while (n > 0);
    return w.length < 4 ? w + 'ix' : w;
  }
}
