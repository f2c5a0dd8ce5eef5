import type { Logger } from '../logger.ts';
import { tasteScores, teamTaste, type TasteModel } from '../relevance/taste.ts';
import type { ChannelPlanningState } from '../store/outbox.ts';
import type { TopicRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/**
 * What planning a digest reads: the window's listings, the papers' upvotes, the team's votes
 * and its taste, and the channel's own rows (last digest, failed papers, topics).
 * `directPlanReads` reads each anew (a preview, one digest). `passPlanReads` reads each shared
 * read once per planning pass: a scheduled pass plans thousands of channels over the same
 * window, a team's channels among them, so each is a statement per pass (or per team) instead
 * of one per channel; and the channels' own rows a chunk of channels at a time (prefetch). What
 * the pass shares is as old as the pass (seconds): a vote cast or a topic added meanwhile counts
 * from the next digest, as it would had the channel been planned first. What must be current
 * is read again where it is written: the papers already delivered (per channel, planDigest)
 * and the failed rows a new digest takes over (in the write itself, OutboxRepo.plan).
 */
export interface PlanReads {
  /** Papers listed between the two days (inclusive), each with its first listing day in the window. */
  listed(from: string, to: string): Promise<Array<{ paperId: string; day: string }>>;
  /** HF upvotes of the papers the store has (unknown ids left out). */
  upvotes(paperIds: readonly string[]): Promise<Map<string, number>>;
  /** The team's vote count per paper (papers without votes left out). */
  teamVotes(teamId: number, paperIds: readonly string[]): Promise<Map<string, number>>;
  /** The team's taste score per paper, or null while it has no model. A failure is logged and is null: a digest never fails over taste. */
  taste(teamId: number, paperIds: readonly string[], logger: Logger): Promise<Map<string, number> | null>;
  /** The channel's own rows planning reads: its last digest's date, the papers that failed there, its topics. */
  channel(channelId: number): Promise<ChannelReads>;
}

export interface ChannelReads {
  lastDigestDate: string | null;
  failed: Set<string>;
  topics: TopicRow[];
}

/** A pass's reads, with the channels' own rows read a chunk of channels at a time. */
export interface PassPlanReads extends PlanReads {
  /**
   * Reads the own rows of these channels (about to be planned) in a few statements, for
   * channel() to answer from, and returns them with what the planner checks first (slots
   * planned on or after `slotsFrom`, stale rows before `staleBefore`). Replaces the last chunk.
   */
  prefetch(channelIds: readonly number[], slotsFrom: string, staleBefore: Date): Promise<Map<number, ChannelPlanningState>>;
}

export function directPlanReads(store: Store): PlanReads {
  // One plan reads its channel's rows once, though planChannelDigestOn and planDigest both ask.
  const channels = new Map<number, Promise<ChannelReads>>();
  return {
    channel: (channelId) => memo(channels, channelId, () => readChannel(store, channelId)),
    listed: (from, to) => store.papers.listedBetween(from, to),
    upvotes: (ids) => store.papers.upvotesOf(ids),
    teamVotes: (teamId, ids) => store.votes.counts(teamId, ids),
    taste: async (teamId, ids, logger) => {
      try {
        const { model } = await teamTaste(store, teamId);
        return model ? await tasteScores(store, model, ids) : null;
      } catch (e) {
        return tasteFailed(logger, teamId, e);
      }
    },
  };
}

async function readChannel(store: Store, channelId: number): Promise<ChannelReads> {
  const [last, failed, topics] = await Promise.all([store.outbox.lastDigest(channelId), store.outbox.failedPaperIds(channelId), store.topics.list(channelId)]);
  return { lastDigestDate: last?.digest_date ?? null, failed, topics };
}

/** Reads shared by one planning pass (see PlanReads); make one per pass. */
export function passPlanReads(store: Store): PassPlanReads {
  let chunk = new Map<number, ChannelReads>();
  const listings = new Map<string, Promise<Array<{ paperId: string; day: string }>>>();
  const upvotes = new PerPaper((ids) => store.papers.upvotesOf(ids));
  const votes = new Map<number, PerPaper>();
  const models = new Map<number, Promise<TasteModel | null>>();
  const scores = new Map<number, PerPaper>();
  return {
    async prefetch(channelIds, slotsFrom, staleBefore) {
      const states = await store.outbox.planningStates(channelIds, slotsFrom, staleBefore);
      const topics = await store.topics.listMany(channelIds);
      chunk = new Map(channelIds.map((id) => [id, { lastDigestDate: states.get(id)!.lastDigestDate, failed: states.get(id)!.failed, topics: topics.get(id)! }]));
      return states;
    },
    // A channel outside the chunk (none, as the engine plans) reads its own.
    channel: async (channelId) => chunk.get(channelId) ?? readChannel(store, channelId),
    listed: (from, to) =>
      memo(listings, `${from}|${to}`, () => {
        const read = store.papers.listedBetween(from, to);
        read.catch(() => listings.delete(`${from}|${to}`)); // a failed read is tried again by the next channel
        return read;
      }),
    upvotes: (ids) => upvotes.of(ids),
    teamVotes: (teamId, ids) => memo(votes, teamId, () => new PerPaper((missing) => store.votes.counts(teamId, missing))).of(ids),
    taste: async (teamId, ids, logger) => {
      try {
        const model = await memo(models, teamId, async () => (await teamTaste(store, teamId)).model);
        if (!model) return null;
        return await memo(scores, teamId, () => new PerPaper((missing) => tasteScores(store, model, missing))).of(ids);
      } catch (e) {
        models.delete(teamId); // the next channel of the team tries again
        return tasteFailed(logger, teamId, e);
      }
    },
  };
}

function tasteFailed(logger: Logger, teamId: number, e: unknown): null {
  logger.error('team taste failed; this digest ranks by upvotes', { teamId, err: e });
  return null;
}

function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = make()));
  return v;
}

/** A per-paper value read once per paper: each call reads only the papers no call asked for before. */
class PerPaper {
  private readonly known = new Map<string, number | null>();

  constructor(private readonly read: (paperIds: readonly string[]) => Promise<Map<string, number>>) {}

  async of(paperIds: readonly string[]): Promise<Map<string, number>> {
    const missing = paperIds.filter((id) => !this.known.has(id));
    if (missing.length > 0) {
      const found = await this.read(missing);
      for (const id of missing) if (!this.known.has(id)) this.known.set(id, found.get(id) ?? null);
    }
    const out = new Map<string, number>();
    for (const id of paperIds) {
      const v = this.known.get(id);
      if (v !== null && v !== undefined) out.set(id, v);
    }
    return out;
  }
}
