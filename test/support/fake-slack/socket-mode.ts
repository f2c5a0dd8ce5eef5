import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The Socket Mode side of a fake Slack: a WebSocket server on 127.0.0.1 that greets a client
 * with `hello`, sends it envelopes (slash_commands, interactive, events_api) and records the
 * acks. Point FakeSlack.socketUrl at `url` so apps.connections.open hands it out.
 */
export class FakeSocketMode {
  readonly acks: Array<{ envelope_id: string; payload?: unknown }> = [];
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => this.acks.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A111' }, debug_info: { host: 'fake' } }));
    });
  }

  static async start(): Promise<FakeSocketMode> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new FakeSocketMode(wss, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`);
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Sends an envelope to every connected client. */
  send(envelope: { envelope_id: string; type: string; payload: unknown; accepts_response_payload?: boolean; retry_attempt?: number }): void {
    for (const ws of this.sockets) ws.send(JSON.stringify(envelope));
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
