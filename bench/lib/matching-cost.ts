import { parseSearchQuery } from '../../src/search/query.ts';
import type { Store } from '../../src/store/store.ts';
import type { Rng } from './prng.ts';
import { percentiles, type Percentiles } from './stats.ts';

/** Ten channel topics of the kinds people follow: single fields, phrases, authors, OR, exclusions, dates. */
export const TOPICS = [
  'diffusion',
  '"large language models"',
  'reinforcement learning',
  'mamba OR "state space"',
  'robot -simulation',
  'speech recognition',
  '"retrieval augmented generation"',
  'vision transformer',
  'agent since:2026-01-01',
  'author:Wang',
];

export interface MatchingFigure {
  day: string;
  papers: number;
  /** All ten topics against the day's papers. */
  perDay: Percentiles;
  matched: number;
}

/**
 * The digest's topic matching: a day's papers against a channel's ten topics. Days are the
 * newest `n` papers (ingested together, as a day is) or `n` papers scattered over the newest
 * 100,000 (a day that re-lists old papers).
 */
export async function measureMatching(store: Store, rng: Rng, repeats: number): Promise<MatchingFigure[]> {
  const maxSeq = Number((await store.db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
  const idsOf = async (seqs: number[]) => (await store.db.selectFrom('papers').select('id').where('seq', 'in', seqs).execute()).map((r) => r.id);
  const days: Array<[string, number[]]> = [];
  for (const n of [50, 200, 500]) days.push([`newest ${n}`, Array.from({ length: n }, (_, i) => maxSeq - i)]);
  days.push(['500 scattered', Array.from({ length: 500 }, () => maxSeq - rng.int(Math.min(maxSeq, 100_000)))]);
  const queries = TOPICS.map(parseSearchQuery);
  const figures: MatchingFigure[] = [];
  for (const [day, seqs] of days) {
    const ids = await idsOf(seqs);
    const times: number[] = [];
    let matched = 0;
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      let m = 0;
      for (const q of queries) m += (await store.matcher.matching(q, ids)).size;
      if (r > 0) times.push(performance.now() - t0); // the first run warms the cache
      matched = m;
    }
    figures.push({ day, papers: ids.length, perDay: percentiles(times), matched });
  }
  return figures;
}
