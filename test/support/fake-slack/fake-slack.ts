import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack Web API on 127.0.0.1, for driving the real WebClient / Bolt App.
 *
 * - Records every call (method, parsed params, token, time) and every response_url post.
 * - Implements the methods Paperboy uses with Slack's shapes: auth.test, chat.postMessage (to a
 *   channel, or to a user id: the app's DM with them, `directMessagesTo()`),
 *   chat.update, users.info, conversations.history (with message metadata, oldest/latest
 *   and cursor paging), conversations.replies (a thread, parent first, cursor paging),
 *   apps.connections.open (Socket Mode; the url is whatever `socketUrl` is set to).
 * - OAuth installs (`oauthApp`, `grantCode`): oauth.v2.access checks the app's client id and
 *   secret (HTTP Basic auth, or the client_id / client_secret fields, as Slack accepts both),
 *   trades a one-time code for a new bot token of that code's workspace, and from then on
 *   auth.test answers each token with its own workspace; `revokeToken` is the uninstall.
 *   apps.connections.open (Socket Mode; the url is whatever `socketUrl` is set to), and file
 *   uploads as filesUploadV2 makes them: files.getUploadURLExternal, a multipart POST of the
 *   bytes to the upload_url it gives, files.completeUploadExternal (shares the file in a channel).
 * - With `scopes` set, every answer carries them in `x-oauth-scopes` (as Slack's do), and the
 *   files methods answer `missing_scope` without files:write.
 * - Any other method is answered `unknown_method` and listed in `unmatched`; `assertClean()`
 *   (call it in afterEach) fails the test naming it.
 * - `script(method, ...steps)` queues one-shot behaviours: a 429 with Retry-After, an HTTP
 *   status, a Slack error such as not_in_channel, or a response lost after the call took
 *   effect (the connection is cut). `chaos` decides the same per call (storms), and
 *   `beforeAnswer` sees each answer before it is written (a crash test kills the bot there).
 */

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token: string | null;
  at: number;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeUser {
  id: string;
  team_id: string;
  name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_bot?: boolean;
  is_stranger?: boolean;
  enterprise_user?: { enterprise_id: string };
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  thread_ts?: string;
  user: string;
  bot_id: string;
  /** A file shared in the channel (files.completeUploadExternal). */
  files?: Array<{ id: string; name: string; title: string }>;
}

/** A file as uploaded through files.getUploadURLExternal and its upload URL. */
export interface FakeUpload {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  alt_text?: string;
  /** The bytes POSTed to the upload URL (null until then). */
  data: Buffer | null;
  /** Set by files.completeUploadExternal. */
  completed: { title: string; channel?: string; thread_ts?: string } | null;
}

export type ScriptStep =
  /** Answer HTTP 429 with this Retry-After (seconds). */
  | { rateLimit: number }
  /** Answer with this HTTP status and a plain body; with `afterEffect`, after doing what the method does. */
  | { status: number; afterEffect?: boolean }
  /** Answer 200 `{ok:false, error}`. */
  | { error: string }
  /** Do what the method does, then cut the connection without answering. */
  | { lose: true };

export interface FakeSlackOptions {
  token?: string;
  /** Extra tokens accepted (e.g. an app-level token for apps.connections.open). */
  otherTokens?: string[];
  teamId?: string;
  enterpriseId?: string;
  botUserId?: string;
  botId?: string;
  /** Where message timestamps come from (ms); by default a counter from 2026-08-17. */
  now?: () => number;
  /**
   * Slack's chat.postMessage limit, "1 message per second to a channel, with limited bursts":
   * a token bucket per channel refilled at this many messages per second. Beyond it the post is
   * refused with HTTP 429 and a whole-second Retry-After (what the WebClient reads). Unset: no limit.
   */
  postsPerChannelPerSecond?: number;
  /**
   * The bucket's size, i.e. the burst a quiet channel takes at once. Slack does not publish it;
   * 2 (one message beyond the steady rate) lets a sender that spaces its posts one second apart
   * absorb the jitter of the network without being refused. Default 2.
   */
  postBurst?: number;
  /** The token's scopes, sent in `x-oauth-scopes` on every answer; unset: no header, and uploads need no scope. */
  scopes?: string[];
}

type Handler = (params: Record<string, unknown>, token: string | null) => Record<string, unknown>;

/** A workspace that installed the app through OAuth (`grantCode`): its team and bot user. */
export interface FakeWorkspace {
  teamId: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
}

class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly unmatched: string[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly messages = new Map<string, StoredMessage[]>();
  /** Channels whose posts fail with this Slack error (e.g. not_in_channel). */
  readonly channelErrors = new Map<string, string>();
  /** Files by id, as uploaded. */
  readonly uploads = new Map<string, FakeUpload>();
  /** The token's scopes (x-oauth-scopes); tests may change them between calls. */
  scopes: string[] | undefined;
  /** What apps.connections.open hands out (Socket Mode tests set it). */
  socketUrl: string | null = null;
  /** Decides, per call, whether Slack misbehaves; consulted when no scripted step is queued. */
  chaos: ((call: RecordedCall) => ScriptStep | undefined) | null = null;
  /** Called with each answer (status and body) just before it is written. */
  beforeAnswer: ((call: RecordedCall, status: number, body: unknown) => void) | null = null;
  /** Milliseconds a call travels before it takes effect (a real platform is not instant); none by default. */
  latency: ((call: RecordedCall) => number) | null = null;
  /** The Slack app's OAuth credentials, which oauth.v2.access demands; unset, it refuses every exchange. */
  oauthApp: { clientId: string; clientSecret: string; appId?: string } | null = null;
  /** Bot tokens issued by oauth.v2.access, with their workspace. */
  readonly installed = new Map<string, Required<FakeWorkspace>>();
  private readonly codes = new Map<string, Required<FakeWorkspace>>();
  private readonly revoked = new Set<string>();
  private issued = 0;

  readonly token: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  private readonly tokens: Set<string>;
  private readonly enterpriseId: string | undefined;
  private readonly scripts = new Map<string, ScriptStep[]>();
  private readonly handlers: Record<string, Handler>;
  private tsCounter = 0;
  private lastMicros = 0n;
  private readonly now: (() => number) | undefined;
  private server!: Server;
  private port = 0;
  /** chat.postMessage calls answered 429 by the per-channel limit. */
  rateLimited = 0;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly postLimit: { perSecond: number; burst: number } | null;

  private constructor(opts: FakeSlackOptions) {
    this.token = opts.token ?? 'xoxb-fake-token';
    this.tokens = new Set([this.token, ...(opts.otherTokens ?? [])]);
    this.teamId = opts.teamId ?? 'T111';
    this.enterpriseId = opts.enterpriseId;
    this.botUserId = opts.botUserId ?? 'UBOT';
    this.botId = opts.botId ?? 'BBOT';
    this.now = opts.now;
    this.scopes = opts.scopes;
    this.postLimit = opts.postsPerChannelPerSecond ? { perSecond: opts.postsPerChannelPerSecond, burst: opts.postBurst ?? 2 } : null;
    this.handlers = {
      'auth.test': (_p, token) => {
        const ws = token ? this.installed.get(token) : undefined;
        if (ws) return { url: `https://${ws.teamId.toLowerCase()}.slack.com/`, team: ws.teamName, user: 'paperboy', team_id: ws.teamId, user_id: ws.botUserId, bot_id: ws.botId, is_enterprise_install: false };
        return {
          url: 'https://fake-workspace.slack.com/',
          team: 'Fake Workspace',
          user: 'paperboy',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          ...(this.enterpriseId ? { enterprise_id: this.enterpriseId } : {}),
          is_enterprise_install: false,
        };
      },
      'chat.postMessage': (p) => this.postMessage(p),
      'chat.update': (p) => this.updateMessage(p),
      'users.info': (p) => {
        const user = this.users.get(String(p.user));
        if (!user) throw new SlackApiError('user_not_found');
        return { user: { deleted: false, is_admin: false, is_owner: false, is_primary_owner: false, is_restricted: false, is_ultra_restricted: false, is_bot: false, ...user } };
      },
      'conversations.history': (p) => this.history(p),
      'conversations.replies': (p) => this.replies(p),
      'files.getUploadURLExternal': (p) => {
        this.needScope('files:write');
        const length = Number(p.length);
        if (!p.filename || !Number.isInteger(length) || length <= 0) throw new SlackApiError('invalid_arguments');
        const id = `F${String(this.uploads.size + 1).padStart(8, '0')}`;
        this.uploads.set(id, { id, filename: String(p.filename), length, ...(p.alt_text ? { alt_text: String(p.alt_text) } : {}), data: null, completed: null });
        return { upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      },
      'files.completeUploadExternal': (p) => this.completeUploads(p),
      'apps.connections.open': () => {
        if (!this.socketUrl) throw new SlackApiError('socket_mode_not_enabled');
        return { url: this.socketUrl };
      },
    };
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** For SLACK_API_URL / clientOptions.slackApiUrl (trailing slash included, as the WebClient needs). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url that records what is posted to it under `id`. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(id)}`;
  }

  /** A one-time code, as Slack appends to the redirect after someone approves the install in `workspace`. */
  grantCode(code: string, workspace: FakeWorkspace): void {
    this.codes.set(code, { teamName: `Workspace ${workspace.teamId}`, botUserId: `UBOT${workspace.teamId}`, botId: `BBOT${workspace.teamId}`, ...workspace });
  }

  /** The app was uninstalled: the token stops working (Slack answers token_revoked). */
  revokeToken(token: string): void {
    this.installed.delete(token);
    this.tokens.delete(token);
    this.revoked.add(token);
  }

  /** The bot token most recently issued to a workspace. */
  tokenOf(teamId: string): string | undefined {
    return [...this.installed].filter(([, ws]) => ws.teamId === teamId).at(-1)?.[0];
  }

  script(method: string, ...steps: ScriptStep[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...steps]);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): RecordedResponse[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Messages in a channel, oldest first. */
  channel(id: string): StoredMessage[] {
    return this.messages.get(id) ?? [];
  }

  /** Puts a message in a channel as if the bot had posted it earlier. */
  seedMessage(channel: string, m: Partial<StoredMessage> = {}): StoredMessage {
    const msg: StoredMessage = { ts: this.nextTs(), channel, text: '', blocks: undefined, metadata: undefined, user: this.botUserId, bot_id: this.botId, ...m };
    this.messages.set(channel, [...this.channel(channel), msg]);
    return msg;
  }

  /** Resolves with `probe()`'s first non-undefined value, polling; fails after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined | null | false, what = 'condition', timeoutMs = 5_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined && v !== null && v !== false) return v;
      if (Date.now() > until) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Forgets every call, message and scripted step: one fake serves several trials of a suite. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.unmatched.length = 0;
    this.messages.clear();
    this.channelErrors.clear();
    this.uploads.clear();
    this.scripts.clear();
    this.chaos = null;
    this.beforeAnswer = null;
    this.rateLimited = 0;
    this.buckets.clear();
    this.latency = null;
  }

  /** Fails loudly if the code under test called a method the fake doesn't know. */
  assertClean(): void {
    if (this.unmatched.length > 0) {
      throw new Error(`fake Slack got calls to methods it does not implement: ${[...new Set(this.unmatched)].join(', ')}`);
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const upload = /^\/upload\/(F\d+)$/.exec(url.pathname);
    if (req.method === 'POST' && upload) {
      // Like files.slack.com: the bytes as a raw body or a multipart form (the WebClient sends a form with one file).
      const file = this.uploads.get(upload[1]!);
      const data = await uploadedBytes(bytes, req.headers['content-type']);
      if (!file || data === null) {
        res.writeHead(404).end();
        return;
      }
      file.data = data;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${data.length}`);
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      this.responses.push({ id: decodeURIComponent(url.pathname.slice('/response/'.length)), body: JSON.parse(raw || '{}'), at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const m = /^\/api\/([a-zA-Z0-9.]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) {
      this.unmatched.push(`${req.method} ${url.pathname}`);
      res.writeHead(404).end();
      return;
    }
    const method = m[1]!;
    const params = parseParams(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof params.token === 'string' ? params.token : null;
    const call: RecordedCall = { method, params, token, at: Date.now() };
    this.calls.push(call);
    const delay = this.latency?.(call) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.beforeAnswer?.(call, status, body);
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const scopes = this.scopes ? { 'x-oauth-scopes': this.scopes.join(',') } : {};
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...scopes, ...headers }).end(text);
    };

    const step = this.scripts.get(method)?.shift() ?? this.chaos?.(call);
    if (step && 'rateLimit' in step) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(step.rateLimit) });
    if (step && 'status' in step && !step.afterEffect) return answer(step.status, 'fake failure');
    if (step && 'error' in step) return answer(200, { ok: false, error: step.error });

    if (method === 'oauth.v2.access') return answer(200, this.oauthAccess(params, auth));
    const handler = this.handlers[method];
    if (!handler) {
      this.unmatched.push(method);
      return answer(200, { ok: false, error: 'unknown_method' });
    }
    if (token && this.revoked.has(token)) return answer(200, { ok: false, error: 'token_revoked' });
    if (!token || !this.tokens.has(token)) return answer(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    const wait = method === 'chat.postMessage' ? this.postWait(String(params.channel ?? ''), Date.now()) : 0;
    if (wait > 0) {
      this.rateLimited += 1;
      return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
    }
    let body: Record<string, unknown>;
    try {
      body = { ok: true, ...handler(params, token) };
    } catch (e) {
      if (!(e instanceof SlackApiError)) throw e;
      body = { ok: false, error: e.error };
    }
    if (step && 'lose' in step) {
      req.socket.destroy();
      return;
    }
    if (step && 'status' in step) return answer(step.status, 'fake failure');
    answer(200, body);
  }

  /**
   * Like Slack's oauth.v2.access: the app authenticates with its client id and secret (Basic
   * auth preferred; form fields accepted), the code is single-use, and the answer carries a
   * new bot token for the code's workspace.
   */
  private oauthAccess(p: Record<string, unknown>, authorization: string | undefined): Record<string, unknown> {
    let id = typeof p.client_id === 'string' ? p.client_id : undefined;
    let secret = typeof p.client_secret === 'string' ? p.client_secret : undefined;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
    if (!this.oauthApp || !id) return { ok: false, error: 'invalid_client_id' };
    if (id !== this.oauthApp.clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== this.oauthApp.clientSecret) return { ok: false, error: 'bad_client_secret' };
    const ws = this.codes.get(String(p.code ?? ''));
    if (!ws) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(p.code));
    const token = `xoxb-${ws.teamId}-${++this.issued}-fake`;
    this.installed.set(token, ws);
    this.tokens.add(token);
    return {
      ok: true,
      app_id: this.oauthApp.appId ?? 'A0PAPERBOY',
      authed_user: { id: `UINSTALLER${ws.teamId}` },
      scope: 'commands,chat:write,users:read,channels:history,groups:history,reactions:read',
      token_type: 'bot',
      access_token: token,
      bot_user_id: ws.botUserId,
      team: { id: ws.teamId, name: ws.teamName },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  /** Slack's answer to a call the token lacks the scope for. */
  private needScope(scope: string): void {
    if (this.scopes && !this.scopes.includes(scope)) throw new SlackApiError('missing_scope');
  }

  /** files.completeUploadExternal: every file must have been uploaded whole; with channel_id, one message shares them. */
  private completeUploads(p: Record<string, unknown>): Record<string, unknown> {
    this.needScope('files:write');
    const list = (Array.isArray(p.files) ? p.files : []) as Array<{ id?: string; title?: string }>;
    if (list.length === 0) throw new SlackApiError('invalid_arguments');
    const files = list.map((f) => {
      const file = f.id ? this.uploads.get(f.id) : undefined;
      if (!file || !file.data || file.data.length !== file.length) throw new SlackApiError('file_not_found');
      return { file, title: f.title ?? file.filename };
    });
    const channel = typeof p.channel_id === 'string' ? p.channel_id : undefined;
    if (channel) {
      const failure = this.channelErrors.get(channel);
      if (failure) throw new SlackApiError(failure);
      this.seedMessage(channel, {
        text: typeof p.initial_comment === 'string' ? p.initial_comment : '',
        files: files.map(({ file, title }) => ({ id: file.id, name: file.filename, title })),
        ...(typeof p.thread_ts === 'string' ? { thread_ts: p.thread_ts } : {}),
      });
    }
    for (const { file, title } of files) file.completed = { title, ...(channel ? { channel } : {}), ...(typeof p.thread_ts === 'string' ? { thread_ts: p.thread_ts } : {}) };
    return { files: files.map(({ file, title }) => ({ id: file.id, title, name: file.filename })) };
  }

  /** 0 when the channel's bucket has a message to spend (spending it), else the whole seconds to wait. */
  private postWait(channel: string, at: number): number {
    if (!this.postLimit) return 0;
    const { perSecond, burst } = this.postLimit;
    const b = this.buckets.get(channel) ?? { tokens: burst, at };
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, at - b.at) / 1000) * perSecond);
    b.at = at;
    this.buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }

  private nextTs(): string {
    this.tsCounter++;
    if (!this.now) return `${1_787_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
    // Like Slack: the time of posting in microseconds, unique and increasing.
    const micros = BigInt(Math.floor(this.now() * 1000));
    this.lastMicros = micros > this.lastMicros ? micros : this.lastMicros + 1n;
    const text = this.lastMicros.toString();
    return `${text.slice(0, -6)}.${text.slice(-6)}`;
  }

  /** The app's direct-message conversation with a user (what a post to a user id lands in), e.g. `DU123`. */
  dmChannelOf(userId: string): string {
    return `D${userId}`;
  }

  /** Direct messages the bot sent a user, oldest first. */
  directMessagesTo(userId: string): StoredMessage[] {
    return this.channel(this.dmChannelOf(userId));
  }

  private postMessage(p: Record<string, unknown>): Record<string, unknown> {
    const asked = String(p.channel ?? '');
    if (!asked) throw new SlackApiError('channel_not_found');
    // Like Slack: a user id as the channel posts in the app's DM with that user (its Messages tab),
    // and the answer names the DM conversation. A user the fake does not know does not exist.
    const toUser = /^[UW][A-Z0-9]+$/.test(asked);
    if (toUser && this.users.size > 0 && !this.users.has(asked)) throw new SlackApiError('user_not_found');
    const userFailure = toUser ? this.channelErrors.get(asked) : undefined;
    if (userFailure) throw new SlackApiError(userFailure);
    const channel = toUser ? this.dmChannelOf(asked) : asked;
    const failure = this.channelErrors.get(channel);
    if (failure) throw new SlackApiError(failure);
    if (!p.text && !p.blocks) throw new SlackApiError('no_text');
    const msg = this.seedMessage(channel, {
      text: String(p.text ?? ''),
      blocks: p.blocks as unknown[] | undefined,
      metadata: p.metadata as StoredMessage['metadata'],
      ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
    });
    return { channel, ts: msg.ts, message: messageView(msg, true) };
  }

  private updateMessage(p: Record<string, unknown>): Record<string, unknown> {
    const channel = String(p.channel ?? '');
    const msg = this.channel(channel).find((x) => x.ts === p.ts);
    if (!msg) throw new SlackApiError('message_not_found');
    if (p.text !== undefined) msg.text = String(p.text);
    if (p.blocks !== undefined) msg.blocks = p.blocks as unknown[];
    return { channel, ts: msg.ts, text: msg.text, message: messageView(msg, false) };
  }

  private history(p: Record<string, unknown>): Record<string, unknown> {
    const channel = String(p.channel ?? '');
    const failure = this.channelErrors.get(channel);
    if (failure) throw new SlackApiError(failure);
    const oldest = p.oldest !== undefined ? Number(p.oldest) : 0;
    const latest = p.latest !== undefined ? Number(p.latest) : Infinity;
    // Like Slack: at most 999 a page; the cursor (opaque to the client) continues below the last message returned.
    const limit = Math.min(p.limit !== undefined ? Number(p.limit) : 100, 999);
    const below = typeof p.cursor === 'string' && p.cursor ? Number(Buffer.from(p.cursor, 'base64url').toString('utf8').replace(/^before:/, '')) : Infinity;
    if (Number.isNaN(below)) throw new SlackApiError('invalid_cursor');
    const withMeta = p.include_all_metadata === true || p.include_all_metadata === 'true';
    // Like Slack: thread replies are not part of the channel's history.
    const newestFirst = [...this.channel(channel)]
      .reverse()
      .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest && Number(m.ts) < below && (!m.thread_ts || m.thread_ts === m.ts));
    return pageOf(newestFirst, limit, 'before', withMeta);
  }

  /**
   * Like Slack: `ts` may be a thread's parent or any message in it (or a message with no
   * thread, which comes back alone); the parent comes first, then the replies, oldest first.
   */
  private replies(p: Record<string, unknown>): Record<string, unknown> {
    const channel = String(p.channel ?? '');
    const failure = this.channelErrors.get(channel);
    if (failure) throw new SlackApiError(failure);
    const asked = this.channel(channel).find((m) => m.ts === String(p.ts ?? ''));
    if (!asked) throw new SlackApiError('thread_not_found');
    const root = asked.thread_ts ?? asked.ts;
    const limit = Math.min(p.limit !== undefined ? Number(p.limit) : 1000, 1000);
    const after = typeof p.cursor === 'string' && p.cursor ? Number(Buffer.from(p.cursor, 'base64url').toString('utf8').replace(/^after:/, '')) : -Infinity;
    if (Number.isNaN(after)) throw new SlackApiError('invalid_cursor');
    const withMeta = p.include_all_metadata === true || p.include_all_metadata === 'true';
    const thread = this.channel(channel).filter((m) => (m.ts === root || m.thread_ts === root) && Number(m.ts) > after);
    return pageOf(thread, limit, 'after', withMeta);
  }
}

/** One page of `messages` as Slack answers it; the cursor (opaque to the client) continues `before` / `after` the last one given. */
function pageOf(messages: StoredMessage[], limit: number, direction: 'before' | 'after', withMeta: boolean): Record<string, unknown> {
  const page = messages.slice(0, limit);
  const hasMore = messages.length > limit;
  return {
    messages: page.map((m) => messageView(m, withMeta)),
    has_more: hasMore,
    ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(`${direction}:${page.at(-1)!.ts}`).toString('base64url') } } : {}),
  };
}

function messageView(m: StoredMessage, withMeta: boolean): Record<string, unknown> {
  return {
    type: 'message',
    ts: m.ts,
    text: m.text,
    user: m.user,
    bot_id: m.bot_id,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.files ? { files: m.files } : {}),
    ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The file in an upload: the one file part of a multipart form, else the raw body; null for a form without a file. */
async function uploadedBytes(body: Buffer, contentType: string | undefined): Promise<Buffer | null> {
  if (!contentType?.startsWith('multipart/form-data')) return body;
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  for (const [, value] of form.entries()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return null;
}

/** The WebClient posts form fields, with objects and arrays as JSON strings; some callers post JSON. */
function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? tryJson(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
