import { webApi, type Logger as BoltLogger } from '@slack/bolt';

/**
 * How the WebClients retry. The library handles a 429 itself: it pauses its queue for
 * Retry-After, then fails the attempt so its retry policy (p-retry) tries again. The policy
 * decides everything else.
 */

/**
 * The Retry-After (seconds) of a 429 the library has already waited out, or null for any
 * other error. The library signals it by an Error "A rate limit was exceeded (url: ...,
 * retry-after: N)", which reaches p-retry wrapped in a WebAPIRequestError.
 */
export function rateLimitWait(err: unknown): number | null {
  const e = err as { code?: unknown; original?: { message?: unknown }; message?: unknown } | null;
  const message = e?.code === webApi.ErrorCode.RequestError ? e.original?.message : e?.message;
  const m = typeof message === 'string' ? /^A rate limit was exceeded .*retry-after: (\d+)/.exec(message) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Posting: retry a rate-limited post (Slack refused it, so nothing was created), never a
 * failed or lost one, which may have created the message already; the poster checks the
 * channel's history before any resend. No extra backoff: Retry-After was already waited.
 * `onFailedAttempt` is p-retry's (the WebClient hands this object to it); throwing ends it.
 */
const postRetry = {
  retries: 8,
  minTimeout: 0,
  maxTimeout: 1,
  onFailedAttempt(err: unknown): void {
    if (rateLimitWait(err) === null) throw err;
  },
};
export const POST_RETRY: webApi.RetryOptions = postRetry;

/**
 * Everything else (chat.update, users.info, auth.test): idempotent, and someone is waiting,
 * so a few quick tries. Bolt's default (ten retries over 30 minutes) would outlive the
 * 30-minute response_url.
 */
export const CALL_RETRY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 2_000 };

export interface ClientSettings {
  apiUrl: string | undefined;
  logger: BoltLogger;
  timeoutMs?: number;
}

/** Options for a WebClient (and Bolt's per-request clients) pointed at `apiUrl`. */
export function clientOptions(s: ClientSettings, retryConfig: webApi.RetryOptions): webApi.WebClientOptions {
  return {
    ...(s.apiUrl ? { slackApiUrl: withTrailingSlash(s.apiUrl) } : {}),
    logger: s.logger,
    retryConfig,
    timeout: s.timeoutMs ?? 20_000,
  };
}

/** The WebClient joins method names onto the base url, so `.../api` must end in a slash. */
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function createClient(token: string, s: ClientSettings, retryConfig: webApi.RetryOptions): webApi.WebClient {
  return new webApi.WebClient(token, clientOptions(s, retryConfig));
}
