/**
 * The one way sources talk HTTP: a GET with a deadline that never throws for the outcomes a
 * remote service can produce. Each failure becomes a `SourceError` saying whether trying
 * again later may help, so callers decide about retrying without parsing messages.
 */

export type SourceErrorKind = 'timeout' | 'network' | 'http' | 'bad-body';

export interface SourceError {
  kind: SourceErrorKind;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** True when the same request may succeed later (5xx, 429, 408, timeouts, network). */
  retryable: boolean;
  message: string;
  url: string;
  /** The response text of an HTTP error, for sources that explain errors in the body (arXiv). */
  body?: string;
}

export type SourceResult<T> = { ok: true; value: T } | { ok: false; error: SourceError };

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  timeoutMs: number;
  fetch?: FetchLike;
  /** Cancels the request early (e.g. on shutdown); the timeout applies either way. */
  signal?: AbortSignal;
}

const USER_AGENT = 'paperboy/0.1 (research-paper chat bot)';

export function ok<T>(value: T): SourceResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: SourceError): SourceResult<T> {
  return { ok: false, error };
}

/** 408 and 429 are the 4xx answers that mean "not now" rather than "never". */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

export interface TextResponse {
  status: number;
  contentType: string;
  text: string;
}

/** GET `url` and read the body as text. Non-2xx answers become `http` errors (body kept). */
export async function getText(url: string, opts: HttpOptions, accept: string): Promise<SourceResult<TextResponse>> {
  const doFetch = opts.fetch ?? fetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    // The signal also covers reading the body: a server that stalls mid-body times out too.
    const res = await doFetch(url, { method: 'GET', headers: { accept, 'user-agent': USER_AGENT }, signal, redirect: 'follow' });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    if (!res.ok) {
      const retryable = isRetryableStatus(res.status);
      return fail({
        kind: 'http',
        status: res.status,
        retryable,
        url,
        body: text,
        message: `HTTP ${res.status} from ${url}${retryable ? ' (temporary: try again later)' : ''}`,
      });
    }
    return ok({ status: res.status, contentType, text });
  } catch (e) {
    return fail(classifyThrown(e, url, opts.timeoutMs, timeout.aborted));
  }
}

function classifyThrown(e: unknown, url: string, timeoutMs: number, timedOut: boolean): SourceError {
  const name = e instanceof Error ? e.name : '';
  if (timedOut || name === 'TimeoutError') {
    return { kind: 'timeout', retryable: true, url, message: `no answer from ${url} within ${timeoutMs} ms` };
  }
  if (name === 'AbortError') {
    return { kind: 'network', retryable: false, url, message: `request to ${url} was cancelled` };
  }
  // undici wraps the real reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`.
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : null;
  const code = cause && 'code' in cause ? String(cause.code) : '';
  const detail = code || cause?.message || (e instanceof Error ? e.message : String(e));
  return { kind: 'network', retryable: true, url, message: `could not reach ${url} (${detail})` };
}

/** GET a JSON document. HTML (a login wall, an error page) or unparsable text is `bad-body`. */
export async function getJson(url: string, opts: HttpOptions): Promise<SourceResult<unknown>> {
  const res = await getText(url, opts, 'application/json');
  if (!res.ok) return res;
  const { text, contentType } = res.value;
  if (/html/i.test(contentType) || looksLikeHtml(text)) {
    return fail(badBody(url, 'an HTML page where JSON was expected', text));
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return fail(badBody(url, 'a body that is not JSON', text));
  }
}

/** GET an XML document; HTML or text that is not XML is `bad-body`. Parsing is the caller's. */
export async function getXml(url: string, opts: HttpOptions): Promise<SourceResult<string>> {
  const res = await getText(url, opts, 'application/atom+xml, application/xml;q=0.9');
  if (!res.ok) return res;
  const { text } = res.value;
  if (looksLikeHtml(text)) return fail(badBody(url, 'an HTML page where XML was expected', text));
  if (!text.trimStart().startsWith('<')) return fail(badBody(url, 'a body that is not XML', text));
  return ok(text);
}

function badBody(url: string, what: string, text: string): SourceError {
  return { kind: 'bad-body', retryable: false, url, message: `${url} returned ${what}: ${preview(text)}` };
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}...` : flat);
}

