import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boltLogger } from '../../adapters/slack/bolt-logger.ts';
import { createClient, POST_RETRY } from '../../adapters/slack/client.ts';
import { classifySlackError, DELIVERY_EVENT_TYPE, RETRY_LOOKBACK_SLACK_MS, SlackPoster } from '../../adapters/slack/poster.ts';
import { buildCards } from '../../src/commands/cards.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import type { OutboundMessage } from '../../src/delivery/port.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { FakeSlack } from '../support/fake-slack/fake-slack.ts';
import { NOW, seedPapers, TOKEN } from './harness.ts';

let fake: FakeSlack;
let store: Store;
let card: PaperCard;
const logger = memoryLogger();
const clock = fixedClock(NOW);

function poster(token = TOKEN): SlackPoster {
  return new SlackPoster(createClient(token, { apiUrl: fake.apiUrl, logger: boltLogger(logger) }, POST_RETRY), { clock, logger });
}

let n = 0;
function paperMessage(c: PaperCard = card): OutboundMessage {
  return { kind: 'paper', key: `C1:2026-08-17:${c.paper.id}:${++n}`, card: c, digestDate: '2026-08-17' };
}

beforeAll(async () => {
  store = await openStore(':memory:');
  const [id] = await seedPapers(store);
  const team = await store.teams.ensureTeam({ platform: 'slack', externalId: 'T111' }, clock.now());
  card = (await buildCards(store, team.id, null, [(await store.papers.get(id!))!]))[0]!;
});
afterAll(() => store.close());
beforeEach(async () => {
  fake = await FakeSlack.start({ token: TOKEN });
});
afterEach(async () => {
  fake.assertClean();
  await fake.close();
});

describe('SlackPoster', () => {
  it('posts a paper with its delivery key in message metadata and no link unfurls', async () => {
    const msg = paperMessage();
    const out = await poster().post('C1', msg);
    expect(out).toMatchObject({ ok: true, messageId: fake.channel('C1')[0]!.ts });
    const call = fake.callsTo('chat.postMessage')[0]!;
    expect(call.token).toBe(TOKEN);
    expect(call.params).toMatchObject({ channel: 'C1', unfurl_links: false, unfurl_media: false, metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: msg.key } } });
    expect(String(call.params.text)).toContain(card.paper.title.slice(0, 30));
  });

  it('posts a title containing <!channel> inert', async () => {
    const evil: PaperCard = { ...card, paper: { ...card.paper, title: 'Attention <!channel>: <!here> <@U024BE7LH> & <!everyone> are all you need' } };
    await poster().post('C1', paperMessage(evil));
    const raw = JSON.stringify(fake.callsTo('chat.postMessage')[0]!.params);
    expect(raw).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U024BE7LH>/);
    expect(raw).toContain('&lt;!channel&gt;');
    expect(raw).toContain('&lt;@U024BE7LH&gt;');
  });

  it('lets the library wait out a 429 (Retry-After) and posts once', async () => {
    fake.script('chat.postMessage', { rateLimit: 1 });
    const out = await poster().post('C1', paperMessage());
    expect(out, JSON.stringify(out)).toMatchObject({ ok: true });
    const calls = fake.callsTo('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.channel('C1')).toHaveLength(1);
  });

  it('does not retry a 5xx itself, and checks the history before the next try', async () => {
    const p = poster();
    const msg = paperMessage();
    fake.script('chat.postMessage', { status: 500 });
    expect(await p.post('C1', msg)).toMatchObject({ ok: false, action: 'retry' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);

    const historyBefore = fake.callsTo('conversations.history').length;
    const again = await p.post('C1', msg);
    expect(again.ok).toBe(true);
    expect(fake.callsTo('conversations.history').length).toBe(historyBefore + 1);
    expect(fake.channel('C1')).toHaveLength(1);
  });

  it('finds a post whose response was lost instead of posting it twice', async () => {
    const p = poster();
    const msg = paperMessage();
    fake.script('chat.postMessage', { lose: true });
    const lost = await p.post('C1', msg);
    expect(lost).toMatchObject({ ok: false, action: 'retry' });
    expect(fake.channel('C1')).toHaveLength(1); // Slack did post it

    const again = await p.post('C1', msg);
    expect(again).toMatchObject({ ok: true, messageId: fake.channel('C1')[0]!.ts });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.callsTo('conversations.history').at(-1)!.params).toMatchObject({ channel: 'C1', include_all_metadata: true });
  });

  it('after a restart, finds what the previous process posted (one history read per channel)', async () => {
    const msg = paperMessage();
    expect((await poster().post('C1', msg)).ok).toBe(true);

    const restarted = poster();
    expect(await restarted.post('C1', msg)).toMatchObject({ ok: true, messageId: fake.channel('C1')[0]!.ts });
    expect((await restarted.post('C1', paperMessage())).ok).toBe(true);
    expect((await restarted.post('C1', paperMessage())).ok).toBe(true);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect(fake.callsTo('conversations.history')).toHaveLength(2); // once per process
    expect(await restarted.findPosted('C1', msg.key)).toBe(fake.channel('C1')[0]!.ts);
  });

  it('without the history scope, posts anyway (even a retry) instead of stopping the workspace', async () => {
    fake.script('conversations.history', { error: 'missing_scope' }, { error: 'missing_scope' });
    const p = poster();
    expect((await p.post('C1', paperMessage())).ok).toBe(true);
    expect((await poster().post('C1', { ...paperMessage(), attempt: 2 })).ok).toBe(true);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    expect(logger.entries.some((e) => e.msg === 'slack history check failed; posting without it' && String(e.fix).includes('groups:history'))).toBe(true);
  });

  it('a retry in a busy channel pages back to its first try: found below 250 newer messages, not posted twice', async () => {
    const msg = paperMessage();
    fake.script('chat.postMessage', { lose: true });
    expect(await poster().post('C1', msg)).toMatchObject({ ok: false, action: 'retry' });
    const landed = fake.channel('C1')[0]!;
    const firstTriedAt = new Date(Number(landed.ts) * 1000 - 1000); // on Slack's clock, a moment before it landed
    for (let i = 0; i < 250; i++) fake.seedMessage('C1', { text: `chatter ${i}`, user: 'U0PEOPLE', bot_id: undefined });

    // Another process (it remembers nothing) retries the post.
    const readsBefore = fake.callsTo('conversations.history').length;
    const retried = await poster().post('C1', { ...msg, attempt: 2, firstTriedAt });
    expect(retried).toMatchObject({ ok: true, messageId: landed.ts });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    const reads = fake.callsTo('conversations.history').slice(readsBefore);
    expect(reads).toHaveLength(2); // 200 newest, then the page holding the post
    expect(Number(reads[0]!.params.oldest)).toBeCloseTo((firstTriedAt.getTime() - RETRY_LOOKBACK_SLACK_MS) / 1000, 3);
    expect(reads[1]!.params.cursor).toBeTruthy();
  });

  it('without the history scope, says so with each post; once the history reads again, says it is fine', async () => {
    fake.script('conversations.history', { error: 'missing_scope' });
    const p = poster();
    const first = await p.post('C1', paperMessage());
    expect(first).toMatchObject({ ok: true, checkProblem: expect.stringContaining('channels:history and groups:history') });
    expect(await p.post('C1', paperMessage())).toMatchObject({ ok: true, checkProblem: expect.stringContaining('missing_scope') });
    // A retry reads the history (scope granted meanwhile): the problem is gone.
    expect(await p.post('C1', { ...paperMessage(), attempt: 2 })).toMatchObject({ ok: true, checkProblem: null });
  });

  it('says which channels and workspaces to stop posting to', async () => {
    fake.channelErrors.set('CGONE', 'channel_not_found');
    fake.channelErrors.set('COUT', 'not_in_channel');
    expect(await poster().post('CGONE', paperMessage())).toMatchObject({ ok: false, action: 'disable-channel' });
    expect(await poster().post('COUT', paperMessage())).toMatchObject({ ok: false, action: 'disable-channel', reason: expect.stringContaining('/invite @Paperboy') });
    expect(await poster('xoxb-revoked').post('C1', paperMessage())).toMatchObject({ ok: false, action: 'disable-team', reason: expect.stringContaining('invalid_auth') });
    expect(fake.channel('C1')).toEqual([]);
  });

  it('tries a stop notice in a channel that just went away, even after a doubtful post (no history read first)', async () => {
    const p = poster();
    fake.script('chat.postMessage', { status: 500 });
    expect(await p.post('C1', paperMessage())).toMatchObject({ ok: false, action: 'retry' });
    fake.channelErrors.set('C1', 'channel_not_found');
    const historyBefore = fake.callsTo('conversations.history').length;
    expect(await p.post('C1', { kind: 'notice', key: 'off1', text: "I've stopped posting digests here" })).toMatchObject({ ok: false, action: 'disable-channel' });
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params.text === "I've stopped posting digests here")).toHaveLength(1);
    expect(fake.callsTo('conversations.history').length).toBe(historyBefore);
  });

  it('posts digest headers and notices as well', async () => {
    const p = poster();
    expect((await p.post('C1', { kind: 'header', key: 'h1', title: 'Papers for Monday', text: '5 papers on `diffusion`', digestDate: '2026-08-17' })).ok).toBe(true);
    expect((await p.post('C1', { kind: 'notice', key: 'n1', text: 'Nothing new today <!here>' })).ok).toBe(true);
    const [header, notice] = fake.callsTo('chat.postMessage');
    expect((header!.params.blocks as Array<{ type: string }>)[0]!.type).toBe('header');
    expect(String(notice!.params.text)).toBe('Nothing new today &lt;!here&gt;');
  });
});

describe('classifySlackError', () => {
  const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
  it.each([
    ['not_in_channel', 'disable-channel'],
    ['channel_not_found', 'disable-channel'],
    ['is_archived', 'disable-channel'],
    ['invalid_auth', 'disable-team'],
    ['token_revoked', 'disable-team'],
    ['account_inactive', 'disable-team'],
    ['ratelimited', 'retry'],
    ['internal_error', 'retry'],
  ])('%s -> %s', (code, action) => {
    const out = classifySlackError(platform(code));
    expect(out.action).toBe(action);
    expect(out.reason).toContain(code);
  });

  it('treats rate limits, 5xx and network failures as worth another try', () => {
    expect(classifySlackError(new webApi.WebAPIRateLimitedError(30))).toEqual({ ok: false, action: 'retry', reason: 'rate limited by Slack', retryAfterMs: 30_000 });
    expect(classifySlackError(new webApi.WebAPIRequestError(new Error('A rate limit was exceeded (url: x, retry-after: 7)')))).toMatchObject({ action: 'retry', retryAfterMs: 7_000 });
    expect(classifySlackError(new webApi.WebAPIHTTPError(503, 'Service Unavailable', {}))).toMatchObject({ action: 'retry', reason: expect.stringContaining('503') });
    expect(classifySlackError(new webApi.WebAPIRequestError(new Error('ECONNRESET')))).toMatchObject({ action: 'retry' });
  });
});
