import { seededRng, type Rng } from './prng.ts';
import { distinctKeywords, MID_TYPING_LETTERS, MID_TYPING_WORDS, midTyping, twoKeywords, withNumberFlipped, withOneTypo } from './query-variants.ts';

/** The query variants of issue 8, item 7, in the order the report lists them. */
export const VARIANTS = ['as typed', 'number flipped', 'one typo', 'mid-typing'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface KnownItemPaper {
  id: string;
  title: string;
  keywords: string[];
}

export interface KnownItemQuery {
  paperId: string;
  variant: Variant;
  text: string;
}

export interface KnownItemSet {
  /** Papers with two or more distinct HF keywords: the ones a known-item query can be built for. */
  eligible: number;
  sampled: number;
  queries: KnownItemQuery[];
  /** Sampled papers a variant could not be built for. */
  skipped: Record<Variant, number>;
  /** Papers whose mid-typing query really cut the third word (the others' was four letters or fewer already). */
  midTypingCut: Set<string>;
}

/**
 * `sample` papers with two or more keywords, drawn with `seed`, and their queries. The draw is
 * a seeded shuffle of the eligible papers in id order, so a smaller sample is a prefix of a
 * larger one; each paper's choices come from its own generator (seed, id, variant), so they
 * do not depend on which other papers were drawn.
 */
export function buildKnownItemQueries(papers: readonly KnownItemPaper[], sample: number, seed: number): KnownItemSet {
  const eligible = papers.filter((p) => distinctKeywords(p.keywords).length >= 2).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rng = seededRng(seed);
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
  }
  const drawn = eligible.slice(0, sample);
  const skipped: Record<Variant, number> = { 'as typed': 0, 'number flipped': 0, 'one typo': 0, 'mid-typing': 0 };
  const queries: KnownItemQuery[] = [];
  const midTypingCut = new Set<string>();
  const add = (paperId: string, variant: Variant, text: string | null) => {
    if (text === null) skipped[variant]++;
    else queries.push({ paperId, variant, text });
  };
  for (const p of drawn) {
    const typed = twoKeywords(p.keywords, paperRng(seed, p.id, 'keywords'))!.join(' ');
    add(p.id, 'as typed', typed);
    add(p.id, 'number flipped', withNumberFlipped(typed, paperRng(seed, p.id, 'flip')));
    add(p.id, 'one typo', withOneTypo(typed, paperRng(seed, p.id, 'typo')));
    const partial = midTyping(p.title);
    add(p.id, 'mid-typing', partial);
    const typedWord = p.title.split(/\s+/).filter((w) => w !== '')[MID_TYPING_WORDS - 1];
    if (partial !== null && [...typedWord!].length > MID_TYPING_LETTERS) midTypingCut.add(p.id);
  }
  return { eligible: eligible.length, sampled: drawn.length, queries, skipped, midTypingCut };
}

/** A generator for one choice about one paper (FNV-1a of seed, id and purpose). */
export function paperRng(seed: number, paperId: string, purpose: string): Rng {
  let h = 0x811c9dc5;
  for (const ch of `${seed}|${paperId}|${purpose}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return seededRng(h);
}

/** A search under evaluation: ids best first, at most `limit`, and why the text was refused, if it was. */
export type Engine = (text: string, limit: number) => Promise<{ ids: string[]; refused: string | null }>;

export interface QueryOutcome extends KnownItemQuery {
  /** 1-based rank of the paper, or null when it is not in the top k. */
  rank: number | null;
  refused: boolean;
}

export interface VariantRecall {
  /** A variant, or a labelled subset of one. */
  variant: string;
  queries: number;
  found: number;
  recall: number;
  /** Queries the engine refused to run (counted as not found). */
  refused: number;
}

/** Runs every query through `engine` and reports recall@k per variant. */
export async function measureRecall(queries: readonly KnownItemQuery[], engine: Engine, k: number): Promise<{ byVariant: VariantRecall[]; outcomes: QueryOutcome[] }> {
  const outcomes: QueryOutcome[] = [];
  for (const q of queries) {
    const r = await engine(q.text, k);
    const at = r.ids.indexOf(q.paperId);
    outcomes.push({ ...q, rank: at === -1 ? null : at + 1, refused: r.refused !== null });
  }
  return { byVariant: VARIANTS.map((variant) => recallOf(variant, outcomes.filter((o) => o.variant === variant))), outcomes };
}

/** Recall of some outcomes, reported under `label`. */
export function recallOf(label: string, outcomes: readonly QueryOutcome[]): VariantRecall {
  const found = outcomes.filter((o) => o.rank !== null).length;
  return { variant: label, queries: outcomes.length, found, recall: outcomes.length === 0 ? NaN : found / outcomes.length, refused: outcomes.filter((o) => o.refused).length };
}
