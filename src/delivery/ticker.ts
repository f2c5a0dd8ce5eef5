import cron from 'node-cron';
import type { Logger } from '../logger.ts';

/**
 * One node-cron job, every minute in UTC. It never decides what is due (the database does),
 * so a tick node-cron drops while the event loop is busy only delays work to the next one.
 * `stop()` resolves once the tick in flight (if any) has finished, so the store can close.
 */
export function startTicker(tick: () => Promise<unknown>, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = tick().then(
      () => undefined,
      (e: unknown) => logger.error('tick failed', { err: e }),
    );
    return running;
  };
  const task = cron.schedule('* * * * *', run, { timezone: 'UTC', noOverlap: true, name: 'paperboy-tick' });
  void run(); // start-up: resume unfinished work and catch up at once, not a minute later
  return {
    stop: async () => {
      await task.stop();
      await running;
    },
  };
}
