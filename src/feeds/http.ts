import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { renderAtom } from './atom.ts';

/** A request handler that says whether it took the request: several share PAPERBOY_PORT. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const FEED_PATH = /^\/feeds\/([^/]+)\.atom$/;

/** Where a channel's feed is served, under `publicUrl` (PAPERBOY_PUBLIC_URL). */
export function feedUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/feeds/${token}.atom`;
}

/**
 * `GET /feeds/<token>.atom`: the channel's Atom feed. Takes every request under /feeds/ (an
 * unknown or malformed token is a 404 that says nothing about which tokens exist); leaves the
 * rest to the other handlers.
 */
export function feedRequestHandler(deps: { store: Store; clock: Clock; logger: Logger; publicUrl: string | null }): HttpHandler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith('/feeds/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return true;
    }
    const token = FEED_PATH.exec(path)?.[1] ?? '';
    serveFeed(deps, token, req.method === 'HEAD', res).catch((e: unknown) => {
      deps.logger.error('feed request failed', { err: e });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Something went wrong\n');
    });
    return true;
  };
}

async function serveFeed(deps: { store: Store; clock: Clock; publicUrl: string | null }, token: string, head: boolean, res: ServerResponse): Promise<void> {
  const channelId = await deps.store.feeds.channelOf(token);
  const source = channelId === null ? null : await deps.store.feeds.source(channelId, deps.clock.now());
  if (!source) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('No such feed\n');
    return;
  }
  const body = renderAtom(source, { selfUrl: deps.publicUrl ? feedUrl(deps.publicUrl, token) : null });
  res.writeHead(200, {
    'content-type': 'application/atom+xml; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    // The URL is a secret: keep it out of shared caches and search engines.
    'cache-control': 'private, max-age=300',
    'x-robots-tag': 'noindex',
  });
  res.end(head ? undefined : body);
}
