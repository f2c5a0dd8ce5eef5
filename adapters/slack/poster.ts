import { webApi } from '@slack/bolt';
import type { Clock } from '../../src/domain/clock.ts';
import { describeError } from '../../src/domain/errors.ts';
import { payloadShape } from '../../src/delivery/payload-shape.ts';
import type { ChatPoster, DirectMessage, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import type { Logger } from '../../src/logger.ts';
import { rateLimitWait } from './client.ts';
import type { RecapChart } from '../../src/recap/chart.ts';
import { renderHeaderMessage, renderNotice, renderPaperMessage, renderRecapMessage, type SlackMessage } from './render.ts';
import { readThread } from './threads.ts';

/** The scope a file upload (the recap's chart) needs. */
export const FILES_SCOPE = 'files:write';

/** Message metadata marking a Paperboy delivery; its payload carries the delivery key. */
export const DELIVERY_EVENT_TYPE = 'paperboy_delivery';

export type PostFailure = Exclude<PostOutcome, { ok: true }>;

const CHANNEL_GONE: Record<string, string> = {
  not_in_channel: 'Paperboy is not a member of this channel: invite it (/invite @Paperboy), then run /papers resume.',
  channel_not_found: 'the channel no longer exists, or Paperboy cannot see it.',
  is_archived: 'the channel is archived.',
};

const TEAM_DEAD: Record<string, string> = {
  invalid_auth: 'the bot token is not valid: set SLACK_BOT_TOKEN to the Bot User OAuth Token.',
  not_authed: 'no bot token was sent: set SLACK_BOT_TOKEN.',
  token_revoked: 'the bot token was revoked (app uninstalled?): reinstall the app and update SLACK_BOT_TOKEN.',
  token_expired: 'the bot token expired: reinstall the app and update SLACK_BOT_TOKEN.',
  account_inactive: 'the bot user or workspace was deactivated.',
  missing_scope: 'the app lacks a scope it needs: reinstall it from slack/manifest.json.',
};

/** Slack refused this message as it is: posting it again cannot pass. */
const MESSAGE_REFUSED = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'no_text', 'too_many_attachments', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large']);

/**
 * What to do after a failed Slack call, as a pure function of the error the WebClient threw.
 * Only Slack's own words decide "stop posting here"; everything unknown is worth a later try
 * (the delivery layer caps attempts).
 */
export function classifySlackError(e: unknown): PostFailure {
  const err = e as { code?: unknown; retryAfter?: unknown; statusCode?: unknown } | null;
  const code = slackErrorCode(e);
  if (code !== null) {
    if (CHANNEL_GONE[code]) return { ok: false, action: 'disable-channel', reason: `Slack said ${code}: ${CHANNEL_GONE[code]}` };
    if (TEAM_DEAD[code]) return { ok: false, action: 'disable-team', reason: `Slack said ${code}: ${TEAM_DEAD[code]}` };
    if (MESSAGE_REFUSED.has(code)) return { ok: false, action: 'drop', reason: `Slack said ${code}` };
    return { ok: false, action: 'retry', reason: `Slack said ${code}` };
  }
  if (err?.code === webApi.ErrorCode.RateLimitedError && typeof err.retryAfter === 'number') {
    return { ok: false, action: 'retry', reason: 'rate limited by Slack', retryAfterMs: err.retryAfter * 1000 };
  }
  // The WebClient's retries ran out while Slack kept answering 429.
  const wait = rateLimitWait(e);
  if (wait !== null) return { ok: false, action: 'retry', reason: 'rate limited by Slack', retryAfterMs: wait * 1000 };
  if (err?.code === webApi.ErrorCode.HTTPError) return { ok: false, action: 'retry', reason: `Slack answered HTTP ${String(err.statusCode)}` };
  if (err?.code === webApi.ErrorCode.RequestError) return { ok: false, action: 'retry', reason: `could not reach Slack (${describeError(e)})` };
  return { ok: false, action: 'retry', reason: describeError(e) };
}

/** Slack's error code (e.g. `missing_scope`) of a platform error, or null. */
function slackErrorCode(e: unknown): string | null {
  const err = e as { code?: unknown; data?: { error?: unknown } } | null;
  return err?.code === webApi.ErrorCode.PlatformError && typeof err.data?.error === 'string' ? err.data.error : null;
}

/** A failure after which the message may exist anyway: the request may have reached Slack. */
export function mayHavePosted(e: unknown): boolean {
  if (rateLimitWait(e) !== null) return false; // a 429 is a refusal
  const code = (e as { code?: unknown } | null)?.code;
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return code === webApi.ErrorCode.RequestError || (code === webApi.ErrorCode.HTTPError && typeof status === 'number' && status >= 500);
}

export interface SlackPosterOptions {
  clock: Clock;
  logger: Logger;
  /** How far back the first read of a channel looks, and a retry that does not say when it first tried. */
  historyWindowMs?: number;
  /** Messages read per history page. */
  historyLimit?: number;
  /** Least time between two posts to one channel; 0 (the default) posts at once. */
  postIntervalMs?: number;
}

const HISTORY_SCOPE_FIX = 'add the channels:history and groups:history scopes (slack/manifest.json) and reinstall the app';

/**
 * A retry's history check starts this long before the first try began: our clock and Slack's
 * may disagree a little, and a slow first request may have been stamped after it was sent.
 */
export const RETRY_LOOKBACK_SLACK_MS = 10 * 60_000;

/**
 * checked: the history was read in this process since the last uncertain post;
 * suspect: a post's outcome is unknown, read again before the next one;
 * unread: the first read failed and fresh posts went ahead without it.
 */
type ChannelState = 'checked' | 'suspect' | 'unread';

/**
 * Posts digest messages. Each carries its delivery key in message metadata, and before a
 * post the poster knows whether the channel already has that key:
 * - keys it posted itself are remembered;
 * - the first post to a channel since start reads the channel's recent history once (a
 *   post cut off by a crash or restart is found there);
 * - after a post whose outcome is unknown (network error, timeout, 5xx) the next post to
 *   that channel reads the history again first;
 * - a retry (`attempt` > 1: an earlier try, perhaps by another process that crashed or lost
 *   its lease, may have landed) always reads the history, page after page back to just before
 *   the first try (`firstTriedAt`), whatever this process read or remembers of the channel,
 *   and is never posted without a successful read.
 * So `post()` is safe to call again with the same key, as the ChatPoster port requires.
 * The WebClient must retry only rate limits (client.ts POST_RETRY). The channel's history
 * holds no thread replies: a post in a thread (`threadId`, thread mode) is looked for in that
 * thread instead (conversations.replies), all of it, whenever the channel would be read.
 * `findPosted()` is the same lookup, for a caller that wants to ask first.
 */
export class SlackPoster implements ChatPoster {
  readonly platform = 'slack';
  private readonly posted = new Map<string, Map<string, string>>();
  private readonly state = new Map<string, ChannelState>();
  /** Channels whose history this token may not read (missing scope), with what to do about it. */
  private readonly unreadable = new Map<string, string>();
  private readonly windowMs: number;
  private readonly limit: number;
  private readonly spacing: ChannelSpacing;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly opts: SlackPosterOptions,
  ) {
    this.windowMs = opts.historyWindowMs ?? 3 * 24 * 60 * 60_000;
    this.limit = opts.historyLimit ?? 200;
    this.spacing = new ChannelSpacing(opts.postIntervalMs ?? 0);
  }

  async post(channelId: string, message: OutboundMessage): Promise<PostOutcome> {
    const log = this.opts.logger.child({ platform: 'slack', channel: channelId, key: message.key });
    const retry = (message.attempt ?? 1) > 1 ? { since: message.firstTriedAt ?? null } : null;
    const thread = message.kind === 'paper' ? message.threadId : undefined;
    // A notice is tried once and never retried, so it has no earlier copy to look for; and
    // after a doubtful post the history read would refuse it in a channel that is already gone.
    const prior = message.kind === 'notice' ? null : await this.priorPost(channelId, message.key, retry, log, thread);
    if (prior !== null) return prior.ok ? { ...prior, ...this.checkProblem(channelId) } : prior;

    // The recap's chart needs files:write; without it the recap carries its figures as a table.
    const upload = message.kind === 'recap' && (await this.mayUploadFiles(log));
    const body = message.kind === 'recap' ? renderRecapMessage(message.recap, { table: !upload }) : renderOutbound(message);
    await this.spacing.turn(channelId);
    try {
      const res = await this.client.chat.postMessage({
        channel: channelId,
        text: body.text,
        blocks: body.blocks,
        metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: message.key } },
        unfurl_links: false,
        unfurl_media: false,
        ...(message.kind === 'paper' && message.threadId ? { thread_ts: message.threadId } : {}),
      });
      if (!res.ts) throw new Error('chat.postMessage answered ok without a ts');
      this.remember(channelId, message.key, res.ts);
      if (upload && message.kind === 'recap') await this.uploadChart(channelId, message.chart, log);
      return { ok: true, messageId: res.ts, ...this.checkProblem(channelId) };
    } catch (e) {
      const outcome = classifySlackError(e);
      if (mayHavePosted(e)) this.state.set(channelId, 'suspect');
      if (outcome.action === 'drop') log.error('slack refused the message as formed; given up, not retried', { reason: outcome.reason, shape: payloadShape(body) });
      else log.warn('slack post failed', { action: outcome.action, reason: outcome.reason, uncertain: mayHavePosted(e) });
      return outcome;
    }
  }

  /**
   * A direct message: chat.postMessage with the person's user id as the channel, which Slack
   * delivers in the app's Messages tab with the person (chat:write is enough). Reading that
   * conversation back would need the im:history scope, so a try whose outcome is unknown (a
   * lost response, a 5xx, a crash mid-send) is not repeated: one missed notice rather than two.
   * Refusals (rate limits) are retried; anything Slack says about the person gives it up.
   */
  async postDirect(userId: string, message: DirectMessage): Promise<PostOutcome> {
    const log = this.opts.logger.child({ platform: 'slack', user: userId, key: message.key });
    if (message.inDoubt) return { ok: false, action: 'drop', reason: 'an earlier try may have reached Slack; not sent again' };
    const body = renderNotice(message.text);
    try {
      const res = await this.client.chat.postMessage({ channel: userId, text: body.text, blocks: body.blocks, unfurl_links: false, unfurl_media: false });
      if (!res.ts) throw new Error('chat.postMessage answered ok without a ts');
      return { ok: true, messageId: res.ts };
    } catch (e) {
      if (mayHavePosted(e)) {
        log.warn('slack direct message may have been sent; not sent again', { err: describeError(e) });
        return { ok: false, action: 'drop', reason: `outcome unknown (${describeError(e)}); not sent again` };
      }
      const outcome = classifySlackError(e);
      log.warn('slack direct message failed', { action: outcome.action, reason: outcome.reason });
      return outcome.action === 'retry' ? outcome : { ok: false, action: 'drop', reason: outcome.reason };
    }
  }

  /**
   * Whether the token holds files:write, from the scopes Slack lists in the `x-oauth-scopes`
   * header of every Web API answer (the WebClient puts them in response_metadata.scopes):
   * asked with auth.test when a recap is due, so a scope added by reinstalling the app counts
   * from the next recap on. If Slack can't be asked, the recap goes out with its table.
   */
  private async mayUploadFiles(log: Logger): Promise<boolean> {
    try {
      const res = await this.client.auth.test();
      return res.response_metadata?.scopes?.includes(FILES_SCOPE) ?? false;
    } catch (e) {
      log.warn('could not ask Slack for the token scopes; the recap goes out with its table', { reason: classifySlackError(e).reason });
      return false;
    }
  }

  /**
   * The recap's chart, shared in the channel right after the recap (files.getUploadURLExternal,
   * the upload, files.completeUploadExternal: the WebClient's filesUploadV2). Uploaded only
   * after a fresh post of the recap, never on a retry that found it already posted, so a chart
   * is never shared twice; a failed upload leaves the recap posted, without its chart.
   */
  private async uploadChart(channelId: string, chart: RecapChart, log: Logger): Promise<void> {
    try {
      await this.client.filesUploadV2({ channel_id: channelId, file: chart.png, filename: chart.name, title: chart.name, alt_text: chart.alt.slice(0, 1000) });
    } catch (e) {
      const code = slackErrorCode(e);
      log.warn('slack refused the recap chart; the recap is posted without it', { reason: classifySlackError(e).reason, ...(code === 'missing_scope' ? { fix: `add the ${FILES_SCOPE} scope (slack/manifest.json) and reinstall the app` } : {}) });
    }
  }

  /** What the last read of the channel found, for the outcome; nothing before a first read. */
  private checkProblem(channelId: string): { checkProblem?: string | null } {
    if (!this.state.has(channelId)) return {};
    return { checkProblem: this.unreadable.get(channelId) ?? null };
  }

  /**
   * The ts of the channel's recent message carrying `key` in its metadata, or null. Reads
   * the history now; throws what the WebClient threw.
   */
  async findPosted(channelId: string, key: string): Promise<string | null> {
    await this.readHistory(channelId);
    return this.posted.get(channelId)?.get(key) ?? null;
  }

  /**
   * A success for a key already in the channel, a failure that forbids posting, or null to go
   * ahead. `retry`: the delivery layer says an earlier try may have reached Slack (perhaps from
   * another process), which this process cannot know from its own memory, so the channel is
   * read back to `since` (the first try) even if it was read before.
   */
  private async priorPost(channelId: string, key: string, retry: { since: Date | null } | null, log: Logger, thread?: string): Promise<PostOutcome | null> {
    const known = this.posted.get(channelId)?.get(key);
    if (known) {
      log.info('slack message already posted; not posting again', { ts: known });
      return { ok: true, messageId: known };
    }
    const state = this.state.get(channelId);
    if (retry || (state !== 'checked' && state !== 'unread')) {
      try {
        if (thread) await this.searchThread(channelId, thread, key);
        else if (retry) await this.searchHistory(channelId, key, retry.since);
        else await this.readHistory(channelId);
      } catch (e) {
        const outcome = classifySlackError(e);
        // Without channels:history / groups:history the check can never work: waiting would stall
        // the channel for good, and the scope says nothing about posting, so post without it.
        const unreadable = slackErrorCode(e) === 'missing_scope';
        // After an unknown outcome, posting blind could duplicate: wait until the history can be read.
        if (!unreadable && (state === 'suspect' || retry || outcome.action !== 'retry')) {
          log.warn('slack history check failed', { action: outcome.action, reason: outcome.reason });
          return outcome;
        }
        // A first look that fails (e.g. a private channel without groups:history) only loses the restart check.
        log.warn('slack history check failed; posting without it', { reason: outcome.reason, ...(unreadable ? { fix: HISTORY_SCOPE_FIX } : {}) });
        if (unreadable) this.unreadable.set(channelId, `Slack answers missing_scope to reading its history; ${HISTORY_SCOPE_FIX}`);
        this.state.set(channelId, 'unread');
      }
    }
    const ts = this.posted.get(channelId)?.get(key);
    if (ts) {
      log.info('slack message already posted; not posting again', { ts });
      return { ok: true, messageId: ts };
    }
    return null;
  }

  /** The first read of a channel since start: its latest page within the window. */
  private async readHistory(channelId: string): Promise<void> {
    const oldest = (this.opts.clock.now().getTime() - this.windowMs) / 1000;
    const res = await this.client.conversations.history({ channel: channelId, limit: this.limit, oldest: oldest.toFixed(6), include_all_metadata: true });
    this.rememberKeys(channelId, res.messages);
    this.state.set(channelId, 'checked');
    this.unreadable.delete(channelId);
  }

  /**
   * Reads the channel newest first, page by page, until `key` turns up or the history reaches
   * back to before the first try: a busy channel may have moved the post many pages down.
   */
  private async searchHistory(channelId: string, key: string, since: Date | null): Promise<void> {
    const from = since ? since.getTime() - RETRY_LOOKBACK_SLACK_MS : this.opts.clock.now().getTime() - this.windowMs;
    const oldest = (from / 1000).toFixed(6);
    let cursor: string | undefined;
    do {
      const res = await this.client.conversations.history({ channel: channelId, limit: this.limit, oldest, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
      this.rememberKeys(channelId, res.messages);
      if (this.posted.get(channelId)?.has(key)) break;
      cursor = res.has_more ? res.response_metadata?.next_cursor || undefined : undefined;
    } while (cursor);
    this.state.set(channelId, 'checked');
    this.unreadable.delete(channelId);
  }

  /** Reads a thread-mode digest's thread (its header's replies) until `key` turns up. The channel's state is left as it was: the thread is not the channel. */
  private async searchThread(channelId: string, threadTs: string, key: string): Promise<void> {
    await readThread(this.client, channelId, threadTs, (page) => {
      this.rememberKeys(channelId, page);
      return this.posted.get(channelId)?.has(key) ?? false;
    });
  }

  private rememberKeys(channelId: string, messages: Array<{ ts?: string; metadata?: unknown }> | undefined): void {
    for (const m of messages ?? []) {
      const meta = m.metadata as { event_type?: unknown; event_payload?: { key?: unknown } } | undefined;
      if (meta?.event_type === DELIVERY_EVENT_TYPE && typeof meta.event_payload?.key === 'string' && m.ts) {
        this.remember(channelId, meta.event_payload.key, m.ts);
      }
    }
  }

  private remember(channelId: string, key: string, ts: string): void {
    let keys = this.posted.get(channelId);
    if (!keys) this.posted.set(channelId, (keys = new Map()));
    keys.set(key, ts);
    // Old keys are long settled by the delivery layer; keep memory bounded.
    while (keys.size > 2_000) keys.delete(keys.keys().next().value!);
  }
}

/**
 * Spaces posts to one channel `intervalMs` apart. Slack allows chat.postMessage about once a
 * second per channel, and the WebClient's only answer to a 429 is to pause *every* call of the
 * client for Retry-After: at thousands of channels, each refusal in one channel would stall all
 * the others. Neither SDK paces per channel, hence this; posts to different channels never wait
 * for each other. Each caller reserves its slot before waiting, so concurrent posts to one
 * channel queue up in order.
 */
export class ChannelSpacing {
  private readonly next = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async turn(channelId: string): Promise<void> {
    if (this.intervalMs <= 0) return;
    const now = this.now();
    const at = Math.max(now, this.next.get(channelId) ?? now);
    this.next.set(channelId, at + this.intervalMs);
    if (this.next.size > 50_000) this.forgetPast(now);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  /** Channels whose next slot has passed need no entry: keeps memory bounded. */
  private forgetPast(now: number): void {
    for (const [id, at] of this.next) if (at <= now) this.next.delete(id);
  }
}

export function renderOutbound(message: OutboundMessage): SlackMessage {
  switch (message.kind) {
    case 'paper':
      return renderPaperMessage(message.card);
    case 'header':
      return renderHeaderMessage(message.title, message.text);
    case 'notice':
      return renderNotice(message.text);
    case 'recap':
      return renderRecapMessage(message.recap, { table: true });
  }
}
