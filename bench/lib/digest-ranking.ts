import { planDigest, type DigestChannel, type DigestPlan } from '../../src/digest/plan.ts';
import type { Logger } from '../../src/logger.ts';
import type { Store } from '../../src/store/store.ts';

/** How a simulated digest is ranked: today's HF upvotes + team votes, or with the team's taste blended in. */
export type DigestRanking = 'upvotes' | 'taste';

/** planDigest as it will be once team taste lands (issue 8, item 6): an options argument last. */
type PlanDigestWithOptions = (
  store: Store,
  channel: DigestChannel,
  digestDate: string,
  previousDigestDate: string | null,
  logger: Logger,
  options: { taste: boolean },
) => Promise<DigestPlan>;

/**
 * Whether planDigest takes the `{ taste }` option yet. The only place that guesses: its sixth
 * parameter, or (when declared with a default, which `length` does not count) the word in
 * its source. Once the option has landed, this module shrinks to a typed one-line call.
 */
export function tasteRankingAvailable(): boolean {
  return planDigest.length >= 6 || /\btaste\b/.test(String(planDigest));
}

/** planDigest with the ranking chosen; null for 'taste' while planDigest cannot do it. */
export async function planDigestRanked(
  store: Store,
  channel: DigestChannel,
  digestDate: string,
  previousDigestDate: string | null,
  logger: Logger,
  ranking: DigestRanking,
): Promise<DigestPlan | null> {
  if (!tasteRankingAvailable()) return ranking === 'upvotes' ? planDigest(store, channel, digestDate, previousDigestDate, logger) : null;
  const withOptions = planDigest as unknown as PlanDigestWithOptions;
  return withOptions(store, channel, digestDate, previousDigestDate, logger, { taste: ranking === 'taste' });
}
