import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from './http.ts';

/**
 * PAPERBOY_PORT when Slack's HTTP receiver does not hold it (Discord only, Socket Mode): a bare
 * server for the given handlers (/healthz and /metrics, the feeds); anything none takes is a 404.
 */
export async function serveHandlers(port: number, handlers: readonly HttpHandler[], host?: string): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    for (const h of handlers) if (h(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) =>
      reject(new Error(`Could not listen on port ${port} for /healthz, /metrics and channels' feeds (${e.code ?? e.message}). Set PAPERBOY_PORT to a free port.`, { cause: e }));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
