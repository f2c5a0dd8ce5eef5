import type { REST } from 'discord.js';
import type { Logger } from '../../src/logger.ts';

/** Discord's global limit for a bot token, in requests per second (larger bots can ask Discord for more). */
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/** How often an instance re-reads how many instances share the token. */
export const SHARE_REFRESH_MS = 5_000;

/**
 * This instance's share of the token's global limit: every live instance gets an equal part,
 * rounded down so the sum stays under the limit (discord.js lets a fractional budget through
 * once more per window), and never less than 1.
 */
export function globalShare(total: number, liveInstances: number): number {
  return Math.max(1, Math.floor(total / Math.max(1, liveInstances)));
}

/**
 * Discord counts the global limit per bot token, across every process using it, while
 * discord.js paces each process on its own (`globalRequestsPerSecond`, 50 by default). So each
 * instance sets that option to its share and re-reads the number of live instances now and
 * then; a 429 beyond that is still handled by the library (it waits out Retry-After). The
 * option is read at each new one-second window, so a change takes effect within a second.
 * Without `liveInstances` (a single instance, SQLite) the whole limit is this process's.
 */
export function shareGlobalLimit(
  rest: REST,
  opts: { total: number; liveInstances?: () => Promise<number>; everyMs?: number; logger: Logger },
): { refresh(): Promise<number>; stop(): void } {
  const apply = (share: number) => {
    if (rest.options.globalRequestsPerSecond !== share) {
      opts.logger.info('discord global rate share', { requestsPerSecond: share, total: opts.total });
      rest.options.globalRequestsPerSecond = share;
    }
    return share;
  };
  apply(opts.total);
  const refresh = async (): Promise<number> => {
    if (!opts.liveInstances) return rest.options.globalRequestsPerSecond;
    try {
      return apply(globalShare(opts.total, await opts.liveInstances()));
    } catch (e) {
      // Keep the last share: the store being briefly unreachable is no reason to speed up.
      opts.logger.warn('could not count live instances; keeping the discord rate share', { err: e });
      return rest.options.globalRequestsPerSecond;
    }
  };
  const timer = opts.liveInstances ? setInterval(() => void refresh(), opts.everyMs ?? SHARE_REFRESH_MS) : null;
  timer?.unref();
  return { refresh, stop: () => timer && clearInterval(timer) };
}
