import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from '../feeds/http.ts';
import type { Logger } from '../logger.ts';
import type { Health } from './health.ts';

export const HEALTH_PATH = '/healthz';
export const METRICS_PATH = '/metrics';

export interface OpsEndpoints {
  health(): Promise<Health>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export type OpsRoute = { path: string; handler: (req: IncomingMessage, res: ServerResponse) => void };

/**
 * GET /healthz (200 "ok", or 503 with one problem a line) and GET /metrics (Prometheus text).
 * As routes, so they can ride on a server another part owns (Bolt's HTTP receiver on
 * PAPERBOY_PORT) or on our own (startOpsServer).
 */
export function opsRoutes(endpoints: OpsEndpoints, logger: Logger): OpsRoute[] {
  const guarded = (name: string, run: (res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only\n', { allow: 'GET, HEAD' });
    run(res).catch((e: unknown) => {
      logger.error(`${name} failed`, { err: e });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${name} failed\n`);
    });
  };
  return [
    {
      path: HEALTH_PATH,
      handler: guarded('health check', async (res) => {
        const h = await endpoints.health();
        send(res, h.ok ? 200 : 503, 'text/plain; charset=utf-8', h.ok ? 'ok\n' : h.problems.map((p) => p + '\n').join(''));
      }),
    },
    {
      path: METRICS_PATH,
      handler: guarded('metrics', async (res) => {
        const m = await endpoints.metrics();
        send(res, 200, m.contentType, m.body);
      }),
    },
  ];
}

/** The routes as one handler beside others on a shared server (src/feeds/server.ts): false when none is the path asked. */
export function routesHandler(routes: readonly OpsRoute[]): HttpHandler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path);
    route?.handler(req, res);
    return route !== undefined;
  };
}

/** Our own HTTP server for the routes, where no Slack receiver owns the port; 404 elsewhere. */
export async function startOpsServer(routes: readonly OpsRoute[], port: number, host?: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path);
    if (route) route.handler(req, res);
    else send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
