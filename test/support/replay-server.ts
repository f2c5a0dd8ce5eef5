import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that replays recorded bodies. Every request is recorded; one that no
 * route matches gets a 404 and is also kept in `unmatched`, so a test can assert that the
 * client asked only for what it should.
 */
export interface ReplayResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Never answer (the socket stays open until the client gives up or the server closes). */
  hang?: boolean;
}

export interface ReplayRoute extends ReplayResponse {
  method?: string;
  path: string;
  /** Query parameters that must be present with these values (others are ignored). */
  query?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface ReplayServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: RecordedRequest[];
  unmatched: RecordedRequest[];
  /** Adds a route; it takes precedence over routes added before it (serve a "second version"). */
  route(r: ReplayRoute): void;
  close(): Promise<void>;
}

export async function startReplayServer(routes: ReplayRoute[] = []): Promise<ReplayServer> {
  const table: ReplayRoute[] = [...routes].reverse();
  const requests: RecordedRequest[] = [];
  const unmatched: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://replay.invalid');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      at: performance.now(),
    };
    requests.push(rec);
    const route = table.find((r) => matches(r, rec));
    if (!route) {
      unmatched.push(rec);
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no replay route for ${rec.method} ${req.url}`);
      return;
    }
    if (route.hang) return;
    res.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body ?? '');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    route: (r) => table.unshift(r),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function matches(r: ReplayRoute, req: RecordedRequest): boolean {
  if ((r.method ?? 'GET') !== req.method || r.path !== req.path) return false;
  return Object.entries(r.query ?? {}).every(([k, v]) => req.query[k] === v);
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
export const ATOM_HEADERS = { 'content-type': 'application/atom+xml; charset=utf-8' };
