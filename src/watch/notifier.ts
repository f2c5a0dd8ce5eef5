import type { Clock } from '../domain/clock.ts';
import { describeError } from '../domain/errors.ts';
import { retryDelayMs } from '../delivery/backoff.ts';
import type { PostOutcome } from '../delivery/port.ts';
import type { Posters } from '../delivery/posters.ts';
import type { Logger } from '../logger.ts';
import type { Lease } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';
import type { NoticeToSend } from '../store/watch.ts';
import { watchNoticeText } from './changes.ts';

export interface WatchNotifierSettings {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
}

export interface NoticeReport {
  sent: number;
  retried: number;
  failed: number;
}

/** Notices sent per tick at most: the rest wait for the next tick (the platforms' DM limits are tighter than channels'). */
const NOTICES_PER_TICK = 200;

/**
 * Sends the direct messages announcing changes to saved papers, from the store's watch_notices
 * queue: claim (a lease), post through the platform's poster, settle. Each notice is marked
 * sent once, and a sent notice is never claimed again, so neither a second ingest of the same
 * update nor a restart sends it twice.
 */
export class WatchNotifier {
  private stopping = false;
  private readonly log: Logger;

  constructor(
    private readonly deps: { store: Store; posters: Posters; clock: Clock; logger: Logger; instanceId: string; settings: WatchNotifierSettings },
  ) {
    this.log = deps.logger.child({ part: 'watch' });
  }

  stop(): void {
    this.stopping = true;
  }

  async recover(): Promise<number> {
    const n = await this.deps.store.watch.recoverInFlight(this.deps.clock.now());
    if (n > 0) this.log.warn('resuming paper-change messages interrupted by a restart', { count: n });
    return n;
  }

  /** Sends what is ready to the platforms this process can message. Never throws for one notice's sake. */
  async sendPending(): Promise<NoticeReport> {
    const { store, posters, clock } = this.deps;
    const out: NoticeReport = { sent: 0, retried: 0, failed: 0 };
    const platforms = posters.directPlatforms();
    for (let n = 0; n < NOTICES_PER_TICK && !this.stopping; n++) {
      const notice = await store.watch.claimNext(platforms, clock.now(), this.lease());
      if (!notice) break;
      const outcome = await this.send(notice);
      const me = this.deps.instanceId;
      const { row } = notice;
      if (outcome.ok) {
        if (await store.watch.markSent(row.id, outcome.messageId, clock.now(), me)) out.sent++;
      } else if (outcome.action === 'retry' && row.attempts < this.deps.settings.maxAttempts) {
        const wait = Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(row.attempts, this.deps.settings.retryBaseMs, this.deps.settings.retryMaxMs));
        await store.watch.markRetry(row.id, outcome.reason, new Date(clock.now().getTime() + wait), clock.now(), me);
        out.retried++;
      } else {
        await store.watch.markFailed(row.id, outcome.reason, clock.now(), me);
        this.log.warn('gave up a paper-change message', { noticeId: row.id, userId: row.user_id, reason: outcome.reason });
        out.failed++;
      }
    }
    return out;
  }

  private async send(notice: NoticeToSend): Promise<PostOutcome> {
    const poster = this.deps.posters.get(notice.platform, notice.teamExternalId);
    if (!poster?.postDirect) return { ok: false, action: 'retry', reason: `not connected to ${notice.platform}` };
    const { row } = notice;
    const renew = setInterval(() => {
      this.deps.store.watch.renewLease(row.id, this.lease()).catch((e: unknown) => this.log.warn('could not renew a lease; retrying at the next renewal', { noticeId: row.id, err: e }));
    }, Math.max(1, Math.floor(this.deps.settings.leaseMs / 3)));
    renew.unref();
    try {
      return await poster.postDirect(row.user_id, {
        key: `w${row.id}`,
        text: watchNoticeText(notice, notice.paper),
        inDoubt: notice.inDoubt,
        firstTriedAt: new Date(row.claimed_at ?? row.created_at),
      });
    } catch (e) {
      this.log.error('poster threw instead of returning an outcome', { err: e });
      return { ok: false, action: 'retry', reason: describeError(e) };
    } finally {
      clearInterval(renew);
    }
  }

  private lease(): Lease {
    return { owner: this.deps.instanceId, until: new Date(this.deps.clock.now().getTime() + this.deps.settings.leaseMs) };
  }
}
