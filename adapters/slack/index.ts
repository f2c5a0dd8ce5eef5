import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpsRoute } from '../../src/ops/http.ts';
import { App, webApi } from '@slack/bolt';
import type { Config } from '../../src/config.ts';
import { describeError } from '../../src/domain/errors.ts';
import type { HttpHandler } from '../../src/feeds/http.ts';
import type { AdapterDeps, PlatformAdapter } from '../types.ts';
import { boltLogger } from './bolt-logger.ts';
import { CALL_RETRY, clientOptions, createClient, POST_RETRY, withTrailingSlash, type ClientSettings } from './client.ts';
import { registerActions } from './listeners/actions.ts';
import { registerCommand } from './listeners/command.ts';
import { KeyedSerial, type SlackListenerContext } from './listeners/context.ts';
import { registerReactions } from './listeners/reactions.ts';
import { singleWorkspaceManagers, SlackManagerCheck } from './managers.ts';
import { SlackPoster } from './poster.ts';
import { RecentEvents } from './recent-events.ts';

export type SlackSettings = NonNullable<Config['slack']>;

export interface SlackAdapter extends PlatformAdapter {
  readonly platform: 'slack';
  readonly poster: SlackPoster;
  /** HTTP (Events API on /slack/events) or Socket Mode (SLACK_APP_TOKEN set). */
  readonly mode: 'http' | 'socket';
  /** The port HTTP mode listens on (the real one when 0 was asked for); null in Socket Mode. */
  readonly port: number | null;
}

/** Start-up refused: the message says which setting to fix. The start command exits non-zero. */
export class SlackStartError extends Error {
  override readonly name = 'SlackStartError';
}

/**
 * Starts the Slack adapter: checks the bot token with auth.test, then serves slash commands,
 * buttons and reactions, over HTTP (one port, Bolt's /slack/events) or Socket Mode when an
 * app token is set. Rejects with a SlackStartError when Slack refuses the settings.
 */
/** A route Bolt's HTTP receiver serves besides Slack's (GET and HEAD): a channel's Atom feed. */
export interface HttpRoute {
  /** A Bolt (path-to-regexp) path, e.g. `/feeds/:file`. */
  path: string;
  handler: HttpHandler;
}

export async function startSlack(deps: AdapterDeps<SlackSettings> & { port: number; host?: string; routes?: readonly OpsRoute[]; httpRoutes?: readonly HttpRoute[] }): Promise<SlackAdapter> {
  const { settings, runtime } = deps;
  const log = deps.logger.child({ platform: 'slack' });
  const socketMode = Boolean(settings.appToken);
  checkSettings(settings, socketMode);

  const client: ClientSettings = { apiUrl: settings.apiUrl, logger: boltLogger(log) };
  const me = await whoAmI(settings.botToken, client);

  const app = new App({
    token: settings.botToken,
    // Known from auth.test above, so Bolt needn't call it again.
    botId: me.botId,
    botUserId: me.userId,
    // In HTTP mode Bolt's receiver owns PAPERBOY_PORT, so /healthz, /metrics and the feeds ride on it.
    ...(socketMode
      ? { socketMode: true, appToken: settings.appToken }
      : {
          signingSecret: settings.signingSecret,
          customRoutes: boltRoutes(deps.routes ?? [], deps.httpRoutes ?? []),
        }),
    clientOptions: clientOptions(client, CALL_RETRY),
    logger: client.logger,
  });

  const ctx: SlackListenerContext = {
    runtime,
    logger: log,
    managers: singleWorkspaceManagers(new SlackManagerCheck(app.client, { teamId: me.teamId, enterpriseId: me.enterpriseId }, new Set(settings.managers), runtime.clock, log)),
    events: new RecentEvents(() => runtime.clock.now().getTime()),
    serial: new KeyedSerial(),
    botUserId: me.userId,
  };
  registerListeners(app, ctx);

  let port: number | null = null;
  try {
    if (socketMode) {
      await app.start();
    } else {
      const server = await app.start({ port: deps.port, ...(deps.host ? { host: deps.host } : {}) });
      port = (server.address() as AddressInfo).port;
    }
  } catch (e) {
    throw new SlackStartError(
      socketMode
        ? `Slack Socket Mode could not connect (${slackCode(e)}). Check SLACK_APP_TOKEN: an app-level token (xapp-...) with the connections:write scope, and Socket Mode enabled for the app.`
        : `Could not listen for Slack on port ${deps.port} (${describeError(e)}). Set PAPERBOY_PORT to a free port.`,
      { cause: e },
    );
  }

  const poster = new SlackPoster(createClient(settings.botToken, client, POST_RETRY), { clock: runtime.clock, logger: log, postIntervalMs: settings.postIntervalMs ?? 0 });
  log.info('slack adapter started', { mode: socketMode ? 'socket' : 'http', port, team: me.teamId, botUser: me.userId });
  let stopped = false;
  return {
    platform: 'slack',
    poster,
    mode: socketMode ? 'socket' : 'http',
    port,
    connected: () => !stopped && (!socketMode || socketConnected(app)),
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      log.info('slack adapter stopped');
    },
  };
}

/** Commands, buttons and reactions; and a log line for whatever a listener failed at. */
export function registerListeners(app: App, ctx: SlackListenerContext): void {
  registerCommand(app, ctx);
  registerActions(app, ctx);
  registerReactions(app, ctx);
  app.error(async (e) => {
    ctx.logger.error('slack listener failed', { err: e });
  });
}

/**
 * Socket Mode's WebSocket is up. Bolt keeps its receiver private; the SocketModeClient on it has
 * a public `websocket` with `isActive()`. Should that shape change, health falls back to "started".
 */
function socketConnected(app: App): boolean {
  const ws = (app as unknown as { receiver?: { client?: { websocket?: { isActive?: () => boolean } } } }).receiver?.client?.websocket;
  return typeof ws?.isActive === 'function' ? ws.isActive() : true;
}

/** /healthz, /metrics and the feeds, on Bolt's receiver (HTTP mode holds PAPERBOY_PORT). */
export function boltRoutes(routes: readonly OpsRoute[], httpRoutes: readonly HttpRoute[]) {
  return [...routes.map((r) => ({ path: r.path, method: ['GET', 'HEAD'], handler: r.handler })), ...customRoutes(httpRoutes)];
}

/** Our routes on Bolt's receiver; a request a handler declines is a 404. */
function customRoutes(routes: readonly HttpRoute[]) {
  return routes.map((r) => ({
    path: r.path,
    method: ['GET', 'HEAD'],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (!r.handler(req, res)) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    },
  }));
}

/** Settings mistakes visible without asking Slack. */
function checkSettings(s: SlackSettings, socketMode: boolean): void {
  if (s.botToken.startsWith('xapp-')) {
    throw new SlackStartError('SLACK_BOT_TOKEN holds an app-level token (xapp-...). Put that one in SLACK_APP_TOKEN, and set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-..., OAuth & Permissions).');
  }
  if (/^xox[pu]-/.test(s.botToken)) {
    throw new SlackStartError('SLACK_BOT_TOKEN holds a user token (xoxp-...). Use the Bot User OAuth Token (xoxb-..., OAuth & Permissions).');
  }
  if (socketMode) {
    if (!s.appToken?.startsWith('xapp-')) {
      throw new SlackStartError('SLACK_APP_TOKEN must be an app-level token (xapp-...) with connections:write (Basic Information > App-Level Tokens).');
    }
    return;
  }
  const secret = s.signingSecret.trim();
  if (!secret) throw new SlackStartError('SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information > App Credentials > Signing Secret); or set SLACK_APP_TOKEN for Socket Mode.');
  if (/^x(ox[a-z]|app)-/.test(secret)) throw new SlackStartError('SLACK_SIGNING_SECRET holds a token. Use the Signing Secret (Basic Information > App Credentials), not a token.');
  if (secret !== s.signingSecret || /\s/.test(secret)) throw new SlackStartError('SLACK_SIGNING_SECRET contains spaces or line breaks: copy it again without them.');
}

interface Identity {
  teamId: string;
  enterpriseId: string | null;
  userId: string;
  botId: string;
}

/** auth.test: proves the token works and says which workspace and bot user it is. */
async function whoAmI(token: string, settings: ClientSettings): Promise<Identity> {
  const client = createClient(token, settings, CALL_RETRY);
  const where = settings.apiUrl ? withTrailingSlash(settings.apiUrl) : 'https://slack.com/api/';
  let res: webApi.AuthTestResponse;
  try {
    res = await client.auth.test();
  } catch (e) {
    const code = slackCode(e);
    if ((e as { code?: unknown }).code === webApi.ErrorCode.PlatformError) {
      throw new SlackStartError(`Slack rejected SLACK_BOT_TOKEN (${code}). Set it to the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page, and reinstall the app if it was removed.`, { cause: e });
    }
    throw new SlackStartError(`Could not reach the Slack API at ${where} to check SLACK_BOT_TOKEN (${code}). Check the network${settings.apiUrl ? ' and SLACK_API_URL' : ''}.`, { cause: e });
  }
  if (!res.team_id || !res.user_id || !res.bot_id) {
    throw new SlackStartError('SLACK_BOT_TOKEN is not a bot token (auth.test named no bot). Use the Bot User OAuth Token (xoxb-...).');
  }
  return { teamId: res.team_id, enterpriseId: res.enterprise_id || null, userId: res.user_id, botId: res.bot_id };
}

export function slackCode(e: unknown): string {
  const data = (e as { data?: { error?: unknown } } | null)?.data;
  if (typeof data?.error === 'string') return data.error;
  return describeError(e);
}
