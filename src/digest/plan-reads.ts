import type { Logger } from '../logger.ts';
import { tasteScores, teamTaste, type TasteModel } from '../relevance/taste.ts';
import type { Store } from '../store/store.ts';

/**
 * What planning a digest reads beside the channel's own rows: the window's listings, the
 * papers' upvotes, the team's votes and its taste. `directPlanReads` reads each anew (a preview,
 * one digest). `passPlanReads` reads each once per planning pass and shares it among the pass's
 * channels: a scheduled pass plans thousands of channels over the same window, a team's
 * channels among them, so each read is a statement per pass (or per team) instead of one per
 * channel. What the pass shares is as old as the pass (seconds): a vote cast meanwhile counts
 * from the next digest, as it would had the channel been planned first.
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
}

export function directPlanReads(store: Store): PlanReads {
  return {
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

/** Reads shared by one planning pass (see PlanReads); make one per pass. */
export function passPlanReads(store: Store): PlanReads {
  const listings = new Map<string, Promise<Array<{ paperId: string; day: string }>>>();
  const upvotes = new PerPaper((ids) => store.papers.upvotesOf(ids));
  const votes = new Map<number, PerPaper>();
  const models = new Map<number, Promise<TasteModel | null>>();
  const scores = new Map<number, PerPaper>();
  return {
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
