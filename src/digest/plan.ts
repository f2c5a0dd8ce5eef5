import { addDays } from '../domain/clock.ts';
import { isUserError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { parseTopic } from '../search/topic-matching.ts';
import type { Store } from '../store/store.ts';
import { directPlanReads, type PlanReads } from './plan-reads.ts';

/** How far back a digest looks: a new channel gets the latest papers, a backfill never floods it. */
export const DIGEST_LOOKBACK_DAYS = 3;
/** A team vote weighs like this many HF upvotes when ranking a digest or /papers top. */
export const TEAM_VOTE_WEIGHT = 10;
/**
 * Once a team has a taste model, a digest's papers (those matching the same number of topics)
 * are ranked by
 *   TASTE.taste * z(taste score) + TASTE.popularity * z(ln(1 + upvotes + TEAM_VOTE_WEIGHT * team votes))
 * where z() is the standard score among this digest's candidates, so the two parts are on one
 * scale whatever the model's margins or the day's upvotes. Taste leads; popularity (HF upvotes
 * and the team's own votes) still counts, and breaks near-ties.
 */
export const TASTE_BLEND = { taste: 0.7, popularity: 0.3 } as const;

export interface PlannedPaper {
  paperId: string;
  /** 1-based position in the digest (or past its end, for papers cut). */
  rank: number;
  /** The channel topics it matched (empty when the channel follows everything). */
  topics: string[];
  upvotes: number;
  teamVotes: number;
  listedOn: string;
  /** The team's taste score (w·x + b; above 0 leans liked), when its taste ranked the digest. */
  taste: number | null;
}

export interface DigestPlan {
  digestDate: string;
  /** Listing days considered, inclusive. */
  from: string;
  to: string;
  topicCount: number;
  /** Papers listed in the window. */
  candidates: number;
  /** What would be posted, best first. */
  picked: PlannedPaper[];
  /** Matched, but beyond the channel's limit. */
  cut: PlannedPaper[];
  /** Matched, but posted here before. */
  alreadyDelivered: string[];
  /** Whether the team's taste model reordered it (TASTE_BLEND). */
  tasteRanked: boolean;
}

export interface PlanOptions {
  /** Blend in the team's taste when it has a model (default). `false` ranks by upvotes and team votes alone, for comparison. */
  taste?: boolean;
  /** Where the window's listings, upvotes, votes and taste come from: a planning pass shares them among its channels (plan-reads.ts). */
  reads?: PlanReads;
}

export interface DigestChannel {
  id: number;
  teamId: number;
  maxPapers: number;
}

/**
 * What a channel's digest for `digestDate` holds: papers listed since its previous digest (at
 * most DIGEST_LOOKBACK_DAYS back; papers whose delivery here failed, from the whole lookback)
 * that match its topics (all, when it has none), never one delivered (or on its way) there, each once however many topics it matches; ranked by how many
 * topics it matches, then HF upvotes blended with the team's votes, and with the team's taste
 * once it has a model (TASTE_BLEND). Topics filter; taste only reorders.
 */
export async function planDigest(
  store: Store,
  channel: DigestChannel,
  digestDate: string,
  previousDigestDate: string | null,
  logger: Logger,
  options: PlanOptions = {},
): Promise<DigestPlan> {
  const earliest = addDays(digestDate, -DIGEST_LOOKBACK_DAYS);
  const since = previousDigestDate && previousDigestDate > earliest ? previousDigestDate : earliest;
  const reads = options.reads ?? directPlanReads(store);
  // A paper that failed here (given up, or dropped when posting here stopped) was never
  // delivered: it comes again while it is within the lookback, even if listed before the
  // previous digest.
  const own = await reads.channel(channel.id);
  const failed = own.failed;
  const listed = (await reads.listed(earliest, digestDate)).filter((l) => l.day >= since || failed.has(l.paperId));
  const from = listed.reduce((min, l) => (l.day < min ? l.day : min), since);
  const ids = listed.map((l) => l.paperId);
  const topics = own.topics;

  const matchedTopics = new Map<string, string[]>();
  if (topics.length === 0) {
    for (const id of ids) matchedTopics.set(id, []);
  } else {
    const matcher = await store.matcher.matcherFor(ids);
    for (const topic of topics) {
      let matched: Set<string>;
      try {
        matched = matcher.matching(parseTopic(topic.query));
      } catch (e) {
        if (!isUserError(e)) throw e;
        logger.warn('topic no longer parses; skipped', { topicId: topic.id, query: topic.query, reason: e.message });
        continue;
      }
      for (const id of matched) matchedTopics.set(id, [...(matchedTopics.get(id) ?? []), topic.query]);
    }
  }

  const matchedIds = [...matchedTopics.keys()];
  const delivered = await store.outbox.deliveredPaperIds(channel.id, matchedIds);
  const fresh = matchedIds.filter((id) => !delivered.has(id));
  const [upvotes, votes] = await Promise.all([reads.upvotes(fresh), reads.teamVotes(channel.teamId, fresh)]);
  const listedOn = new Map(listed.map((l) => [l.paperId, l.day]));

  const taste = options.taste === false ? null : await reads.taste(channel.teamId, fresh, logger);
  const candidates = fresh.flatMap((id) => {
    const up = upvotes.get(id);
    if (up === undefined) return []; // not in the store (any more)
    return [{ paperId: id, rank: 0, topics: matchedTopics.get(id) ?? [], upvotes: up, teamVotes: votes.get(id) ?? 0, listedOn: listedOn.get(id) ?? digestDate, taste: taste?.get(id) ?? null }];
  });
  const popularity = (p: PlannedPaper) => p.upvotes + TEAM_VOTE_WEIGHT * p.teamVotes;
  let score = popularity;
  if (taste) {
    const zTaste = standardScores(candidates.map((p) => p.taste ?? 0));
    const zPopularity = standardScores(candidates.map((p) => Math.log1p(popularity(p))));
    const blended = new Map(candidates.map((p, i) => [p.paperId, TASTE_BLEND.taste * zTaste[i]! + TASTE_BLEND.popularity * zPopularity[i]!]));
    score = (p) => blended.get(p.paperId)!;
  }
  const ranked = candidates
    .sort(
      (a, b) =>
        b.topics.length - a.topics.length ||
        score(b) - score(a) ||
        b.listedOn.localeCompare(a.listedOn) ||
        b.paperId.localeCompare(a.paperId),
    )
    .map((p, i) => ({ ...p, rank: i + 1 }));

  return {
    digestDate,
    from,
    to: digestDate,
    topicCount: topics.length,
    candidates: ids.length,
    picked: ranked.slice(0, channel.maxPapers),
    cut: ranked.slice(channel.maxPapers),
    alreadyDelivered: matchedIds.filter((id) => delivered.has(id)),
    tasteRanked: taste !== null,
  };
}

/** (x - mean) / standard deviation; all zeros when the values do not vary. */
function standardScores(xs: readonly number[]): number[] {
  if (xs.length === 0) return [];
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  return xs.map((x) => (sd > 0 ? (x - mean) / sd : 0));
}
