import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reactionAction } from '../../adapters/discord/reactions.ts';
import { buildCards } from '../../src/commands/cards.ts';
import { postThroughOutbox } from '../support/outbox-post.ts';
import { reactionAdd, reactionRemove, type FakeUser } from '../support/fake-discord/index.ts';
import { ALICE, APP_ID, BOB, CHANNEL_ID, GUILD, OTHER_BOT, PAPER_ID, startHarness, type Harness } from './harness.ts';

describe('reactionAction', () => {
  it('reads 👍 and ⬆️ (with or without the emoji selector, any skin tone) as a vote and 🔖 as a save', () => {
    for (const name of ['👍', '👍🏽', '⬆️', '⬆']) expect(reactionAction({ id: null, name })).toBe('vote');
    expect(reactionAction({ id: null, name: '🔖' })).toBe('save');
    expect(reactionAction({ id: null, name: '😊' })).toBeNull();
    expect(reactionAction({ id: '123', name: 'thumbsup' })).toBeNull();
  });
});

describe('reactions on a posted digest paper', () => {
  let h: Harness;
  let teamId: number;
  let messageId: string;

  beforeAll(async () => {
    h = await startHarness();
    const now = new Date();
    const team = await h.store.teams.ensureTeam({ platform: 'discord', externalId: GUILD.id }, now);
    const channel = await h.store.teams.ensureChannel(team.id, { externalId: CHANNEL_ID }, now);
    teamId = team.id;
    const [card] = await buildCards(h.store, team.id, null, [(await h.store.papers.get(PAPER_ID))!]);
    // Posted through the outbox, as the digest posts it.
    ({ messageId } = await postThroughOutbox(h.store, h.adapter.poster, { channelId: channel.id, externalId: CHANNEL_ID, digestDate: '2026-08-18', slot: 'test' }, card!, now));
  });
  afterEach(() => h.fake.assertNoUnmatched());
  afterAll(async () => h?.close());

  const who = (user: FakeUser) => ({ guild: GUILD, channelId: CHANNEL_ID, user });

  /** Waits until the adapter has handled the n-th reaction (applied or ignored), and returns its outcome. */
  async function handled(emoji: string, user: FakeUser, mark: number): Promise<string> {
    const entry = await h.fake.waitFor(`the reaction ${emoji} by ${user.username} to be handled`, () =>
      h.logger.entries.slice(mark).find((e) => (e.msg === 'reaction applied' || e.msg === 'reaction ignored') && e.user === user.id && e.emoji === emoji),
    );
    return String(entry.outcome);
  }

  async function react(emoji: string, user: FakeUser, on = true): Promise<string> {
    const mark = h.logger.entries.length;
    h.fake.gateway.dispatch(on ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', on ? reactionAdd(who(user), messageId, emoji, APP_ID) : reactionRemove(who(user), messageId, emoji));
    return handled(emoji, user, mark);
  }

  const votes = () => h.store.votes.count(teamId, PAPER_ID);
  const upvoteLabel = () => h.fake.messages.get(messageId)!.components[0].components[0].label;

  it('counts 👍 as a vote and redraws the count on the message; removing it takes the vote back', async () => {
    expect(await react('👍', ALICE)).toBe('applied');
    expect(await votes()).toBe(1);
    expect(upvoteLabel()).toBe('Upvote (1)');
    expect(await react('👍', ALICE, false)).toBe('applied');
    expect(await votes()).toBe(0);
    expect(upvoteLabel()).toBe('Upvote (0)');
  });

  it('counts ⬆️ as a vote too, and a repeated add once', async () => {
    await react('⬆️', BOB);
    await react('⬆️', BOB);
    expect(await votes()).toBe(1);
    await react('⬆️', BOB, false);
    expect(await votes()).toBe(0);
  });

  it('saves on 🔖 and unsaves when it is removed', async () => {
    await react('🔖', ALICE);
    expect(await h.store.saves.find(teamId, ALICE.id, PAPER_ID)).toBeTruthy();
    await react('🔖', ALICE, false);
    expect(await h.store.saves.find(teamId, ALICE.id, PAPER_ID)).toBeFalsy();
  });

  it("ignores other bots' reactions and the bot's own", async () => {
    expect(await react('👍', OTHER_BOT)).toBe('by-bot');
    expect(await react('👍', { id: APP_ID, username: 'Paperboy', bot: true })).toBe('by-bot');
    expect(await votes()).toBe(0);
  });

  it('ignores other emoji (the recorded 😊) and messages that are not digest posts', async () => {
    expect(await react('😊', ALICE)).toBe('not-ours');
    const mark = h.logger.entries.length;
    h.fake.gateway.dispatch('MESSAGE_REACTION_ADD', reactionAdd(who(ALICE), '1450000000000000000', '👍', ALICE.id));
    expect(await handled('👍', ALICE, mark)).toBe('not-a-digest-post');
    expect(await votes()).toBe(0);
  });

  it('takes back a vote given before a restart, from a user this client never saw', async () => {
    const stranger: FakeUser = { id: '1400000000000009999', username: 'stranger' };
    await h.store.votes.set(teamId, stranger.id, PAPER_ID, true, new Date());
    expect(await votes()).toBe(1);
    // A removal carries only user_id: without the User partial discord.js would drop it.
    expect(await react('👍', stranger, false)).toBe('applied');
    expect(await votes()).toBe(0);
  });
});
