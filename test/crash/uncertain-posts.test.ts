import { REST } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordPoster, nonceFor } from '../../adapters/discord/poster.ts';
import { boltLogger } from '../../adapters/slack/bolt-logger.ts';
import { createClient, POST_RETRY } from '../../adapters/slack/client.ts';
import { RETRY_LOOKBACK_SLACK_MS, SlackPoster } from '../../adapters/slack/poster.ts';
import { buildCards } from '../../src/commands/cards.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import type { ChatPoster, OutboundMessage } from '../../src/delivery/port.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { APP_ID, CHANNEL_ID, GUILD, PAPER_ID, seedPapers, TOKEN } from '../discord/harness.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';

/*
 * A post whose outcome a crash left unknown is retried with `attempt` > 1. These tests show
 * each adapter settles it against what is really in the channel, even where the platform's
 * own idempotency no longer helps.
 */

let store: Store;
let card: PaperCard;
let other: PaperCard;
const logger = memoryLogger();

beforeAll(async () => {
  store = await openStore(':memory:');
  await seedPapers(store);
  const team = await store.teams.ensureTeam({ platform: 'discord', externalId: GUILD.id }, new Date());
  const otherId = (await store.papers.listedBetween('2026-08-17', '2026-08-18')).find((p) => p.paperId !== PAPER_ID)!.paperId;
  [card, other] = await buildCards(store, team.id, null, [(await store.papers.get(PAPER_ID))!, (await store.papers.get(otherId))!]) as [PaperCard, PaperCard];
});
afterAll(() => store.close());

const paper = (key: string, attempt: number, c: PaperCard = card): OutboundMessage => ({ kind: 'paper', key, card: c, digestDate: '2026-08-18', attempt });
const header = (key: string, attempt: number, text = '3 new papers listed 2026-08-15 to 2026-08-18.'): OutboundMessage => ({ kind: 'header', key, title: 'Paperboy · Tue 18 Aug', text, digestDate: '2026-08-18', attempt });

describe('Discord: a retry after the nonce window has closed', () => {
  let fake: FakeDiscord;
  let poster: ChatPoster;
  const posts = () => fake.callsTo('POST', /^\/channels\/\d+\/messages$/);
  const reads = () => fake.callsTo('GET', /^\/channels\/\d+\/messages$/);

  beforeEach(async () => {
    // Discord forgets a nonce after a few minutes; a window of 0 is "the crash lasted longer".
    fake = await FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: [GUILD], nonceWindowMs: 0 });
    poster = createDiscordPoster(new REST({ api: fake.apiUrl }).setToken(TOKEN), logger);
  });
  afterEach(async () => {
    fake.assertNoUnmatched();
    await fake.close();
  });

  it('the fake really does post twice once the nonce is forgotten (what the lookup is for)', async () => {
    await poster.post(CHANNEL_ID, paper('d1', 1));
    await poster.post(CHANNEL_ID, paper('d1', 1));
    expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(2);
    expect(reads()).toEqual([]);
  });

  it('finds the paper by its button ids and returns that message instead of posting again', async () => {
    const first = await poster.post(CHANNEL_ID, paper('d1', 1));
    await poster.post(CHANNEL_ID, paper('d2', 1, other));
    const retried = await poster.post(CHANNEL_ID, paper('d1', 2));
    expect(first.ok && retried).toEqual({ ok: true, messageId: first.ok ? first.messageId : '' });
    expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(2);
    expect(posts()).toHaveLength(2);
    expect(reads().map((c) => c.query.get('limit'))).toEqual(['100']);
    expect(fake.callsTo('GET', /^\/users\/@me$/)).toHaveLength(1);
  });

  it('posts when the earlier try never reached Discord', async () => {
    await poster.post(CHANNEL_ID, paper('d2', 1, other));
    const retried = await poster.post(CHANNEL_ID, paper('d1', 3));
    expect(retried.ok).toBe(true);
    expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(2);
    expect(posts().at(-1)!.body.nonce).toBe(nonceFor('d1'));
  });

  it('finds a header by its key, not by its text: another header reading the same is posted', async () => {
    const first = await poster.post(CHANNEL_ID, header('h1', 1));
    expect(await poster.post(CHANNEL_ID, header('h1', 2))).toEqual(first);
    expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(1);
    // A second slot on the same day with the same count reads exactly alike: still its own message.
    const sameText = await poster.post(CHANNEL_ID, header('h2', 2));
    expect(sameText.ok && sameText.messageId).not.toBe(first.ok && first.messageId);
    expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(2);
    // And a header whose text changed between tries (the count, say) is still found by its key.
    expect(await poster.post(CHANNEL_ID, header('h1', 3, '4 new papers listed 2026-08-15 to 2026-08-18.'))).toEqual(first);
    expect(fake.channelMessages(CHANNEL_ID)).toHaveLength(2);
  });

  it('is not fooled by the same paper shown by a command reply or posted by another bot', async () => {
    const sent = (await poster.post(CHANNEL_ID, paper('probe', 1))) as { ok: true; messageId: string };
    const { embeds, components } = fake.messages.get(sent.messageId)!;
    fake.messages.get(sent.messageId)!.deleted = true; // only the look-alikes stay in the channel
    fake.seedMessage(CHANNEL_ID, { embeds, components }, { webhook: true }); // a /papers search reply
    fake.seedMessage(CHANNEL_ID, { embeds, components }, { author: { id: '1499999999999990001', username: 'paperboy-staging', bot: true } });
    const retried = await poster.post(CHANNEL_ID, paper('d1', 2));
    expect(retried.ok).toBe(true);
    expect(posts()).toHaveLength(2);
  });

  it('does not post blind when the channel cannot be read; a deleted channel disables it', async () => {
    fake.script('GET', /^\/channels\/\d+\/messages$/, { status: 503, body: { message: 'upstream' } }, 4);
    expect(await poster.post(CHANNEL_ID, paper('d1', 2))).toMatchObject({ ok: false, action: 'retry' });
    expect(posts()).toEqual([]);
    fake.deleteChannel(CHANNEL_ID);
    expect(await poster.post(CHANNEL_ID, paper('d1', 3))).toMatchObject({ ok: false, action: 'disable-channel', reason: expect.stringContaining('10003') });
    expect(posts()).toEqual([]);
  });
});

describe('Slack: a retry is never posted without reading the channel', () => {
  let fake: FakeSlack;
  const clock = fixedClock('2026-08-18T09:00:00Z');
  /** A poster with its own WebClient: what one bot process has. */
  const slackPoster = (historyLimit?: number) =>
    new SlackPoster(createClient('xoxb-crash', { apiUrl: fake.apiUrl, logger: boltLogger(logger) }, POST_RETRY), { clock, logger, ...(historyLimit ? { historyLimit } : {}) });
  const keyed = (key: string) => fake.channel('C1').filter((m) => m.metadata?.event_payload.key === key);

  beforeEach(async () => {
    fake = await FakeSlack.start({ token: 'xoxb-crash', now: () => clock.now().getTime() });
  });
  afterEach(async () => {
    fake.assertClean();
    await fake.close();
  });

  it('after a failed first read, a fresh post goes ahead but a retry waits for the history', async () => {
    // The process that crashed had posted d1; this one starts and cannot read the history at first.
    await slackPoster().post('C1', paper('d1', 1));
    const restarted = slackPoster();
    fake.script('conversations.history', { status: 503 });
    expect((await restarted.post('C1', header('h9', 1))).ok).toBe(true);
    fake.script('conversations.history', { status: 503 });
    expect(await restarted.post('C1', paper('d1', 2))).toMatchObject({ ok: false, action: 'retry' });
    expect(fake.channel('C1')).toHaveLength(2);
    // Once Slack answers, the retry finds the post the crashed process made.
    expect(await restarted.post('C1', paper('d1', 3))).toMatchObject({ ok: true, messageId: fake.channel('C1')[0]!.ts });
    expect(fake.channel('C1')).toHaveLength(2);
  });

  it('two processes: the second retries a post the first made and died before recording; it finds it pages down, though it read the channel before', async () => {
    // Process B has been posting here: it read the channel's history once already.
    const b = slackPoster(5);
    expect((await b.post('C1', paper('d0', 1))).ok).toBe(true);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);

    // Process A claims d1, posts it, and is killed before it settles.
    clock.advance(60_000);
    const firstTriedAt = clock.now();
    const a = slackPoster(5);
    expect((await a.post('C1', paper('d1', 1, other))).ok).toBe(true);
    const historyBefore = fake.callsTo('conversations.history').length;
    // The channel moves on: people talk, so the post sinks below the first pages.
    for (let i = 0; i < 12; i++) {
      clock.advance(1_000);
      fake.seedMessage('C1', { text: `chat ${i}`, user: 'UHUMAN', bot_id: '' });
    }

    // A's lease runs out; B takes the delivery over as a retry.
    clock.advance(90_000);
    const retried = await b.post('C1', { ...paper('d1', 2, other), firstTriedAt });
    expect(retried).toMatchObject({ ok: true, messageId: keyed('d1')[0]!.ts });
    expect(keyed('d1')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    const pages = fake.callsTo('conversations.history').slice(historyBefore);
    expect(pages.length).toBe(3); // 5 + 5 + the page holding d1
    const lookback = ((firstTriedAt.getTime() - RETRY_LOOKBACK_SLACK_MS) / 1000).toFixed(6);
    for (const page of pages) expect(page.params).toMatchObject({ channel: 'C1', oldest: lookback, include_all_metadata: true });
    expect(pages.slice(1).every((p) => typeof p.params.cursor === 'string')).toBe(true);
  });

  it('a retry whose first try never reached Slack reads back only to that try, then posts once', async () => {
    // Older traffic, from before the first try: the search must not page through it.
    for (let i = 0; i < 20; i++) {
      fake.seedMessage('C1', { text: `old ${i}` });
      clock.advance(1_000);
    }
    clock.advance(RETRY_LOOKBACK_SLACK_MS + 60_000);
    const firstTriedAt = clock.now();
    clock.advance(120_000);
    const b = slackPoster(5);
    expect((await b.post('C1', { ...paper('d7', 3), firstTriedAt })).ok).toBe(true);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    expect(keyed('d7')).toHaveLength(1);
  });
});
