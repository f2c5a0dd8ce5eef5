import { parseSearchQuery } from '../../src/search/query.ts';
import { parseTopic, TopicMatching } from '../../src/search/topic-matching.ts';
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
  /** Reading and analysing the day's papers, once per tick. */
  build: number;
  /** All ten topics against the day's papers, once analysed. */
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
    const t0 = performance.now();
    await new TopicMatching(store.db).matcherFor(ids);
    const build = performance.now() - t0;
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      let m = 0;
      for (const q of queries) m += (await store.matcher.matching(q, ids)).size;
      if (r > 0) times.push(performance.now() - t0); // the first run builds the matcher
      matched = m;
    }
    figures.push({ day, papers: ids.length, build, perDay: percentiles(times), matched });
  }
  return figures;
}

export interface ChannelsFigure {
  channels: number;
  topics: number;
  papers: number;
  /** Reading and analysing the papers. */
  buildMs: number;
  /** Parsing and matching every channel's topics. */
  matchMs: number;
  matched: number;
}

/**
 * A tick with many channels due: `channels` channels, each following 1 to 5 topics made from
 * the day's own words (so they match something) and the fixed kinds above, against the newest
 * `papers` papers. The papers are read and analysed once, as a tick does.
 */
export async function measureChannels(store: Store, rng: Rng, channels: number, papers: number): Promise<ChannelsFigure> {
  const rows = await store.db.selectFrom('papers').select(['id', 'title']).orderBy('seq', 'desc').limit(papers).execute();
  const words = [...new Set(rows.flatMap((r) => r.title.toLowerCase().match(/[a-z]{5,}/g) ?? []))];
  const topic = () => {
    const roll = rng.next();
    if (roll < 0.3) return rng.pick(TOPICS);
    if (roll < 0.6) return rng.pick(words);
    if (roll < 0.8) return `"${rng.pick(words)} ${rng.pick(words)}"`;
    return `${rng.pick(words)} ${rng.pick(words)} -${rng.pick(words)}`;
  };
  const perChannel = Array.from({ length: channels }, () => Array.from({ length: 1 + rng.int(5) }, topic));
  const ids = rows.map((r) => r.id);
  const matching = new TopicMatching(store.db);
  const t0 = performance.now();
  await matching.matcherFor(ids);
  const t1 = performance.now();
  let matched = 0;
  // As planDigest does: each channel asks for the window's matcher (built once), then matches its topics.
  for (const topics of perChannel) {
    const matcher = await matching.matcherFor(ids);
    for (const t of topics) matched += matcher.matching(parseTopic(t)).size;
  }
  return { channels, topics: perChannel.flat().length, papers: ids.length, buildMs: t1 - t0, matchMs: performance.now() - t1, matched };
}
