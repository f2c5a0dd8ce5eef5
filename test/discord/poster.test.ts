import { Client, DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError, RateLimitError } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyDiscordError, nonceFor } from '../../adapters/discord/poster.ts';
import { buildCards } from '../../src/commands/cards.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import type { OutboundMessage } from '../../src/delivery/port.ts';
import { CHANNEL_ID, GUILD, PAPER_ID, startHarness, type Harness } from './harness.ts';

function apiError(status: number, code: number, message: string): DiscordAPIError {
  return new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', { body: {} });
}

describe('classifyDiscordError', () => {
  it.each([
    [404, 10003, 'Unknown Channel'],
    [403, 50001, 'Missing Access'],
    [403, 50013, 'Missing Permissions'],
  ])('%i %i %s disables the channel', (status, code, message) => {
    expect(classifyDiscordError(apiError(status, code, message))).toMatchObject({ ok: false, action: 'disable-channel' });
  });

  it('disables the team when the token is dead', async () => {
    expect(classifyDiscordError(apiError(401, 0, '401: Unauthorized')).action).toBe('disable-team');
    // The error discord.js itself raises for a missing or malformed token.
    const tokenInvalid = await new Client({ intents: [] }).login('').catch((e: unknown) => e);
    expect(tokenInvalid).toBeInstanceOf(DiscordjsError);
    expect((tokenInvalid as DiscordjsError).code).toBe(DiscordjsErrorCodes.TokenInvalid);
    expect(classifyDiscordError(tokenInvalid).action).toBe('disable-team');
    expect(classifyDiscordError(new Error('Expected token to be set for this request, but none was present')).action).toBe('disable-team');
  });

  it('gives up the message alone on a 400 to a POST (Invalid Form Body): sending it again cannot pass', () => {
    expect(classifyDiscordError(apiError(400, 50035, 'Invalid Form Body'))).toMatchObject({ ok: false, action: 'drop' });
    expect(classifyDiscordError(apiError(400, 50006, 'Cannot send an empty message'))).toMatchObject({ ok: false, action: 'drop' });
  });

  it('retries 5xx, network failures and rate limits the library gave up on', () => {
    expect(classifyDiscordError(new HTTPError(503, 'Service Unavailable', 'POST', 'u', { body: {} })).action).toBe('retry');
    expect(classifyDiscordError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ action: 'retry', reason: 'network: ECONNREFUSED' });
    const limited = new RateLimitError({ timeToReset: 900, limit: 5, method: 'POST', hash: 'h', url: 'u', route: '/channels/:id/messages', majorParameter: '1', global: false, retryAfter: 900, sublimitTimeout: 0, scope: 'user' });
    expect(classifyDiscordError(limited)).toMatchObject({ action: 'retry', retryAfterMs: 900 });
  });
});

describe('posting through discord.js REST to the fake', () => {
  let h: Harness;
  let card: PaperCard;
  beforeAll(async () => {
    h = await startHarness();
    const team = await h.store.teams.ensureTeam({ platform: 'discord', externalId: GUILD.id }, new Date());
    const paper = (await h.store.papers.get(PAPER_ID))!;
    card = (await buildCards(h.store, team.id, null, [paper]))[0]!;
  });
  afterEach(() => h.fake.assertNoUnmatched());
  afterAll(async () => h?.close());

  const paperMessage = (key: string, c: PaperCard = card): OutboundMessage => ({ kind: 'paper', key, card: c, digestDate: '2026-08-18' });
  const posts = () => h.fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL_ID}/messages$`));

  it('posts a paper with a short nonce, enforce_nonce and no mentions, and returns the message id', async () => {
    const outcome = await h.adapter.poster.post(CHANNEL_ID, paperMessage('digest:1:2026-08-18:2608.14391'));
    expect(outcome.ok).toBe(true);
    const body = posts().at(-1)!.body;
    expect(body.nonce).toBe(nonceFor('digest:1:2026-08-18:2608.14391'));
    expect(body.nonce.length).toBeLessThanOrEqual(25);
    expect(body.enforce_nonce).toBe(true);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0].title).toBe(card.paper.title);
    if (outcome.ok) expect(h.fake.messages.get(outcome.messageId)?.channel_id).toBe(CHANNEL_ID);
  });

  it('posts one message for one key, however often it is retried', async () => {
    const before = h.fake.messages.size;
    const a = await h.adapter.poster.post(CHANNEL_ID, paperMessage('retried-key'));
    const b = await h.adapter.poster.post(CHANNEL_ID, paperMessage('retried-key'));
    expect(a).toEqual(b);
    expect(h.fake.messages.size).toBe(before + 1);
    expect(nonceFor('retried-key')).not.toBe(nonceFor('another-key'));
  });

  it('waits out a 429 as the library does (Retry-After honoured) and then posts', async () => {
    h.fake.script('POST', /^\/channels\/\d+\/messages$/, {
      status: 429,
      headers: { 'retry-after': '0.3' },
      body: { message: 'You are being rate limited.', retry_after: 0.3, global: false },
    });
    const before = posts().length;
    const outcome = await h.adapter.poster.post(CHANNEL_ID, paperMessage('rate-limited'));
    expect(outcome.ok).toBe(true);
    const tries = posts().slice(before);
    expect(tries.map((c) => c.status)).toEqual([429, 200]);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(300);
    expect(tries[1]!.body.nonce).toBe(tries[0]!.body.nonce);
  });

  it('gives "disable this channel" for a channel Discord no longer knows (10003)', async () => {
    const outcome = await h.adapter.poster.post('1499999999999999999', paperMessage('gone'));
    expect(outcome).toMatchObject({ ok: false, action: 'disable-channel' });
    expect(h.fake.callsTo('POST', /^\/channels\/1499999999999999999\/messages$/).map((c) => c.status)).toEqual([404]);
  });

  it('gives "disable this channel" for Missing Permissions (50013)', async () => {
    h.fake.forbiddenChannels.add(GUILD.channels[1]!.id);
    const outcome = await h.adapter.poster.post(GUILD.channels[1]!.id, paperMessage('forbidden'));
    expect(outcome).toMatchObject({ ok: false, action: 'disable-channel', reason: expect.stringContaining('50013') });
  });

  it('gives "retry" once the library has retried a 5xx', async () => {
    h.fake.script('POST', /^\/channels\/\d+\/messages$/, { status: 502, body: { message: 'Bad Gateway' } }, 4);
    const before = posts().length;
    const outcome = await h.adapter.poster.post(CHANNEL_ID, paperMessage('server-down'));
    expect(outcome).toMatchObject({ ok: false, action: 'retry' });
    expect(posts().length - before).toBe(4); // the first try and the library's 3 retries
  });

  it('posts a title with @everyone and a role mention without any mention parsing', async () => {
    const hostile: PaperCard = { ...card, paper: { ...card.paper, id: '2608.99999', title: '@everyone look <@&123> and <@456>' } };
    await h.adapter.poster.post(CHANNEL_ID, paperMessage('hostile', hostile));
    await h.adapter.poster.post(CHANNEL_ID, { kind: 'header', key: 'hostile-header', title: '@everyone digest <@&123>', text: '@here 3 papers', digestDate: '2026-08-18' });
    const [paperPost, headerPost] = posts().slice(-2).map((c) => c.body);
    for (const body of [paperPost, headerPost]) expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(paperPost.embeds[0].title).toContain('\\<@&123>');
    expect(headerPost.embeds[0].title).toContain('\\<@&123>');
  });

  it('gives "drop" for 400 Invalid Form Body: one request, logged with the payload\'s shape, not its text', async () => {
    const errors = { embeds: { '0': { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }] } } } };
    h.fake.script('POST', /^\/channels\/\d+\/messages$/, { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } });
    const before = posts().length;
    const mark = h.logger.entries.length;
    const outcome = await h.adapter.poster.post(CHANNEL_ID, paperMessage('malformed'));
    expect(outcome).toMatchObject({ ok: false, action: 'drop', reason: expect.stringContaining('50035') });
    expect(posts().length - before).toBe(1);
    const logged = h.logger.entries.slice(mark).find((e) => e.msg === 'discord refused the message as formed; given up, not retried')!;
    expect(logged).toBeDefined();
    expect((logged.shape as any).embeds[0].title).toBe(`<${card.paper.title.length} chars>`);
    expect(JSON.stringify(logged)).not.toContain(card.paper.title);
    expect(logged.reason).toContain('embeds[0].description[BASE_TYPE_MAX_LENGTH]');
  });
});
