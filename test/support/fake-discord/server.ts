import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.ts';
import { guildCreatePayload, type FakeGuild } from './payloads.ts';
import { snowflake } from './snowflake.ts';

/*
 * A fake Discord on 127.0.0.1: the REST routes the bot uses and a gateway (./gateway.ts).
 * Every REST call is recorded; a call to a route it does not know is answered 404 and kept
 * in `unmatched`, which `assertNoUnmatched()` turns into a test failure.
 */

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, e.g. /channels/123/messages. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON body, or the payload_json of a multipart body. */
  body: any;
  files: Array<{ field: string; name: string; type: string; text: string; data: Buffer }>;
  status: number;
  at: number;
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * What `chaos` may do to a call: answer it instead of the route, or (`afterEffect`) let the
 * route do its work first and then answer this, as a platform does when it fails after
 * creating the message.
 */
export type Disruption = ScriptedResponse & { afterEffect?: boolean };

export interface FakeMessage {
  id: string;
  type: number;
  channel_id: string;
  guild_id?: string;
  author: Record<string, unknown>;
  content: string;
  embeds: any[];
  components: any[];
  attachments: any[];
  flags: number;
  allowed_mentions?: unknown;
  nonce?: string | number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: unknown[];
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  deleted?: boolean;
}

/** What the fake knows about one interaction it dispatched. */
export interface FakeInteraction {
  id: string;
  token: string;
  payload: Record<string, any>;
  dispatchedAt: number;
  /** The initial response: its type (4 reply, 5 defer, 7 update, 8 autocomplete) and data. */
  callback: { type: number; data: any; at: number } | null;
  original: FakeMessage | null;
  originalDeleted: boolean;
  followups: FakeMessage[];
  /** The gateway sessions INTERACTION_CREATE went to (one, the guild's shard, when all is well). */
  routedTo: string[];
}

/** The answer a person sees to a command, however it got there. */
export interface VisibleAnswer {
  via: 'reply' | 'deferred-edit' | 'deferred-followup';
  ephemeral: boolean;
  message: FakeMessage;
  interaction: FakeInteraction;
}

export const EPHEMERAL = 1 << 6;

export interface FakeDiscordOptions {
  token: string;
  appId: string;
  botName?: string;
  guilds: FakeGuild[];
  /** Discord's 3 s to answer an interaction; the fake enforces it (10062 after it). */
  interactionWindowMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * How long a nonce sent with enforce_nonce answers with the message it made. Discord keeps
   * it only "a few minutes"; unset, the fake keeps it forever.
   */
  nonceWindowMs?: number;
  /**
   * Discord's global limit: at most this many requests per second per bot token (50 for most
   * bots), answered 429 beyond it like Discord does (Retry-After, X-RateLimit-Global,
   * X-RateLimit-Scope: global, a JSON body with retry_after and global: true). A fixed one-second
   * window that opens at the first request after the last one closed, which is also how
   * @discordjs/rest counts its `globalRequestsPerSecond`. Interaction callbacks and webhooks
   * (no bot token) are outside it, as on Discord. Unset: no limit (the default for tests).
   */
  globalRequestsPerSecond?: number;
  /** What GET /gateway/bot recommends and allows (sharding); IDENTIFY's `shard` is honoured whatever this says. */
  gateway?: {
    /** Recommended shard count (default 1). */
    shards?: number;
    /** Sessions a day (default 1000); `remaining` counts down with each IDENTIFY. */
    sessionStartTotal?: number;
    /** IDENTIFYs allowed per 5 s, by shard id % max_concurrency (default 1). */
    maxConcurrency?: number;
    /** Enforce maxConcurrency: an IDENTIFY too soon in its bucket gets INVALID_SESSION (default off, so suites may reconnect freely). */
    enforceIdentifyRate?: boolean;
    /** More guilds than this on one shard: IDENTIFY is closed with 4011 (default 2500, as on Discord). */
    maxGuildsPerShard?: number;
  };
}

type Handler = (call: RecordedCall, params: string[]) => ScriptedResponse;

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly unmatched: RecordedCall[] = [];
  readonly interactions = new Map<string, FakeInteraction>();
  readonly messages = new Map<string, FakeMessage>();
  readonly gateway: FakeGateway;
  /** Registered application commands: 'global' or a guild id -> list. */
  readonly registered = new Map<string, any[]>();
  /** Channels where the bot may not post (answered 403 50013). */
  readonly forbiddenChannels = new Set<string>();
  /** Channels deleted while the bot runs (answered 404 10003, like any unknown channel). */
  readonly deletedChannels = new Set<string>();
  /** Direct-message channels the bot opened (POST /users/@me/channels): user id -> channel id. */
  readonly dmChannels = new Map<string, string>();
  /** Users who accept no direct messages from the bot (answered 403 50007, as Discord does). */
  readonly closedDms = new Set<string>();
  /**
   * Decides, per call, whether the platform misbehaves (429, 5xx, ...); undefined lets the
   * route answer. Consulted after `script()`'s one-shot answers.
   */
  chaos: ((call: RecordedCall) => Disruption | undefined) | null = null;
  /** Called with each answer just before it is written (a crash test kills the bot here). */
  beforeAnswer: ((call: RecordedCall, answer: ScriptedResponse) => void) | null = null;
  /** Milliseconds a request travels before it takes effect (a real platform is not instant); none by default. */
  latency: ((method: string, path: string) => number) | null = null;
  private readonly byChannel = new Map<string, FakeMessage[]>();
  private readonly scripted: Array<{ method: string; path: RegExp; response: ScriptedResponse; times: number }> = [];
  private readonly events = new EventEmitter();
  private readonly routes: Array<[string, RegExp, Handler]>;
  private port = 0;
  /** Requests answered 429 by the global limit. */
  rateLimited = 0;
  private globalWindow = { start: Number.NEGATIVE_INFINITY, count: 0 };

  private constructor(
    private readonly server: Server,
    readonly options: FakeDiscordOptions,
  ) {
    this.events.setMaxListeners(100);
    this.gateway = new FakeGateway(server, () => this.baseUrl, {
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      ...(options.gateway?.maxGuildsPerShard !== undefined && { maxGuildsPerShard: options.gateway.maxGuildsPerShard }),
      ...(options.gateway?.enforceIdentifyRate && { identifyRateLimit: { maxConcurrency: options.gateway.maxConcurrency ?? 1 } }),
      ready: () => ({
        user: this.botUser,
        application: { id: options.appId, flags: 0 },
        guilds: options.guilds.map((g) => guildCreatePayload(g, options.appId)),
      }),
    });
    this.gateway.watch(() => this.events.emit('change'));
    this.routes = this.buildRoutes();
  }

  static async start(options: FakeDiscordOptions): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What DISCORD_API_URL is set to: discord.js appends /v10. */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get botUser(): Record<string, unknown> {
    return { id: this.options.appId, username: this.options.botName ?? 'Paperboy', discriminator: '0', global_name: null, avatar: null, bot: true, public_flags: 0 };
  }

  /** The next `times` calls matching method and path get `response` instead of the route's answer. */
  script(method: string, path: RegExp, response: ScriptedResponse, times = 1): void {
    this.scripted.push({ method, path, response, times });
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  assertNoUnmatched(): void {
    if (this.unmatched.length > 0) {
      // Reported once: the next test starts clean.
      const list = this.unmatched.splice(0).map((c) => `${c.method} ${c.path}`).join(', ');
      throw new Error(`the bot called routes the fake Discord does not know: ${list}`);
    }
  }

  /** Dispatches an interaction over the gateway and starts its 3-second window. */
  interact(payload: Record<string, any>): FakeInteraction {
    const record: FakeInteraction = { id: payload.id, token: payload.token, payload, dispatchedAt: Date.now(), callback: null, original: null, originalDeleted: false, followups: [], routedTo: [] };
    this.interactions.set(record.id, record);
    record.routedTo = this.gateway.dispatch('INTERACTION_CREATE', payload);
    return record;
  }

  /**
   * Waits until `probe` returns something (re-checked on every REST call and gateway frame).
   * Fails with `what` after the timeout, so a missing answer names itself.
   */
  async waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 5000): Promise<T> {
    const first = probe();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | null | undefined | false;
        try {
          value = probe();
        } catch (e) {
          cleanup();
          reject(e);
          return;
        }
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 25);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.events.off('change', check);
      };
      this.events.on('change', check);
    });
  }

  /** The answer to a command as the person sees it: the reply, the edited deferral, or a private follow-up after one. */
  answerTo(interaction: FakeInteraction, timeoutMs?: number): Promise<VisibleAnswer> {
    return this.waitFor(`an answer to interaction ${interaction.id}`, () => visibleAnswer(interaction), timeoutMs);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const { body, files } = await parseBody(req.headers['content-type'], raw);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const delay = this.latency?.(req.method ?? 'GET', path) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body, files, status: 0, at: Date.now() };
    if (files.length > 0) describeAttachments(body?.type !== undefined && body?.data ? body.data : body, files);
    const limited = this.globalLimit(call);
    const response = limited ?? (url.pathname.startsWith('/api/v10/') ? this.route(call) : undefined);
    const answer = response ?? { status: 404, body: { message: '404: Not Found', code: 0 } };
    call.status = answer.status;
    this.calls.push(call);
    if (!response) this.unmatched.push(call);
    this.beforeAnswer?.(call, answer);
    const empty = answer.status === 204 || answer.body === undefined;
    res.writeHead(answer.status, { ...(!empty && { 'content-type': 'application/json' }), ...answer.headers });
    res.end(empty ? undefined : JSON.stringify(answer.body));
    this.events.emit('change');
  }

  /** A 429 when the call is over the bot's global limit (`globalRequestsPerSecond`), else undefined. */
  private globalLimit(call: RecordedCall): ScriptedResponse | undefined {
    const perSecond = this.options.globalRequestsPerSecond;
    if (perSecond === undefined || call.headers.authorization !== `Bot ${this.options.token}`) return undefined;
    const w = this.globalWindow;
    if (call.at >= w.start + 1000) {
      w.start = call.at;
      w.count = 0;
    }
    w.count += 1;
    if (w.count <= perSecond) return undefined;
    this.rateLimited += 1;
    // Whole milliseconds, in seconds as Discord writes them; discord.js reads the header.
    const retryAfter = Math.max(1, w.start + 1000 - call.at) / 1000;
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
      headers: { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
    };
  }

  private route(call: RecordedCall): ScriptedResponse | undefined {
    const scripted = this.scripted.find((s) => s.method === call.method && s.path.test(call.path) && s.times > 0);
    if (scripted) {
      scripted.times -= 1;
      return scripted.response;
    }
    const disruption = this.chaos?.(call);
    if (disruption && !disruption.afterEffect) return disruption;
    for (const [method, pattern, handler] of this.routes) {
      const m = method === call.method ? pattern.exec(call.path) : null;
      if (m) {
        const answer = handler(call, m.slice(1));
        return disruption ? { status: disruption.status, body: disruption.body, headers: disruption.headers } : answer;
      }
    }
    return undefined;
  }

  /** Messages in a channel, oldest first (deleted ones included, marked). */
  channelMessages(channelId: string): FakeMessage[] {
    return this.byChannel.get(channelId) ?? [];
  }

  /**
   * Puts a message in a channel as someone else would have posted it: another user or bot
   * (`author`), or an interaction reply (`webhook`).
   */
  seedMessage(channelId: string, data: { content?: string; embeds?: unknown[]; components?: unknown[] }, by: { author?: Record<string, unknown>; webhook?: boolean } = {}): FakeMessage {
    const guild = this.options.guilds.find((g) => g.channels.some((c) => c.id === channelId));
    const m = this.message(channelId, guild?.id, data, { webhook: by.webhook ?? false, loading: false });
    if (by.author) m.author = by.author;
    return m;
  }

  /** Forgets every call, message and scripted answer: one fake serves several trials of a suite. */
  reset(): void {
    this.calls.length = 0;
    this.unmatched.length = 0;
    this.messages.clear();
    this.byChannel.clear();
    this.deletedChannels.clear();
    this.forbiddenChannels.clear();
    this.dmChannels.clear();
    this.closedDms.clear();
    this.scripted.length = 0;
    this.chaos = null;
    this.beforeAnswer = null;
    this.rateLimited = 0;
    this.globalWindow = { start: Number.NEGATIVE_INFINITY, count: 0 };
    this.latency = null;
  }

  /** The channel is deleted: from now on Discord answers 10003 Unknown Channel for it. */
  deleteChannel(channelId: string): void {
    this.deletedChannels.add(channelId);
  }

  private buildRoutes(): Array<[string, RegExp, Handler]> {
    const bot = (h: Handler): Handler => (call, params) => (call.headers.authorization === `Bot ${this.options.token}` ? h(call, params) : unauthorized());
    return [
      ['GET', /^\/users\/@me$/, bot(() => ok(this.botUser))],
      ['GET', /^\/gateway\/bot$/, bot(() => ok(this.gatewayBot()))],
      ['GET', /^\/applications\/(\d+)\/commands$/, bot((_c, [app]) => this.listCommands(app!, 'global'))],
      ['PUT', /^\/applications\/(\d+)\/commands$/, bot((c, [app]) => this.putCommands(app!, 'global', c.body))],
      ['GET', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, bot((_c, [app, guild]) => this.listCommands(app!, guild!))],
      ['PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, bot((c, [app, guild]) => this.putCommands(app!, guild!, c.body))],
      ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (c, [id, token]) => this.interactionCallback(c, id!, token!)],
      ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, (_c, [app, token]) => this.withOriginal(app!, token!, (i) => ok(i.original))],
      ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, (c, [app, token]) => this.withOriginal(app!, token!, (i) => ok(edit(i.original!, c.body)))],
      [
        'DELETE',
        /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
        (_c, [app, token]) =>
          this.withOriginal(app!, token!, (i) => {
            i.originalDeleted = true;
            i.original!.deleted = true;
            return { status: 204 };
          }),
      ],
      ['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (c, [app, token]) => this.followUp(c, app!, token!)],
      ['POST', /^\/users\/@me\/channels$/, bot((c) => this.openDm(c))],
      ['POST', /^\/channels\/(\d+)\/messages$/, bot((c, [channel]) => this.createMessage(c, channel!))],
      ['GET', /^\/channels\/(\d+)\/messages$/, bot((c, [channel]) => this.listMessages(c, channel!))],
      ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, bot((_c, [channel, id]) => this.withMessage(channel!, id!, (m) => ok(m)))],
      ['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, bot((c, [channel, id]) => this.withMessage(channel!, id!, (m) => ok(edit(m, c.body))))],
    ];
  }

  /** GET /gateway/bot: where to connect, the recommended shard count, and how many sessions may still start. */
  private gatewayBot(): Record<string, unknown> {
    const g = this.options.gateway ?? {};
    const total = g.sessionStartTotal ?? 1000;
    return {
      url: this.gateway.url,
      shards: g.shards ?? 1,
      session_start_limit: { total, remaining: Math.max(0, total - this.gateway.identifies), reset_after: 14_400_000, max_concurrency: g.maxConcurrency ?? 1 },
    };
  }

  private listCommands(app: string, scope: string): ScriptedResponse {
    if (app !== this.options.appId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    return ok(this.registered.get(scope) ?? []);
  }

  private putCommands(app: string, scope: string, body: any[]): ScriptedResponse {
    if (app !== this.options.appId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    // Discord answers with the stored commands: ids, version and defaults filled in.
    const stored = body.map((c) => ({
      id: snowflake(),
      application_id: app,
      version: snowflake(),
      type: 1,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...(scope !== 'global' && { guild_id: scope }),
      ...c,
      default_member_permissions: c.default_member_permissions ?? null,
      options: (c.options ?? []).map(storedOption),
    }));
    this.registered.set(scope, stored);
    return ok(stored);
  }

  private interactionCallback(call: RecordedCall, id: string, token: string): ScriptedResponse {
    const i = this.interactions.get(id);
    if (!i || i.token !== token || Date.now() - i.dispatchedAt > (this.options.interactionWindowMs ?? 3000)) {
      return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    }
    if (i.callback) return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    const { type, data } = call.body as { type: number; data?: any };
    i.callback = { type, data: data ?? null, at: Date.now() };
    if (type === 4 || type === 5) {
      i.original = this.message(i.payload.channel.id, i.payload.guild_id, data ?? {}, { webhook: true, loading: type === 5 });
    } else if (type === 7) {
      const target = this.messages.get(i.payload.message.id);
      if (target) edit(target, data ?? {});
    }
    const withResponse = call.query.get('with_response') === 'true';
    return withResponse ? ok({ interaction: { id, type: i.payload.type }, resource: { type, message: i.original } }) : { status: 204 };
  }

  private withOriginal(app: string, token: string, then: (i: FakeInteraction) => ScriptedResponse): ScriptedResponse {
    const i = [...this.interactions.values()].find((x) => x.token === token);
    if (app !== this.options.appId || !i || !i.original || i.originalDeleted) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    return then(i);
  }

  private followUp(call: RecordedCall, app: string, token: string): ScriptedResponse {
    const i = [...this.interactions.values()].find((x) => x.token === token);
    if (app !== this.options.appId || !i || !i.callback) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    const m = this.message(i.payload.channel.id, i.payload.guild_id, call.body ?? {}, { webhook: true, loading: false });
    i.followups.push(m);
    return ok(m);
  }

  private guildOf(channelId: string): FakeGuild | undefined {
    if (this.deletedChannels.has(channelId)) return undefined;
    return this.options.guilds.find((g) => g.channels.some((c) => c.id === channelId));
  }

  /** Direct messages the bot sent a user, oldest first. */
  directMessagesTo(userId: string): FakeMessage[] {
    const channel = this.dmChannels.get(userId);
    return channel ? this.channelMessages(channel) : [];
  }

  /** Create DM: the same channel for the same recipient, as Discord answers. */
  private openDm(call: RecordedCall): ScriptedResponse {
    const recipient = String(call.body?.recipient_id ?? '');
    if (!/^\d{5,20}$/.test(recipient)) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    let id = this.dmChannels.get(recipient);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(recipient, id);
    }
    return ok({ id, type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipient, username: `user${recipient.slice(-4)}`, discriminator: '0', global_name: null, avatar: null }] });
  }

  private dmRecipient(channelId: string): string | undefined {
    for (const [user, channel] of this.dmChannels) if (channel === channelId) return user;
    return undefined;
  }

  private createMessage(call: RecordedCall, channelId: string): ScriptedResponse {
    const dmTo = this.dmRecipient(channelId);
    if (dmTo !== undefined && this.closedDms.has(dmTo)) return { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } };
    const guild = dmTo !== undefined ? { id: undefined } : this.guildOf(channelId);
    if (!guild) return UNKNOWN_CHANNEL;
    if (this.forbiddenChannels.has(channelId)) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    const body = call.body ?? {};
    if (body.enforce_nonce && body.nonce !== undefined) {
      // Discord answers a repeated nonce with the message it made, but only for a few minutes.
      const since = Date.now() - (this.options.nonceWindowMs ?? Number.POSITIVE_INFINITY);
      const existing = this.channelMessages(channelId).find((m) => m.nonce === body.nonce && Date.parse(m.timestamp) >= since);
      if (existing) return ok(existing);
    }
    return ok(this.message(channelId, guild.id, body, { webhook: false, loading: false }));
  }

  /** GET /channels/{id}/messages: newest first, `limit` 1-100 (default 50), `before` / `after` a message id. */
  private listMessages(call: RecordedCall, channelId: string): ScriptedResponse {
    if (!this.guildOf(channelId) && this.dmRecipient(channelId) === undefined) return UNKNOWN_CHANNEL;
    const limit = Number(call.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    const before = call.query.get('before');
    const after = call.query.get('after');
    const newestFirst = this.channelMessages(channelId)
      .filter((m) => !m.deleted && (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)))
      .reverse();
    // Like Discord, the nonce is not part of a fetched message.
    return ok(newestFirst.slice(0, limit).map(({ nonce: _nonce, ...m }) => m));
  }

  private withMessage(channelId: string, id: string, then: (m: FakeMessage) => ScriptedResponse): ScriptedResponse {
    const m = this.messages.get(id);
    if (!m || m.channel_id !== channelId || m.deleted) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    return then(m);
  }

  private message(channelId: string, guildId: string | undefined, data: any, how: { webhook: boolean; loading: boolean }): FakeMessage {
    const m: FakeMessage = {
      id: snowflake(),
      type: how.webhook ? 20 : 0,
      channel_id: channelId,
      ...(guildId && { guild_id: guildId }),
      author: this.botUser,
      content: data.content ?? '',
      embeds: data.embeds ?? [],
      components: data.components ?? [],
      attachments: (data.attachments ?? []).map((a: any) => ({ ...a, id: snowflake(), url: `${this.baseUrl}/attachments/${a.filename}` })),
      // 128 = LOADING: "Paperboy is thinking…" until the deferred reply is edited.
      flags: (data.flags ?? 0) | (how.loading ? 128 : 0),
      ...(data.allowed_mentions && { allowed_mentions: data.allowed_mentions }),
      ...(data.nonce !== undefined && { nonce: data.nonce }),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      ...(how.webhook && { webhook_id: this.options.appId, application_id: this.options.appId }),
    };
    this.messages.set(m.id, m);
    const inChannel = this.byChannel.get(channelId);
    if (inChannel) inChannel.push(m);
    else this.byChannel.set(channelId, [m]);
    return m;
  }
}

const UNKNOWN_CHANNEL: ScriptedResponse = { status: 404, body: { message: 'Unknown Channel', code: 10003 } };

function ok(body: unknown): ScriptedResponse {
  return { status: 200, body };
}

function unauthorized(): ScriptedResponse {
  return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
}

function edit(m: FakeMessage, data: any): FakeMessage {
  for (const key of ['content', 'embeds', 'components', 'allowed_mentions'] as const) if (data[key] !== undefined) (m as any)[key] = data[key];
  if (data.attachments !== undefined) m.attachments = data.attachments;
  m.flags &= ~128;
  m.edited_timestamp = new Date().toISOString();
  return m;
}

function storedOption(o: any): any {
  return { ...o, ...(o.options && { options: o.options.map(storedOption) }) };
}

function visibleAnswer(i: FakeInteraction): VisibleAnswer | null {
  if (!i.callback || !i.original) return null;
  if (i.callback.type === 4) return { via: 'reply', ephemeral: (i.original.flags & EPHEMERAL) !== 0, message: i.original, interaction: i };
  if (i.callback.type !== 5) return null;
  if (i.originalDeleted) {
    const f = i.followups[0];
    return f ? { via: 'deferred-followup', ephemeral: (f.flags & EPHEMERAL) !== 0, message: f, interaction: i } : null;
  }
  if (i.original.edited_timestamp) return { via: 'deferred-edit', ephemeral: (i.original.flags & EPHEMERAL) !== 0, message: i.original, interaction: i };
  return null;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Like Discord: each uploaded file (`files[n]`) becomes an attachment of the message; payload_json's
 * `attachments` (entries `{id: n}`) describe them, or are made from the files when absent.
 */
function describeAttachments(message: any, files: RecordedCall['files']): void {
  if (!message || typeof message !== 'object') return;
  const byIndex = new Map(files.map((f, i) => [/^files\[(\d+)\]$/.exec(f.field)?.[1] ?? String(i), f]));
  const listed: any[] = Array.isArray(message.attachments) ? message.attachments : [...byIndex.keys()].map((id) => ({ id }));
  message.attachments = listed.map((a) => {
    const f = byIndex.get(String(a.id));
    return f ? { ...a, filename: a.filename ?? f.name, size: f.data.length, content_type: f.type } : a;
  });
}

async function parseBody(contentType: string | undefined, raw: Buffer): Promise<{ body: any; files: RecordedCall['files'] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    // discord.js sends files as multipart: the message in payload_json, each file as files[n].
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedCall['files'] = [];
    let body: any;
    for (const [field, value] of form.entries()) {
      if (field === 'payload_json') body = JSON.parse(String(value));
      else if (typeof value !== 'string') {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, type: value.type, text: data.toString('utf8'), data });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}
