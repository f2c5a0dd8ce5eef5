import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { startSlackInstalls, type SlackInstallAdapter } from '../../adapters/slack/install-mode.ts';
import { REMOVED_REASONS } from '../../adapters/slack/installs.ts';
import { METHOD_SCOPES } from '../../adapters/slack/manifest.ts';
import { openApp, type App } from '../../src/app.ts';
import type { Runtime } from '../../src/commands/dispatch.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { SecretBox, SecretOpenError } from '../../src/store/secret-box.ts';
import { FakeSlack, type FakeUser, type RecordedResponse } from '../support/fake-slack/fake-slack.ts';
import { SlackSender } from '../support/fake-slack/slack-requests.ts';
import { openTestStore } from '../support/test-store.ts';
import { NOW, responseId, SECRET, seedPapers } from './harness.ts';

/*
 * Install mode (issue 10): two workspaces install Paperboy through the real OAuth flow
 * (GET /slack/install -> state cookie -> /slack/oauth_redirect?code&state -> oauth.v2.access at
 * the fake Slack), against the real Bolt. Each workspace's commands and digest posts carry its
 * own token; the tokens are sealed at rest; an app_uninstalled event stops the workspace's
 * channels and deletes its tokens; installing again resumes them. Store: SQLite, and
 * PostgreSQL in the postgres project.
 */

const CLIENT_ID = '1234567890.0987654321';
const CLIENT_SECRET = 'c0ffee-client-secret';
const STATE_SECRET = 'a-long-random-state-secret';
const KEY = '5f2b0c4d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f00112233445566778a';

interface Workspace {
  team: string;
  admin: FakeUser;
  channels: string[];
}
const A: Workspace = { team: 'T0AAA', admin: { id: 'UADMINA', team_id: 'T0AAA', name: 'ana', is_admin: true }, channels: ['CA1', 'CA2'] };
const B: Workspace = { team: 'T0BBB', admin: { id: 'UADMINB', team_id: 'T0BBB', name: 'bo', is_admin: true }, channels: ['CB1'] };

let fake: FakeSlack;
let adapter: SlackInstallAdapter;
let runtime: Runtime & { logger: ReturnType<typeof memoryLogger> };
let app: App;
let slack: SlackSender;
let base: string;

beforeAll(async () => {
  fake = await FakeSlack.start({ token: 'xoxb-not-used-in-install-mode' });
  fake.oauthApp = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  for (const w of [A, B]) fake.users.set(w.admin.id, w.admin);
  const store = await openTestStore();
  await seedPapers(store);
  runtime = { store, clock: fixedClock(NOW), logger: memoryLogger(), commands, services: { postDigestNow: async () => ({ posted: 0, note: '' }), commands: () => commands } };
  adapter = await startSlackInstalls({
    settings: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, stateSecret: STATE_SECRET, signingSecret: SECRET, secretKey: KEY, apiUrl: fake.apiUrl, managers: [] },
    runtime,
    logger: runtime.logger,
    port: 0,
    host: '127.0.0.1',
    routes: [{ path: '/healthz', handler: (_req, res) => void res.writeHead(200).end('ok\n') }],
  });
  base = `http://127.0.0.1:${adapter.port}`;
  slack = new SlackSender(`${base}/slack/events`, SECRET);
  app = await openApp({ dbPath: ':memory:', store, clock: runtime.clock, logger: runtime.logger, commands });
  app.posters.register(adapter.poster);
  runtime.services.postDigestNow = (channelId) => app.delivery.postNow(channelId);
});
afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  await runtime?.store.close();
});
afterEach(() => fake.assertClean());

/** The whole browser round trip: /slack/install sets the state cookie; Slack (here: us) comes back with a code. */
async function install(w: Workspace, code: string): Promise<string> {
  const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(authorize.searchParams.get('scope')).toContain('chat:write');
  const state = authorize.searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  expect(cookie).toContain(state);

  fake.grantCode(code, { teamId: w.team });
  const back = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(back.status).toBe(200);
  expect(await back.text()).toContain('Paperboy is installed');
  const token = fake.tokenOf(w.team)!;
  expect(token).toBeTruthy();
  return token;
}

async function command(w: Workspace, text: string, channel: string): Promise<RecordedResponse> {
  const id = responseId('inst');
  const res = await slack.slashCommand({ text, response_url: fake.responseUrl(id), team_id: w.team, channel_id: channel, channel_name: channel.toLowerCase(), user_id: w.admin.id, user_name: w.admin.name! });
  expect(res.status).toBe(200);
  return fake.waitFor(() => fake.responsesTo(id)[0], `the reply to /papers ${text}`);
}

const tokensOf = (method: string, pick: (c: { params: Record<string, unknown> }) => boolean = () => true) => [...new Set(fake.callsTo(method).filter(pick).map((c) => c.token))];
const postsTo = (channel: string) => (c: { params: Record<string, unknown> }) => c.params.channel === channel;
async function channelRow(w: Workspace, channel: string) {
  const team = await runtime.store.teams.findTeam('slack', w.team);
  return (await runtime.store.teams.findChannel(team!.id, channel))!;
}
/** Polls an async condition (the event's work finishes after Bolt has acked it). */
async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
function appUninstalled(teamId: string, eventId: string) {
  return { token: 'verification-token', team_id: teamId, api_app_id: 'A0PAPERBOY', event: { type: 'app_uninstalled', event_ts: '1787000000.000100' }, type: 'event_callback', event_id: eventId, event_time: 1787000000 };
}

const tokens: Record<string, string> = {};

describe('Slack install mode', () => {
  it('installs two workspaces through the OAuth flow, the fake checking the app credentials', async () => {
    tokens.A = await install(A, 'code-a-1');
    tokens.B = await install(B, 'code-b-1');
    expect(tokens.A).not.toBe(tokens.B);
    const exchanges = fake.callsTo('oauth.v2.access');
    expect(exchanges).toHaveLength(2);
    // Bolt checks each new token with auth.test, and the fake answers it with the token's own workspace.
    expect(tokensOf('auth.test')).toEqual([tokens.A, tokens.B]);
    // Install mode's own pages ride on the same port as the ops routes.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('gets no token when the app credentials are wrong (the fake checks them as Slack does)', async () => {
    fake.oauthApp = { clientId: CLIENT_ID, clientSecret: 'not-the-secret-paperboy-has' };
    try {
      const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      fake.grantCode('code-c-1', { teamId: 'T0CCC' });
      const res = await fetch(`${base}/slack/oauth_redirect?code=code-c-1&state=${encodeURIComponent(state)}`, { headers: { cookie: start.headers.get('set-cookie')!.split(';')[0]! } });
      expect(res.status).not.toBe(200);
      expect(fake.tokenOf('T0CCC')).toBeUndefined();
      expect(await runtime.store.db.selectFrom('slack_installations').select('install_key').orderBy('install_key').execute()).toEqual([{ install_key: A.team }, { install_key: B.team }]);
    } finally {
      fake.oauthApp = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    }
  });

  it("the fake's oauth.v2.access also takes the credentials as HTTP Basic auth, as Slack prefers", async () => {
    const exchange = (secret: string, code: string) =>
      fetch(`${fake.apiUrl}oauth.v2.access`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `code=${code}`,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    fake.grantCode('code-basic', { teamId: 'T0BASIC' });
    expect(await exchange('wrong', 'code-basic')).toMatchObject({ ok: false, error: 'bad_client_secret' });
    expect(await exchange(CLIENT_SECRET, 'code-basic')).toMatchObject({ ok: true, team: { id: 'T0BASIC' } });
    expect(await exchange(CLIENT_SECRET, 'code-basic')).toMatchObject({ ok: false, error: 'invalid_code' }); // single use
    // Bolt's WebClient sends them as form fields: the fake takes both, as Slack does.
    expect(fake.callsTo('oauth.v2.access').filter((c) => c.params.client_id === CLIENT_ID)).toHaveLength(3);
  });

  it('refuses a redirect without the state cookie of the browser that started the install', async () => {
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    fake.grantCode('code-stolen', { teamId: 'T0EVE' });
    const res = await fetch(`${base}/slack/oauth_redirect?code=code-stolen&state=${encodeURIComponent(state)}`);
    expect(res.status).not.toBe(200);
    expect(fake.tokenOf('T0EVE')).toBeUndefined();
    expect(fake.callsTo('oauth.v2.access').some((c) => c.params.code === 'code-stolen')).toBe(false);
  });

  it("runs each workspace's commands with its own token", async () => {
    fake.calls.length = 0;
    for (const w of [A, B]) for (const c of w.channels) expect((await command(w, 'schedule 09:00 UTC', c)).body.text).toContain('09:00');
    // The manager check (users.info) goes out with the asking workspace's token.
    expect(tokensOf('users.info', (c) => c.params.user === A.admin.id)).toEqual([tokens.A]);
    expect(tokensOf('users.info', (c) => c.params.user === B.admin.id)).toEqual([tokens.B]);
  });

  it("posts each workspace's digest with its own token", async () => {
    fake.calls.length = 0;
    for (const [w, c] of [[A, 'CA1'], [B, 'CB1']] as const) expect((await command(w, 'digest post', c)).body.text).toMatch(/Posted \d+ paper/);
    expect(fake.channel('CA1').length).toBeGreaterThan(1);
    expect(fake.channel('CB1').length).toBeGreaterThan(1);
    expect(tokensOf('chat.postMessage', postsTo('CA1'))).toEqual([tokens.A]);
    expect(tokensOf('chat.postMessage', postsTo('CB1'))).toEqual([tokens.B]);
  });

  it('keeps no token readable in the database without the key', async () => {
    const raw = JSON.stringify(await runtime.store.db.selectFrom('slack_installations').selectAll().orderBy('install_key').execute());
    expect(raw).toContain(A.team);
    for (const t of [tokens.A!, tokens.B!]) expect(raw).not.toContain(t);
    expect(raw).not.toContain('xoxb-');
    const wrongKey = runtime.store.slackInstallations.withKey(new SecretBox(Buffer.alloc(32, 7)));
    const err = await wrongKey.find(A.team).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretOpenError);
    expect((err as Error).message).toContain('PAPERBOY_SECRET_KEY');
  });

  it("an uninstall deletes the workspace's tokens and stops its channels with the reason; the other workspace goes on", async () => {
    fake.revokeToken(tokens.A!);
    const res = await slack.event(appUninstalled(A.team, 'EvUNINSTALL1'));
    expect(res.status).toBe(200);
    await until(async () => (await channelRow(A, 'CA2')).disabled_reason !== null, 'the workspace to stop');
    for (const c of A.channels) expect((await channelRow(A, c)).disabled_reason).toBe(REMOVED_REASONS.app_uninstalled);
    expect(await runtime.store.db.selectFrom('slack_installations').select('install_key').execute()).toEqual([{ install_key: B.team }]);
    expect((await channelRow(B, 'CB1')).disabled_reason).toBeNull();
    // Nothing more is posted there: the digest engine skips the stopped channels.
    const before = fake.callsTo('chat.postMessage').length;
    const note = await app.delivery.postNow((await channelRow(A, 'CA2')).id);
    expect(note.note).toContain('uninstalled');
    expect(fake.callsTo('chat.postMessage').length).toBe(before);
    // A command from the removed workspace (Slack would not send one; a stale client might) is acked and ignored.
    const id = responseId('gone');
    const gone = await slack.slashCommand({ text: 'status', response_url: fake.responseUrl(id), team_id: A.team, channel_id: 'CA1', user_id: A.admin.id, user_name: 'ana' });
    expect(gone.status).toBe(200);
    await until(async () => runtime.logger.entries.some((e) => e.msg === 'slack request from a workspace without an installation; ignored'), 'the ignored command');
    expect(fake.responsesTo(id)).toEqual([]);
    // The kept workspace is untouched: its token still works.
    expect((await command(B, 'status', 'CB1')).body.text).toBeTruthy();
    expect(tokensOf('chat.postMessage').includes(tokens.A!) && fake.callsTo('chat.postMessage').slice(before).some((c) => c.token === tokens.A)).toBe(false);
  });

  it('a reinstall resumes those channels, and its new token is the one used', async () => {
    fake.calls.length = 0;
    tokens.A2 = await install(A, 'code-a-2');
    expect(tokens.A2).not.toBe(tokens.A);
    for (const c of A.channels) expect((await channelRow(A, c)).disabled_reason).toBeNull();
    expect((await runtime.store.teams.deliverableChannels()).map((c) => c.external_id).sort()).toEqual(['CA1', 'CA2', 'CB1']);
    expect((await command(A, 'digest post', 'CA2')).body.text).toMatch(/Posted \d+ paper/);
    expect(tokensOf('chat.postMessage', postsTo('CA2'))).toEqual([tokens.A2]);
    expect(tokensOf('users.info')).toEqual([tokens.A2]);
    expect(fake.calls.some((c) => c.token === tokens.A)).toBe(false);
  });

  it("tokens_revoked for the bot stops the workspace too; a user token's alone changes nothing", async () => {
    const revoked = (eventId: string, tokens: Record<string, string[]>) => ({ ...appUninstalled(B.team, eventId), event: { type: 'tokens_revoked', tokens, event_ts: '1787000000.000200' } });
    expect((await slack.event(revoked('EvREVOKE1', { oauth: ['UINSTALLERT0BBB'] }))).status).toBe(200);
    expect((await slack.event(revoked('EvREVOKE2', { bot: ['UBOTT0BBB'] }))).status).toBe(200);
    await until(async () => (await channelRow(B, 'CB1')).disabled_reason !== null, 'the workspace to stop');
    expect((await channelRow(B, 'CB1')).disabled_reason).toBe(REMOVED_REASONS.tokens_revoked);
    const removals = runtime.logger.entries.filter((e) => e.msg === 'slack workspace removed the app: tokens deleted, its channels stopped' && e.install === B.team);
    expect(removals.map((e) => e.event)).toEqual(['tokens_revoked']); // the user token's event did nothing
    expect(await runtime.store.db.selectFrom('slack_installations').select('install_key').execute()).toEqual([{ install_key: A.team }]);
  });

  it('calls only methods with a declared scope, and logs no errors', () => {
    const undeclared = [...new Set(fake.calls.map((c) => c.method))].filter((m) => !(m in METHOD_SCOPES) && m !== 'oauth.v2.access');
    expect(undeclared).toEqual([]);
    // Bolt logs the two refused installs above (its failure page); nothing else went wrong.
    const errors = runtime.logger.entries.filter((e) => e.level === 'error').map((e) => e.msg);
    expect(errors).toHaveLength(2);
    expect(errors.some((m) => /bad_client_secret/.test(String(m)))).toBe(true);
    expect(errors.some((m) => /state parameter is not for this browser session/.test(String(m)))).toBe(true);
  });
});
