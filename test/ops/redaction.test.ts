import { LogLevel } from '@slack/bolt';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { boltLogger } from '../../adapters/slack/bolt-logger.ts';
import { createClient, POST_RETRY } from '../../adapters/slack/client.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { loadConfig, secretsOf } from '../../src/config.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { createLogger, REDACTED } from '../../src/logger.ts';
import { openStore } from '../../src/store/store.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';

/*
 * Issue 11, Operations: no token reaches a log line at any level. Tokens are configured as
 * `paperboy start` reads them; then discord.js, the Slack WebClient (through Bolt's logger, at
 * debug) and pg fail for real against loopback servers, an HTTP client's error carrying an
 * Authorization header is logged, and every line written to stderr is searched for any
 * piece of any secret.
 */

const DISCORD_TOKEN = 'MTQwMDAwMDAwMDAwMDAwMDAx.GhJkLm.discord-secret-token-value-0001';
const SLACK_BOT_TOKEN = 'xoxb-1111-2222-redaction-secret-bot-token';
const SLACK_APP_TOKEN = 'xapp-1-A0-3333-redaction-secret-app-token';
const SIGNING_SECRET = 'f00dfeedsigningsecret4242abcdef99';
const PG_PASSWORD = 'pg-Secret-Pa55word';
const SECRETS = [DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SIGNING_SECRET, PG_PASSWORD];

let discord: FakeDiscord;
let slack: FakeSlack;
let lines: string[] = [];

beforeAll(async () => {
  discord = await FakeDiscord.start({ token: DISCORD_TOKEN, appId: '1400000000000000001', guilds: [] });
  slack = await FakeSlack.start({ token: SLACK_BOT_TOKEN });
});
afterAll(async () => {
  await discord?.close();
  await slack?.close();
});

/** Every way a piece of a secret could show: whole, or any 10 characters of it. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const s of SECRETS) {
    for (let i = 0; i + 10 <= s.length; i++) {
      if (text.includes(s.slice(i, i + 10))) {
        found.push(`${s.slice(0, 6)}… (at ${i})`);
        break;
      }
    }
  }
  return found;
}

describe('logs never carry a token', () => {
  it('at every level, through discord.js, the Slack WebClient, pg and an HTTP error with an Authorization header', async () => {
    const config = loadConfig({
      DISCORD_TOKEN,
      DISCORD_APP_ID: '1400000000000000001',
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      PAPERBOY_DB: `postgres://paperboy:${PG_PASSWORD}@127.0.0.1:5432/pb_no_such_database`,
    });
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const log = createLogger('debug', { secrets: secretsOf(config) });

      // Our own fields, at each level: a config dump, a child logger's bindings.
      log.debug('config', { config });
      log.info('settings', { discord: config.discord, slack: config.slack });
      log.child({ token: SLACK_BOT_TOKEN, db: config.dbPath }).warn('child with secrets in its bindings');

      // discord.js: a 400 and a 401 from the API, with a user's pasted token in the request body.
      discord.script('POST', /^\/channels\/\d+\/messages$/, { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_BAD', message: `bad ${SLACK_BOT_TOKEN}` }] } } } });
      // (a 401 makes discord.js drop its token, so it comes second)
      discord.script('POST', /^\/channels\/\d+\/messages$/, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
      const rest = new REST({ api: config.discord!.apiUrl!, retries: 0 }).setToken(config.discord!.token);
      rest.on('restDebug', (info) => log.debug('discord rest', { info }));
      for (let i = 0; i < 2; i++) {
        const err = await rest.post('/channels/1400000000000000101/messages', { body: { content: `my token is ${DISCORD_TOKEN}` } }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
        log.error('discord.js error', { err });
      }

      // Slack: the WebClient logging through Bolt's logger at debug (request lines), and a post the platform refuses.
      slack.channelErrors.set('CGONE', 'channel_not_found');
      const slackLog = log.child({ platform: 'slack' });
      const client = createClient(config.slack!.botToken, { apiUrl: config.slack!.apiUrl, logger: boltLogger(slackLog, LogLevel.DEBUG) }, POST_RETRY);
      const poster = new SlackPoster(client, { clock: fixedClock('2026-08-17T12:00:00Z'), logger: slackLog });
      const outcome = await poster.post('CGONE', { kind: 'notice', key: 'n1', text: `pasted ${SLACK_APP_TOKEN}` });
      expect(outcome.ok).toBe(false);
      const platformError = await client.chat.postMessage({ channel: 'CGONE', text: 'x' }).catch((e: unknown) => e);
      log.error('slack call failed', { err: platformError });

      // pg: a connection refused or rejected, logged with the URL that holds the password.
      const pgError = await openStore(config.dbPath, { pgPool: 2 }).then(
        async (s) => {
          await s.close();
          return new Error('unexpectedly opened');
        },
        (e: unknown) => e,
      );
      log.error('could not open the store', { err: pgError, db: config.dbPath });

      // An HTTP client's error (axios' shape) carrying the request's Authorization header, also as raw header text.
      const httpError = Object.assign(new Error('Request failed with status code 401'), {
        config: { url: 'https://slack.com/api/chat.postMessage', headers: { Authorization: `Bearer ${SLACK_BOT_TOKEN}`, 'Content-Type': 'application/json' } },
        request: { _header: `POST /api/chat.postMessage HTTP/1.1\r\nAuthorization: Bearer ${SLACK_BOT_TOKEN}\r\n\r\n` },
        response: { status: 401, headers: { 'www-authenticate': 'Bot' } },
      });
      log.error('http request failed', { err: httpError });
      log.error('discord webhook failed', { url: `${discord.apiUrl}/v10/webhooks/1400000000000000001/aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg/messages/@original`, authorization: `Bot ${DISCORD_TOKEN}` });
    } finally {
      spy.mockRestore();
    }

    const text = lines.join('');
    const records = text.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
    // The paths above really logged, at every level, with errors among them.
    expect(new Set(records.map((r) => r.level))).toEqual(new Set(['debug', 'info', 'warn', 'error']));
    expect(records.filter((r) => r.level === 'error').length).toBeGreaterThanOrEqual(6);
    expect(records.some((r) => r.msg === 'config')).toBe(true);
    expect(records.some((r) => r.msg.startsWith('http request headers'))).toBe(true); // the WebClient's own request dump
    expect(records.some((r) => r.msg === 'slack post failed')).toBe(true);
    expect(text).toContain(REDACTED);
    expect(text).toContain('Invalid Form Body'); // the error's useful detail stays
    expect(text).not.toContain('aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg'); // an interaction token in a URL
    expect(leaks(text)).toEqual([]);
  }, 30_000);
});
