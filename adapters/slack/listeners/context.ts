import type { Runtime } from '../../../src/commands/dispatch.ts';
import type { Logger } from '../../../src/logger.ts';
import type { ManagerChecks } from '../managers.ts';
import type { RecentEvents } from '../recent-events.ts';

/** What every Slack listener works with. */
export interface SlackListenerContext {
  runtime: Runtime;
  logger: Logger;
  /** The manager check of the workspace a request comes from. */
  managers: ManagerChecks;
  events: RecentEvents;
  serial: KeyedSerial;
  /**
   * The bot's own user id (auth.test): its own reactions are not votes. In install mode each
   * workspace has its own, which Bolt's authorize puts in the listener's context instead.
   */
  botUserId: string | null;
}

/**
 * Runs tasks with the same key one after another. Two people clicking Upvote on one message
 * at once would otherwise race their chat.update calls, and the slower could redraw the
 * older count.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(task);
    this.tails.set(key, next);
    void next.then(
      () => this.forget(key, next),
      () => this.forget(key, next),
    );
    return next;
  }

  private forget(key: string, p: Promise<unknown>): void {
    if (this.tails.get(key) === p) this.tails.delete(key);
  }
}
