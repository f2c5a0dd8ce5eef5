import { planDigest, type DigestChannel, type DigestPlan } from '../../src/digest/plan.ts';
import type { Logger } from '../../src/logger.ts';
import type { Store } from '../../src/store/store.ts';

/** How a simulated digest is ranked: today's HF upvotes + team votes, or with the team's taste blended in. */
export type DigestRanking = 'upvotes' | 'taste';

/** planDigest with the ranking chosen. */
export function planDigestRanked(
  store: Store,
  channel: DigestChannel,
  digestDate: string,
  previousDigestDate: string | null,
  logger: Logger,
  ranking: DigestRanking,
): Promise<DigestPlan> {
  return planDigest(store, channel, digestDate, previousDigestDate, logger, { taste: ranking === 'taste' });
}
