import { addDays } from '../domain/clock.ts';
import { isUserError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { parseTopic } from '../search/topic-matching.ts';
import type { Store } from '../store/store.ts';

/** How far back a digest looks: a new channel gets the latest papers, a backfill never floods it. */
export const DIGEST_LOOKBACK_DAYS = 3;
/** A team vote weighs like this many HF upvotes when ranking a digest or /papers top. */
export const TEAM_VOTE_WEIGHT = 10;

export interface PlannedPaper {
  paperId: string;
  /** 1-based position in the digest (or past its end, for papers cut). */
  rank: number;
  /** The channel topics it matched (empty when the channel follows everything). */
  topics: string[];
  upvotes: number;
  teamVotes: number;
  listedOn: string;
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
}

export interface DigestChannel {
  id: number;
  teamId: number;
  maxPapers: number;
}

/**
 * What a channel's digest for `digestDate` holds: papers listed since its previous digest (at
 * most DIGEST_LOOKBACK_DAYS back) that match its topics (all, when it has none), never one
 * already delivered there, each once however many topics it matches; ranked by how many
 * topics it matches, then HF upvotes blended with the team's votes.
 */
export async function planDigest(
  store: Store,
  channel: DigestChannel,
  digestDate: string,
  previousDigestDate: string | null,
  logger: Logger,
): Promise<DigestPlan> {
  const earliest = addDays(digestDate, -DIGEST_LOOKBACK_DAYS);
  const from = previousDigestDate && previousDigestDate > earliest ? previousDigestDate : earliest;
  const listed = await store.papers.listedBetween(from, digestDate);
  const ids = listed.map((l) => l.paperId);
  const topics = await store.topics.list(channel.id);

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
  const delivered = await store.deliveries.deliveredPaperIds(channel.id, matchedIds);
  const fresh = matchedIds.filter((id) => !delivered.has(id));
  const [papers, votes] = await Promise.all([store.papers.getMany(fresh), store.votes.counts(channel.teamId, fresh)]);
  const listedOn = new Map(listed.map((l) => [l.paperId, l.day]));

  const ranked = papers
    .map((p) => ({
      paperId: p.id,
      rank: 0,
      topics: matchedTopics.get(p.id) ?? [],
      upvotes: p.upvotes,
      teamVotes: votes.get(p.id) ?? 0,
      listedOn: listedOn.get(p.id) ?? digestDate,
    }))
    .sort(
      (a, b) =>
        b.topics.length - a.topics.length ||
        b.upvotes + TEAM_VOTE_WEIGHT * b.teamVotes - (a.upvotes + TEAM_VOTE_WEIGHT * a.teamVotes) ||
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
  };
}
