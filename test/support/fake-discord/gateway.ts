import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/*
 * The gateway half of the fake Discord: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat
 * ACKs, RESUME -> replay + RESUMED, INVALID_SESSION for unknown sessions. Dispatches are
 * filtered by each session's IDENTIFY intents, as Discord does (discord.js does not filter).
 *
 * Sharding as Discord does it: IDENTIFY's `shard: [id, count]` (absent = [0, 1]) picks the
 * session's guilds, those with (guild_id >> 22) % count === id. READY and the GUILD_CREATEs
 * list only them, and a guild's events go only to the session of its shard; events of no
 * guild (DMs) go to shard 0. An id outside 0..count-1 is closed with 4010 (invalid shard), a
 * shard holding more than `maxGuildsPerShard` guilds with 4011 (sharding required). Stricter
 * than Discord, which tolerates both for a while during a re-shard: a shard that is already
 * connected, or a count that disagrees with the connected shards', is also closed with 4010,
 * so a fleet whose instances overlap or disagree fails at login instead of answering twice.
 */

export const CloseCode = { AuthenticationFailed: 4004, InvalidShard: 4010, ShardingRequired: 4011 } as const;

/** The shard Discord sends a guild's events to. Written out here, not imported, so the fake checks the bot rather than mirrors it. */
export function guildShard(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Discord's window for session_start_limit.max_concurrency IDENTIFYs. */
const IDENTIFY_WINDOW_MS = 5_000;

export const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

export const Intent = { Guilds: 1 << 0, GuildMessages: 1 << 9, GuildMessageReactions: 1 << 10, DirectMessageReactions: 1 << 13 } as const;

/** The intent Discord requires before it sends an event; undefined = always sent. */
function requiredIntent(t: string, d: Record<string, unknown>): number | undefined {
  if (t.startsWith('GUILD_') || t.startsWith('CHANNEL_') || t.startsWith('THREAD_')) return Intent.Guilds;
  if (t.startsWith('MESSAGE_REACTION_')) return d.guild_id ? Intent.GuildMessageReactions : Intent.DirectMessageReactions;
  if (t.startsWith('MESSAGE_')) return Intent.GuildMessages;
  return undefined;
}

export interface GatewayFrame {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

interface Session {
  id: string;
  intents: number;
  /** [shard id, shard count] from IDENTIFY. */
  shard: [number, number];
  seq: number;
  socket: WebSocket | null;
  /** Sent while no socket was attached (or sent and not yet acknowledged): replayed on RESUME. */
  backlog: GatewayFrame[];
}

export interface GatewayLogEntry {
  dir: 'in' | 'out' | 'close';
  path: string;
  frame?: GatewayFrame;
  code?: number;
  at: number;
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Discord's 2,500: more guilds than this on one shard is closed with 4011. */
  maxGuildsPerShard?: number;
  /**
   * session_start_limit.max_concurrency, enforced when set: one IDENTIFY per 5 s per bucket
   * (shard id % max_concurrency); one sooner gets INVALID_SESSION, as on Discord.
   */
  identifyRateLimit?: { maxConcurrency: number };
  ready: () => { user: Record<string, unknown>; application: Record<string, unknown>; guilds: Array<Record<string, unknown>> };
}

export class FakeGateway {
  readonly log: GatewayLogEntry[] = [];
  readonly sessions = new Map<string, Session>();
  /** When true, RESUME is refused with INVALID_SESSION (as after Discord drops a session). */
  forgetSessions = false;
  /** When true (the default), a shard already connected, or a count other than the connected shards', is refused with 4010. */
  exclusiveShards = true;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private onChange: () => void = () => undefined;
  private sessionCounter = 0;
  /** IDENTIFYs accepted so far: GET /gateway/bot's session_start_limit.remaining counts down with them. */
  identifies = 0;
  /** IDENTIFYs answered with INVALID_SESSION because they came too soon after another in their bucket. */
  identifiesTooSoon = 0;
  private readonly lastIdentifyAt = new Map<number, number>();

  constructor(
    server: Server,
    private readonly baseUrl: () => string,
    private readonly options: GatewayOptions,
  ) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== '/gateway' && path !== '/resume') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req.url ?? path));
    });
  }

  /** Where IDENTIFY connects (from GET /gateway/bot) and where RESUME must connect (READY's resume_gateway_url). */
  get url(): string {
    return `${this.baseUrl().replace(/^http/, 'ws')}/gateway`;
  }

  get resumeUrl(): string {
    return `${this.baseUrl().replace(/^http/, 'ws')}/resume`;
  }

  watch(fn: () => void): void {
    this.onChange = fn;
  }

  /** Frames the client sent with this opcode. */
  received(op: number): GatewayFrame[] {
    return this.log.filter((e) => e.dir === 'in' && e.frame?.op === op).map((e) => e.frame!);
  }

  get connectedSockets(): number {
    return [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
  }

  /**
   * Sends an event to every session whose intents allow it and whose shard holds the event's
   * guild (DMs: shard 0); kept for replay where no socket is attached. Returns the sessions it went to.
   */
  dispatch(t: string, d: Record<string, unknown>): string[] {
    const need = requiredIntent(t, d);
    const guildId = typeof d.guild_id === 'string' ? d.guild_id : t.startsWith('GUILD_') && typeof d.id === 'string' ? d.id : undefined;
    const to: string[] = [];
    for (const session of this.sessions.values()) {
      if (need !== undefined && (session.intents & need) === 0) continue;
      const [shardId, count] = session.shard;
      if ((guildId === undefined ? 0 : guildShard(guildId, count)) !== shardId) continue;
      this.sendDispatch(session, t, d);
      to.push(session.id);
    }
    return to;
  }

  /** A session's [shard id, shard count], from its IDENTIFY. */
  shardOf(sessionId: string): [number, number] | undefined {
    return this.sessions.get(sessionId)?.shard;
  }

  /** Closes every socket from the server side, e.g. 4000 (unknown error: clients resume) or 1001. */
  closeAll(code = 4000, reason = 'fake gateway closing'): void {
    for (const s of this.sockets) s.close(code, reason);
  }

  /** Drops every connection without a close frame, as a network failure would. */
  terminateAll(): void {
    for (const s of this.sockets) s.terminate();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, path: string): void {
    this.sockets.add(ws);
    this.send(ws, path, { op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
    ws.on('message', (raw) => this.onFrame(ws, path, raw.toString()));
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      for (const session of this.sessions.values()) if (session.socket === ws) session.socket = null;
      this.log.push({ dir: 'close', path, code, at: Date.now() });
      this.onChange();
    });
  }

  private onFrame(ws: WebSocket, path: string, text: string): void {
    let frame: GatewayFrame;
    try {
      frame = JSON.parse(text) as GatewayFrame;
    } catch {
      ws.close(4002, 'Decode error');
      return;
    }
    this.log.push({ dir: 'in', path, frame, at: Date.now() });
    this.onChange();
    switch (frame.op) {
      case Op.Heartbeat:
        this.send(ws, path, { op: Op.HeartbeatAck, d: null, s: null, t: null });
        return;
      case Op.Identify:
        return this.identify(ws, path, frame.d as { token: string; intents: number; shard?: unknown });
      case Op.Resume:
        return this.resume(ws, path, frame.d as { token: string; session_id: string; seq: number });
      default:
        return; // presence updates and the like: accepted, ignored
    }
  }

  private identify(ws: WebSocket, path: string, d: { token: string; intents: number; shard?: unknown }): void {
    if (d.token !== this.options.token) {
      ws.close(CloseCode.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const shard = d.shard === undefined ? ([0, 1] as [number, number]) : d.shard;
    const refusal = this.shardRefusal(shard);
    if (refusal) {
      ws.close(refusal.code, refusal.reason);
      return;
    }
    const [shardId, count] = shard as [number, number];
    const ready = this.options.ready();
    const guilds = ready.guilds.filter((g) => guildShard(String(g.id), count) === shardId);
    if (guilds.length > (this.options.maxGuildsPerShard ?? 2500)) {
      ws.close(CloseCode.ShardingRequired, 'Sharding required.');
      return;
    }
    const limit = this.options.identifyRateLimit;
    if (limit) {
      const bucket = shardId % limit.maxConcurrency;
      const last = this.lastIdentifyAt.get(bucket);
      if (last !== undefined && Date.now() - last < IDENTIFY_WINDOW_MS) {
        this.identifiesTooSoon += 1;
        this.send(ws, path, { op: Op.InvalidSession, d: false, s: null, t: null });
        return;
      }
      this.lastIdentifyAt.set(bucket, Date.now());
    }
    this.identifies += 1;
    const session: Session = { id: `session-${++this.sessionCounter}`, intents: d.intents, shard: [shardId, count], seq: 0, socket: ws, backlog: [] };
    this.sessions.set(session.id, session);
    this.sendDispatch(session, 'READY', {
      v: 10,
      user: ready.user,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.resumeUrl,
      shard: [shardId, count],
      application: ready.application,
      private_channels: [],
      relationships: [],
      user_settings: {},
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
    });
    // Discord follows READY with a GUILD_CREATE per guild, when the Guilds intent is set.
    if (session.intents & Intent.Guilds) for (const g of guilds) this.sendDispatch(session, 'GUILD_CREATE', g);
  }

  /** Why an IDENTIFY's `shard` is refused (4010), or null. */
  private shardRefusal(shard: unknown): { code: number; reason: string } | null {
    const invalid = { code: CloseCode.InvalidShard, reason: 'Invalid shard.' };
    if (!Array.isArray(shard) || shard.length !== 2 || !shard.every((n) => Number.isInteger(n))) return invalid;
    const [id, count] = shard as [number, number];
    if (count < 1 || id < 0 || id >= count) return invalid;
    if (!this.exclusiveShards) return null;
    for (const other of this.sessions.values()) {
      if (!other.socket || other.socket.readyState !== WebSocket.OPEN) continue;
      if (other.shard[1] !== count || other.shard[0] === id) return invalid;
    }
    return null;
  }

  private resume(ws: WebSocket, path: string, d: { token: string; session_id: string; seq: number }): void {
    if (d.token !== this.options.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(d.session_id);
    if (!session || this.forgetSessions) {
      this.send(ws, path, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    session.socket = ws;
    for (const frame of session.backlog.filter((f) => (f.s ?? 0) > d.seq)) this.send(ws, path, frame);
    session.backlog = [];
    this.sendDispatch(session, 'RESUMED', {});
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    const frame: GatewayFrame = { op: Op.Dispatch, t, s: ++session.seq, d };
    if (session.socket && session.socket.readyState === WebSocket.OPEN) this.send(session.socket, 'session', frame);
    else session.backlog.push(frame);
  }

  private send(ws: WebSocket, path: string, frame: GatewayFrame): void {
    this.log.push({ dir: 'out', path, frame, at: Date.now() });
    ws.send(JSON.stringify(frame));
    this.onChange();
  }
}
