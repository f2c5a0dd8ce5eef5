import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { SlackInstallSettings } from '../../src/config.ts';
import { describeError } from '../../src/domain/errors.ts';
import type { OpsRoute } from '../../src/ops/http.ts';
import { SecretBox, SecretKeyError } from '../../src/store/secret-box.ts';
import type { AdapterDeps } from '../types.ts';
import { boltLogger } from './bolt-logger.ts';
import { CALL_RETRY, clientOptions, createClient, POST_RETRY, type ClientSettings } from './client.ts';
import { boltRoutes, registerListeners, SlackStartError, type HttpRoute, type SlackAdapter } from './index.ts';
import { NotInstalledError, registerRemovalEvents, SlackInstalls } from './installs.ts';
import { KeyedSerial, type SlackListenerContext } from './listeners/context.ts';
import { WorkspaceManagerChecks } from './managers.ts';
import { botScopes, INSTALL_PATH, REDIRECT_PATH } from './manifest.ts';
import { SlackPoster } from './poster.ts';
import { RecentEvents } from './recent-events.ts';
import { WorkspaceSlackPoster } from './workspace-poster.ts';

/**
 * Slack install mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): any number of
 * workspaces add the app at GET /slack/install; Slack sends them back to /slack/oauth_redirect,
 * where Bolt trades the code for the workspace's bot token (oauth.v2.access) and stores it
 * through SlackInstalls, sealed with PAPERBOY_SECRET_KEY. Everything then runs per workspace:
 * Bolt's authorize looks the token up for each command, button and event, and the digest
 * poster for each post. HTTP only, on PAPERBOY_PORT, beside /slack/events, /healthz, /metrics
 * and the feeds.
 */
export interface SlackInstallAdapter extends Omit<SlackAdapter, 'poster'> {
  readonly poster: WorkspaceSlackPoster;
  readonly mode: 'http';
  readonly port: number;
}

export async function startSlackInstalls(
  deps: AdapterDeps<SlackInstallSettings> & { port: number; host?: string; routes?: readonly OpsRoute[]; httpRoutes?: readonly HttpRoute[] },
): Promise<SlackInstallAdapter> {
  const { settings, runtime } = deps;
  const log = deps.logger.child({ platform: 'slack' });
  let box: SecretBox;
  try {
    box = new SecretBox(settings.secretKey);
  } catch (e) {
    if (e instanceof SecretKeyError) throw new SlackStartError(e.message, { cause: e });
    throw e;
  }
  const client: ClientSettings = { apiUrl: settings.apiUrl, logger: boltLogger(log) };
  const installs = new SlackInstalls(runtime.store, runtime.store.slackInstallations.withKey(box), runtime.clock, log);

  const app = new App({
    signingSecret: settings.signingSecret,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    stateSecret: settings.stateSecret,
    scopes: botScopes(),
    installationStore: installs,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // Straight to Slack's consent screen: the install URL is what an "Add to Slack" link points at.
      directInstall: true,
      // oauth.v2.access and the new token's auth.test go where the rest of the Web API does.
      clientOptions: clientOptions(client, CALL_RETRY),
      callbackOptions: { success: installedPage },
    },
    customRoutes: boltRoutes(deps.routes ?? [], deps.httpRoutes ?? []),
    clientOptions: clientOptions(client, CALL_RETRY),
    logger: client.logger,
  });

  const ctx: SlackListenerContext = {
    runtime,
    logger: log,
    managers: new WorkspaceManagerChecks(new Set(settings.managers), runtime.clock, log),
    events: new RecentEvents(() => runtime.clock.now().getTime()),
    serial: new KeyedSerial(),
    botUserId: null, // per workspace: Bolt's authorize puts each one's in the listener context
  };
  registerRemovalEvents(app, installs);
  registerListeners(app, ctx);
  // Replaces registerListeners' handler: a request from a workspace that removed the app (Slack
  // may still redeliver its events) is expected here, not a failure.
  app.error(async (e) => {
    if (causedBy(e, NotInstalledError)) log.warn('slack request from a workspace without an installation; ignored', { err: describeError(e) });
    else log.error('slack listener failed', { err: e });
  });

  let port: number;
  try {
    const server = await app.start({ port: deps.port, ...(deps.host ? { host: deps.host } : {}) });
    port = (server.address() as AddressInfo).port;
  } catch (e) {
    throw new SlackStartError(`Could not listen for Slack on port ${deps.port} (${describeError(e)}). Set PAPERBOY_PORT to a free port.`, { cause: e });
  }

  const poster = new WorkspaceSlackPoster(
    (teamId) => installs.botToken(teamId),
    (token) => new SlackPoster(createClient(token, client, POST_RETRY), { clock: runtime.clock, logger: log, postIntervalMs: settings.postIntervalMs ?? 0 }),
    log,
  );
  log.info('slack adapter started in install mode', { port, install: INSTALL_PATH, redirect: REDIRECT_PATH });
  let stopped = false;
  return {
    platform: 'slack',
    poster,
    mode: 'http',
    port,
    connected: () => !stopped,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      log.info('slack adapter stopped');
    },
  };
}

/** What the installing person sees when Slack sends them back. */
function installedPage(_installation: unknown, _options: unknown, _req: IncomingMessage, res: ServerResponse): void {
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end('<!doctype html><meta charset="utf-8"><title>Paperboy installed</title><p>Paperboy is installed. In a channel, type <code>/papers help</code> to begin; <code>/invite @Paperboy</code> lets it post digests there.</p>\n');
}

/** Whether `e`, or an error it wraps (Bolt: `original`; Node: `cause`), is a `kind`. */
function causedBy(e: unknown, kind: new (...args: never[]) => Error): boolean {
  for (let cur = e, depth = 0; cur && depth < 5; depth++) {
    if (cur instanceof kind) return true;
    const next = cur as { original?: unknown; cause?: unknown };
    cur = next.original ?? next.cause;
  }
  return false;
}
