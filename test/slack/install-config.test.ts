import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { buildManifest, manifestJson, REDIRECT_PATH, REDIRECT_URL_PLACEHOLDER, REMOVAL_EVENTS } from '../../adapters/slack/manifest.ts';
import { ConfigError, loadConfig, secretsOf } from '../../src/config.ts';

/* Install mode's settings (issue 10): all or nothing, never without a key, never mixed with one workspace's token; and its manifest. */

const INSTALL = {
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: 'c0ffee-client-secret',
  SLACK_STATE_SECRET: 'a-long-random-state-secret',
  SLACK_SIGNING_SECRET: 'signing-secret',
  PAPERBOY_SECRET_KEY: '5f2b0c4d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f00112233445566778a',
};

function configError(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('loadConfig accepted it');
}

describe('install mode settings', () => {
  it('are read when the three OAuth settings are set, and every secret is known to the log redactor', () => {
    const c = loadConfig(INSTALL);
    expect(c.slack).toBeNull();
    expect(c.slackInstall).toMatchObject({ clientId: INSTALL.SLACK_CLIENT_ID, clientSecret: INSTALL.SLACK_CLIENT_SECRET, stateSecret: INSTALL.SLACK_STATE_SECRET, signingSecret: 'signing-secret' });
    expect(secretsOf(c)).toEqual(expect.arrayContaining([INSTALL.SLACK_CLIENT_SECRET, INSTALL.SLACK_STATE_SECRET, INSTALL.PAPERBOY_SECRET_KEY, 'signing-secret']));
    expect(loadConfig({}).slackInstall).toBeNull();
  });

  it('refuse to start without PAPERBOY_SECRET_KEY, saying how to make one', () => {
    const message = configError({ ...INSTALL, PAPERBOY_SECRET_KEY: undefined });
    expect(message).toContain('PAPERBOY_SECRET_KEY');
    expect(message).toContain('openssl rand -hex 32');
  });

  it.each([
    ['a key of the wrong length', { PAPERBOY_SECRET_KEY: 'abcd'.repeat(8) }, /PAPERBOY_SECRET_KEY must be 32 bytes/],
    ['a part of the OAuth settings', { SLACK_STATE_SECRET: undefined }, /SLACK_STATE_SECRET is not set/],
    ['no signing secret', { SLACK_SIGNING_SECRET: undefined }, /needs SLACK_SIGNING_SECRET/],
    ['a bot token too', { SLACK_BOT_TOKEN: 'xoxb-1-2-3' }, /Both SLACK_BOT_TOKEN .* and SLACK_CLIENT_ID/],
    ['Socket Mode', { SLACK_APP_TOKEN: 'xapp-1-2' }, /unset SLACK_APP_TOKEN/],
  ])('refuse %s, naming the setting', (_what, change, expected) => {
    expect(configError({ ...INSTALL, ...change })).toMatch(expected);
  });

  it('`paperboy start` exits non-zero without a key, and says how to make one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-install-'));
    try {
      const root = resolve(import.meta.dirname, '../..');
      const env = { ...process.env, ...INSTALL, PAPERBOY_SECRET_KEY: '', PAPERBOY_DB: join(dir, 'p.db'), PAPERBOY_PORT: '0' };
      const err = await promisify(execFile)(process.execPath, [join(root, 'bin/paperboy.js'), 'start'], { cwd: root, env, timeout: 30_000 }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).not.toBe(0);
      expect(err?.stderr).toContain('openssl rand -hex 32');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the OAuth manifest (slack:manifest --oauth)', () => {
  it('is the single-workspace one plus the redirect URL and the removal events', () => {
    const single = buildManifest(commands) as any;
    const oauth = buildManifest(commands, { oauth: true }) as any;
    expect(oauth.oauth_config.redirect_urls).toEqual([REDIRECT_URL_PLACEHOLDER]);
    expect(REDIRECT_URL_PLACEHOLDER.endsWith(REDIRECT_PATH)).toBe(true);
    expect(oauth.oauth_config.scopes).toEqual(single.oauth_config.scopes);
    expect(oauth.settings.event_subscriptions.bot_events).toEqual([...single.settings.event_subscriptions.bot_events, ...REMOVAL_EVENTS]);
    expect(oauth.features).toEqual(single.features);
    expect(single.oauth_config.redirect_urls).toBeUndefined();
  });

  it('is committed as slack/manifest.oauth.json (regenerate: npx paperboy slack:manifest --oauth --write)', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../../slack/manifest.oauth.json'), 'utf8');
    expect(committed).toBe(manifestJson(commands, { oauth: true }));
  });
});
