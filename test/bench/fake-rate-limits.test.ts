import { webApi } from '@slack/bolt';
import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { globalShare, shareGlobalLimit } from '../../adapters/discord/rate-share.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';

/*
 * The fan-out bench (bench/lib/fanout*.ts) trusts the fakes to refuse what Discord and Slack
 * refuse, and the real clients to wait as told. Correctness only: no timing is asserted.
 */

const TOKEN = 'limit-test-token';
const CHANNELS = ['1600000000000000001', '1600000000000000002', '1600000000000000003'];

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function discord(globalRequestsPerSecond?: number): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start({
    token: TOKEN,
    appId: '1600000000000000000',
    guilds: [{ id: '1600000000000000100', name: 'Limits', channels: CHANNELS.map((id, i) => ({ id, name: `c${i}` })) }],
    ...(globalRequestsPerSecond !== undefined && { globalRequestsPerSecond }),
  });
  closers.push(() => fake.close());
  return fake;
}

async function slack(postsPerChannelPerSecond?: number): Promise<FakeSlack> {
  const fake = await FakeSlack.start(postsPerChannelPerSecond ? { postsPerChannelPerSecond } : {});
  closers.push(() => fake.close());
  return fake;
}

const rawPost = (fake: FakeDiscord, channel: string, token = TOKEN) =>
  fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, { method: 'POST', headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: 'x' }) });

describe('fake Discord global limit', () => {
  it('answers 429 beyond N requests per second per bot token, the way Discord words it', async () => {
    const fake = await discord(2);
    const answers = [];
    for (const channel of CHANNELS) answers.push(await rawPost(fake, channel));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    const limited = answers[2]!;
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1);
    expect(await limited.json()).toEqual({ message: 'You are being rate limited.', retry_after: retryAfter, global: true });
    expect(fake.rateLimited).toBe(1);
    // Refused means not created.
    expect(fake.channelMessages(CHANNELS[2]!)).toHaveLength(0);
  });

  it('counts nothing and refuses nothing when no limit is set (existing tests)', async () => {
    const fake = await discord();
    for (let i = 0; i < 10; i++) expect((await rawPost(fake, CHANNELS[0]!)).status).toBe(200);
    expect(fake.rateLimited).toBe(0);
  });

  it('does not count requests without the bot token (interaction callbacks, webhooks)', async () => {
    const fake = await discord(1);
    expect((await rawPost(fake, CHANNELS[0]!, 'someone-else')).status).toBe(401);
    expect((await rawPost(fake, CHANNELS[0]!)).status).toBe(200);
    expect(fake.rateLimited).toBe(0);
  });

  it('discord.js REST waits out the Retry-After of a global 429 and lands every post once', async () => {
    const fake = await discord(2);
    // A client that believes it may send 100/s: only the fake's 429 can slow it down.
    const rest = new REST({ api: fake.apiUrl, globalRequestsPerSecond: 100 }).setToken(TOKEN);
    for (const channel of CHANNELS) await rest.post(Routes.channelMessages(channel), { body: { content: `to ${channel}` } });
    // One refusal: had the client retried before Retry-After ran out, the fake would have refused again.
    expect(fake.rateLimited).toBe(1);
    for (const channel of CHANNELS) expect(fake.channelMessages(channel).map((m) => m.content)).toEqual([`to ${channel}`]);
    const [refused, retried] = fake.calls.filter((c) => c.path === `/channels/${CHANNELS[2]}/messages`);
    expect(refused!.status).toBe(429);
    expect(retried!.status).toBe(200);
  });
});

describe('fake Slack chat.postMessage limit per channel', () => {
  const post = (fake: FakeSlack, channel: string) =>
    fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel, text: 'x' }) });

  it('takes a burst of two in a quiet channel, then answers 429 with a whole-second Retry-After; other channels are untouched', async () => {
    const fake = await slack(1);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await post(fake, 'CLIMIT1'));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
    expect(statuses[2]!.headers.get('retry-after')).toBe('1');
    expect(await statuses[2]!.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await post(fake, 'CLIMIT2')).status).toBe(200);
    expect(fake.channel('CLIMIT1')).toHaveLength(2);
    expect(fake.rateLimited).toBe(1);
  });

  it('limits nothing when no limit is set (existing tests)', async () => {
    const fake = await slack();
    for (let i = 0; i < 5; i++) expect((await post(fake, 'CFREE')).status).toBe(200);
    expect(fake.rateLimited).toBe(0);
  });

  it('the WebClient waits out Retry-After and its retry lands, once', async () => {
    const fake = await slack(1);
    const client = new webApi.WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: webApi.retryPolicies.rapidRetryPolicy, logLevel: webApi.LogLevel.ERROR });
    for (let i = 0; i < 3; i++) await client.chat.postMessage({ channel: 'CLIMIT1', text: `m${i}` });
    expect(fake.channel('CLIMIT1').map((m) => m.text)).toEqual(['m0', 'm1', 'm2']);
    // A retry before the second was up would have been refused again.
    expect(fake.rateLimited).toBe(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(4);
  });
});

describe('the bot paces itself under the limits', () => {
  it('splits the Discord token limit evenly between live instances, rounding down', async () => {
    expect([1, 2, 3, 7, 100, 0].map((n) => globalShare(50, n))).toEqual([50, 25, 16, 7, 1, 50]);
    const rest = new REST();
    let live = 3;
    const share = shareGlobalLimit(rest, { total: 50, liveInstances: async () => live, logger: silentLogger });
    try {
      expect(await share.refresh()).toBe(16);
      expect(rest.options.globalRequestsPerSecond).toBe(16);
      live = 1; // the others stopped: this one takes the whole limit again
      expect(await share.refresh()).toBe(50);
      const failing = shareGlobalLimit(rest, { total: 50, liveInstances: () => Promise.reject(new Error('store down')), logger: silentLogger });
      rest.options.globalRequestsPerSecond = 25;
      expect(await failing.refresh()).toBe(25); // keeps the last share rather than speeding up
      failing.stop();
    } finally {
      share.stop();
    }
  });

  it('the Slack poster spaces posts to one channel, so a channel\'s digest draws no 429', async () => {
    const fake = await slack(1);
    const client = new webApi.WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    const clock = { now: () => new Date() };
    const poster = new SlackPoster(client, { clock, logger: silentLogger, postIntervalMs: 1000 });
    const notice = (key: string) => ({ kind: 'notice' as const, key, text: key });
    const outcomes = await Promise.all([
      ...['a', 'b', 'c', 'd'].map((k) => poster.post('CPACED', notice(k))),
      poster.post('COTHER', notice('e')),
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(fake.rateLimited).toBe(0);
    expect(fake.channel('CPACED').map((m) => m.text)).toEqual(['a', 'b', 'c', 'd']);
  });
});
