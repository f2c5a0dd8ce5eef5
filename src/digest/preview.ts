import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';
import { localDate } from '../schedule/next-run.ts';
import { DEFAULT_SCHEDULE } from '../store/schedules.ts';
import type { ChannelRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { directPlanReads } from './plan-reads.ts';
import { planDigest, type DigestPlan, type PlanOptions } from './plan.ts';

/** The plan for a channel's next digest, dated by the channel's own clock (or `date`). */
export async function planChannelDigest(
  store: Store,
  channelId: number,
  deps: { clock: Clock; logger: Logger },
  date?: string,
): Promise<DigestPlan> {
  const channel = await store.teams.getChannel(channelId);
  if (!channel) throw new Error(`channel ${channelId} does not exist`);
  const schedule = (await store.schedules.get(channelId)) ?? DEFAULT_SCHEDULE;
  const digestDate = date ?? localDate(deps.clock.now(), schedule.timezone);
  return planChannelDigestOn(store, channel, digestDate, deps.logger);
}

/** The plan for `channel`'s digest of `digestDate`, looking back to its previous digest. */
export async function planChannelDigestOn(store: Store, channel: ChannelRow, digestDate: string, logger: Logger, options: PlanOptions = {}): Promise<DigestPlan> {
  const reads = options.reads ?? directPlanReads(store);
  const previous = (await reads.channel(channel.id)).lastDigestDate;
  return planDigest(
    store,
    { id: channel.id, teamId: channel.team_id, maxPapers: channel.max_papers },
    digestDate,
    previous && previous <= digestDate ? previous : null,
    logger,
    { ...options, reads },
  );
}
