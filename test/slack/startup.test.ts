import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlack, SlackStartError, type HttpRoute, type SlackSettings } from '../../adapters/slack/index.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { feedRequestHandler, type HttpHandler } from '../../src/feeds/http.ts';
import { silentLogger } from '../../src/logger.ts';
import type { Store } from '../../src/store/store.ts';
import { FakeSlack } from '../support/fake-slack/fake-slack.ts';
import { FakeSocketMode } from '../support/fake-slack/socket-mode.ts';
import { slashCommandBody } from '../support/fake-slack/slack-requests.ts';
import { makeRuntime, PEOPLE, SECRET, TEAM, TOKEN } from './harness.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fake(): Promise<FakeSlack> {
  const f = await FakeSlack.start({ token: TOKEN, otherTokens: ['xapp-1-A111-test'] });
  cleanups.push(() => f.close());
  return f;
}

async function start(settings: Partial<SlackSettings> & { apiUrl: string }, port = 0, httpRoutes: HttpRoute[] = []) {
  const runtime = await makeRuntime();
  cleanups.push(() => runtime.store.close());
  const adapter = await startSlack({
    settings: { botToken: TOKEN, signingSecret: SECRET, appToken: undefined, managers: [], ...settings },
    runtime,
    logger: runtime.logger,
    port,
    host: '127.0.0.1',
    httpRoutes,
  });
  cleanups.push(() => adapter.stop());
  return { adapter, runtime };
}

async function startError(settings: Partial<SlackSettings> & { apiUrl: string }, port = 0): Promise<string> {
  const err = await start(settings, port).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SlackStartError);
  return (err as Error).message;
}

describe('starting the Slack adapter', () => {
  it('serves /slack/events over HTTP on the port given, and stops cleanly', async () => {
    const f = await fake();
    const { adapter } = await start({ apiUrl: f.apiUrl });
    expect(adapter.mode).toBe('http');
    expect(adapter.port).toBeGreaterThan(0);
    expect(f.callsTo('auth.test')).toHaveLength(1);
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(401); // up, and checking signatures
    await adapter.stop();
    await expect(fetch(url, { method: 'POST', body: 'x' })).rejects.toThrow();
    await adapter.stop(); // a second stop is harmless
  });

  it("serves channels' Atom feeds on the same port (GET /feeds/<token>.atom)", async () => {
    const f = await fake();
    let store: Store | null = null;
    const feeds: HttpHandler = (req, res) => feedRequestHandler({ store: store!, clock: systemClock, logger: silentLogger, publicUrl: null })(req, res);
    const { adapter, runtime } = await start({ apiUrl: f.apiUrl }, 0, [{ path: '/feeds/:file', handler: feeds }]);
    store = runtime.store;
    const team = await store.teams.ensureTeam({ platform: 'slack', externalId: TEAM }, new Date());
    const channel = await store.teams.ensureChannel(team.id, { externalId: 'C0FEED', name: 'papers' }, new Date());
    const token = await store.feeds.token(channel.id, new Date());
    const ok = await fetch(`http://127.0.0.1:${adapter.port}/feeds/${token}.atom`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/atom+xml');
    expect(await ok.text()).toContain('<title>Paperboy: #papers</title>');
    expect((await fetch(`http://127.0.0.1:${adapter.port}/feeds/${'x'.repeat(32)}.atom`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${adapter.port}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(401);
  });

  it('refuses a token Slack rejects, naming the variable', async () => {
    const f = await fake();
    const message = await startError({ apiUrl: f.apiUrl, botToken: 'xoxb-not-the-right-one' });
    expect(message).toMatch(/Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
  });

  it('says so when the Slack API cannot be reached', async () => {
    const f = await fake();
    const apiUrl = f.apiUrl;
    await f.close();
    cleanups.pop();
    expect(await startError({ apiUrl })).toMatch(/Could not reach the Slack API at http:\/\/127\.0\.0\.1:\d+\/api\/ .*SLACK_API_URL/);
  });

  it.each([
    [{ botToken: 'xapp-1-A111-test' }, /SLACK_BOT_TOKEN holds an app-level token/],
    [{ botToken: 'xoxp-1234' }, /SLACK_BOT_TOKEN holds a user token/],
    [{ signingSecret: '' }, /SLACK_SIGNING_SECRET is required in HTTP mode/],
    [{ signingSecret: TOKEN }, /SLACK_SIGNING_SECRET holds a token/],
    [{ signingSecret: `${SECRET}\n` }, /contains spaces or line breaks/],
    [{ appToken: 'xoxb-wrong-kind' }, /SLACK_APP_TOKEN must be an app-level token/],
  ])('refuses settings that cannot work (%o) before calling Slack', async (bad, message) => {
    const f = await fake();
    expect(await startError({ apiUrl: f.apiUrl, ...bad })).toMatch(message);
    expect(f.calls).toEqual([]);
  });

  it('says which port is taken', async () => {
    const f = await fake();
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const port = (busy.address() as AddressInfo).port;
    expect(await startError({ apiUrl: f.apiUrl }, port)).toMatch(new RegExp(`Could not listen for Slack on port ${port}.*PAPERBOY_PORT`));
  });
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects through apps.connections.open and runs slash commands from the socket', async () => {
    const f = await fake();
    const socket = await FakeSocketMode.start();
    cleanups.push(() => socket.close());
    f.socketUrl = socket.url;

    const { adapter } = await start({ apiUrl: f.apiUrl, appToken: 'xapp-1-A111-test', signingSecret: '' });
    expect(adapter.mode).toBe('socket');
    expect(adapter.port).toBeNull();
    expect(f.callsTo('apps.connections.open')[0]!.token).toBe('xapp-1-A111-test');

    const payload = Object.fromEntries(new URLSearchParams(slashCommandBody({ text: 'search benchmark', response_url: f.responseUrl('sock'), team_id: TEAM, user_id: PEOPLE.member!.id })));
    socket.send({ envelope_id: 'env-1', type: 'slash_commands', payload, accepts_response_payload: true });
    const reply = await f.waitFor(() => f.responsesTo('sock')[0], 'the socket command reply');
    expect(reply.body.response_type).toBe('in_channel');
    expect(socket.acks.map((a) => a.envelope_id)).toContain('env-1');
    // /healthz reads this: up while the socket is.
    expect(adapter.connected()).toBe(true);

    await adapter.stop();
    expect(adapter.connected()).toBe(false);
    await f.waitFor(() => socket.connections === 0 || undefined, 'the socket to close');
  });

  it('refuses an app token Slack rejects', async () => {
    const f = await fake();
    expect(await startError({ apiUrl: f.apiUrl, appToken: 'xapp-1-revoked', signingSecret: '' })).toMatch(/Socket Mode could not connect \(invalid_auth\).*SLACK_APP_TOKEN/);
  });
});
