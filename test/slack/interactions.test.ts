import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCards } from '../../src/commands/cards.ts';
import { addDays } from '../../src/domain/clock.ts';
import { postThroughOutbox } from '../support/outbox-post.ts';
import { blockActionsPayload, reactionEnvelope, slackJsonFixture, type ReactionFields } from '../support/fake-slack/slack-requests.ts';
import { CHANNEL, PEOPLE, responseId, startHarness, TEAM, type Harness } from './harness.ts';

const PAPER = '2608.14391';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
afterEach(() => h.fake.assertClean());
// Every test starts from no votes and no saves.
beforeEach(async () => {
  await h.runtime.store.db.deleteFrom('votes').execute();
  await h.runtime.store.db.deleteFrom('saves').execute();
});

let posts = 0;

/** Posts a paper through the outbox, as the digest does. */
async function digestPost(paperId = PAPER, channel = CHANNEL): Promise<{ ts: string; teamId: number }> {
  const { store, clock } = h.runtime;
  const team = await store.teams.ensureTeam({ platform: 'slack', externalId: TEAM }, clock.now());
  const ch = await store.teams.ensureChannel(team.id, { externalId: channel }, clock.now());
  const paper = (await store.papers.get(paperId))!;
  const [card] = await buildCards(store, team.id, null, [paper], new Map([[paperId, 'topic: video detection']]));
  const { messageId } = await postThroughOutbox(store, h.adapter.poster, { channelId: ch.id, externalId: channel, digestDate: addDays('2026-08-17', posts++), slot: 'test' }, card!, clock.now());
  return { ts: messageId, teamId: team.id };
}

function stored(ts: string) {
  return h.fake.channel(CHANNEL).find((m) => m.ts === ts)!;
}

function buttonLabel(ts: string, actionId: string): string {
  const actions = (stored(ts).blocks as Array<Record<string, any>>).find((b) => b.type === 'actions')!;
  return actions.elements.find((e: Record<string, string>) => e.action_id === actionId).text.text;
}

async function click(ts: string, actionId: string, user = PEOPLE.member!) {
  const id = responseId('click');
  const msg = stored(ts);
  const res = await h.slack.blockActions(
    blockActionsPayload({ actionId, value: PAPER, responseUrl: h.fake.responseUrl(id), userId: user.id, teamId: TEAM, channelId: CHANNEL, message: { ts, text: msg.text, blocks: msg.blocks! } }),
  );
  expect(res.status).toBe(200);
  return h.fake.waitFor(() => h.fake.responsesTo(id)[0], 'the button confirmation');
}

describe('Upvote and Save buttons', () => {
  it('toggle the vote and redraw the message with the new count', async () => {
    const { ts, teamId } = await digestPost();
    const before = JSON.stringify(stored(ts).blocks);
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (0)');

    const first = await click(ts, `pb:vote:${PAPER}`);
    expect(first.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(first.body.text).toContain(`Upvoted ${PAPER}`);
    const update = h.fake.callsTo('chat.update').at(-1)!;
    expect(update.params).toMatchObject({ channel: CHANNEL, ts });
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (1)');
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(1);
    // Only the buttons changed: the note the digest posted with stays.
    expect(JSON.stringify(stored(ts).blocks)).toContain('topic: video detection');
    expect(JSON.stringify(stored(ts).blocks).replace('Upvote (1)', 'Upvote (0)')).toBe(before);

    const second = await click(ts, `pb:vote:${PAPER}`);
    expect(second.body.text).toContain('Removed your vote');
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (0)');
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(0);
  });

  it('save to the reading list of the person who clicked', async () => {
    const { ts, teamId } = await digestPost();
    const r = await click(ts, `pb:save:${PAPER}`, PEOPLE.owner);
    expect(r.body.text).toContain(`Saved ${PAPER}`);
    expect(await h.runtime.store.saves.find(teamId, PEOPLE.owner!.id, PAPER)).not.toBeNull();
    expect(await h.runtime.store.saves.find(teamId, PEOPLE.member!.id, PAPER)).toBeNull();
    await click(ts, `pb:save:${PAPER}`, PEOPLE.owner);
    expect(await h.runtime.store.saves.find(teamId, PEOPLE.owner!.id, PAPER)).toBeNull();
  });

  it('end up showing the final count when several people click at once', async () => {
    const { ts, teamId } = await digestPost();
    await Promise.all([click(ts, `pb:vote:${PAPER}`, PEOPLE.member), click(ts, `pb:vote:${PAPER}`, PEOPLE.owner), click(ts, `pb:vote:${PAPER}`, PEOPLE.admin)]);
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(3);
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (3)');
  });

  it('wait out a 429 on chat.update (Retry-After) and still redraw', async () => {
    const { ts } = await digestPost();
    const before = h.fake.callsTo('chat.update').length;
    h.fake.script('chat.update', { rateLimit: 1 });
    await click(ts, `pb:vote:${PAPER}`);
    const calls = h.fake.callsTo('chat.update').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (1)');
  });

  it('fall back to response_url when Slack refuses chat.update for the message', async () => {
    const { ts } = await digestPost();
    h.fake.script('chat.update', { error: 'cant_update_message' });
    const id = responseId('fallback');
    const msg = stored(ts);
    await h.slack.blockActions(blockActionsPayload({ actionId: `pb:vote:${PAPER}`, responseUrl: h.fake.responseUrl(id), userId: PEOPLE.member!.id, message: { ts, text: msg.text, blocks: msg.blocks! } }));
    const [replace, confirm] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length >= 2 ? h.fake.responsesTo(id) : undefined), 'redraw and confirmation');
    expect(replace!.body).toMatchObject({ replace_original: true });
    expect(JSON.stringify(replace!.body.blocks)).toContain('👍 Upvote (1)');
    expect(confirm!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('redraw an ephemeral message (a private list) through its response_url, not chat.update', async () => {
    const r = await h.command(`show ${PAPER}`);
    const updates = h.fake.callsTo('chat.update').length;
    const id = responseId('eph');
    await h.slack.blockActions(
      blockActionsPayload({ actionId: `pb:save:${PAPER}`, responseUrl: h.fake.responseUrl(id), userId: PEOPLE.member!.id, ephemeral: true, message: { ts: '1787000999.000001', text: String(r.body.text), blocks: r.body.blocks as unknown[] } }),
    );
    const [replace] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length >= 2 ? h.fake.responsesTo(id) : undefined), 'redraw and confirmation');
    expect(replace!.body).toMatchObject({ replace_original: true });
    expect(h.fake.callsTo('chat.update').length).toBe(updates);
  });

  it('say so privately when the paper is gone, and redraw nothing', async () => {
    const { ts } = await digestPost();
    const updates = h.fake.callsTo('chat.update').length;
    const id = responseId('gone');
    await h.slack.blockActions(blockActionsPayload({ actionId: 'pb:vote:2601.00001', responseUrl: h.fake.responseUrl(id), userId: PEOPLE.member!.id, message: { ts, text: '', blocks: stored(ts).blocks! } }));
    const r = await h.fake.waitFor(() => h.fake.responsesTo(id)[0]);
    expect(r.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'I no longer have paper 2601.00001.' });
    expect(h.fake.callsTo('chat.update').length).toBe(updates);
  });

  it('link buttons are acked and change nothing', async () => {
    const { ts } = await digestPost();
    const calls = h.fake.calls.length;
    const res = await h.slack.blockActions(blockActionsPayload({ actionId: `pb:open:arxiv:${PAPER}`, responseUrl: h.fake.responseUrl('open'), userId: PEOPLE.member!.id, message: { ts, text: '', blocks: stored(ts).blocks! } }));
    expect(res.status).toBe(200);
    expect(h.fake.calls.length).toBe(calls);
  });
});

describe('reactions on a digest paper', () => {
  let seq = 0;
  const nextEventId = () => `EvTEST${++seq}`;

  async function react(f: Omit<ReactionFields, 'channel' | 'eventId'> & { eventId?: string; channel?: string }, headers?: Record<string, string>) {
    const eventId = f.eventId ?? nextEventId();
    const res = await h.slack.event(reactionEnvelope({ channel: CHANNEL, teamId: TEAM, ...f, eventId }), headers ? { headers } : {});
    expect(res.status).toBe(200);
    return eventId;
  }

  /** Waits until the listener has finished with an event (applied, dropped or ignored). */
  function settled(eventId: string, n = 1) {
    return h.fake.waitFor(() => h.runtime.logger.entries.filter((e) => e.event === eventId && /slack (reaction|event)/.test(e.msg)).length >= n || undefined, `event ${eventId}`);
  }

  let ts: string;
  let teamId: number;
  beforeEach(async () => {
    ({ ts, teamId } = await digestPost());
  });

  it('👍 votes, ⬆️ votes, 🔖 saves; removing the reaction undoes it', async () => {
    await settled(await react({ user: PEOPLE.member!.id, reaction: '+1', ts }));
    await settled(await react({ user: PEOPLE.owner!.id, reaction: 'arrow_up::skin-tone-3', ts }));
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(2);
    await settled(await react({ user: PEOPLE.member!.id, reaction: 'bookmark', ts }));
    expect(await h.runtime.store.saves.find(teamId, PEOPLE.member!.id, PAPER)).not.toBeNull();

    await settled(await react({ type: 'reaction_removed', user: PEOPLE.member!.id, reaction: '+1', ts, eventTs: '1360782900.000001' }));
    expect(await h.runtime.store.votes.votedBy(teamId, PEOPLE.member!.id, [PAPER])).toEqual(new Set());
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(1);
    await settled(await react({ type: 'reaction_removed', user: PEOPLE.member!.id, reaction: 'bookmark', ts, eventTs: '1360782900.000002' }));
    expect(await h.runtime.store.saves.find(teamId, PEOPLE.member!.id, PAPER)).toBeNull();
  });

  it('a reaction redraws the vote count through chat.update, as a button click does', async () => {
    const updates = () => h.fake.callsTo('chat.update').filter((c) => c.params.ts === ts);
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (0)');
    await settled(await react({ user: PEOPLE.member!.id, reaction: '+1', ts }));
    expect(updates()).toHaveLength(1);
    expect(updates()[0]!.params.channel).toBe(CHANNEL);
    expect(JSON.stringify(updates()[0]!.params.blocks)).toContain('👍 Upvote (1)');
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (1)');
    // Only the buttons change: the rest of the message (its topic note) is kept.
    expect(JSON.stringify(stored(ts).blocks)).toContain('topic: video detection');
    await settled(await react({ user: PEOPLE.owner!.id, reaction: 'thumbsup', ts }));
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (2)');
    await settled(await react({ type: 'reaction_removed', user: PEOPLE.member!.id, reaction: '+1', ts, eventTs: '1360782900.000003' }));
    expect(buttonLabel(ts, `pb:vote:${PAPER}`)).toBe('👍 Upvote (1)');
    expect(updates()).toHaveLength(3);
  });

  it('the same event delivered 4 times (retries, two at once) counts once', async () => {
    const eventId = nextEventId();
    const f = { eventId, user: PEOPLE.member!.id, reaction: 'thumbsup', ts };
    await Promise.all([react(f), react(f, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })]);
    await react(f, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    await react(f, { 'x-slack-retry-num': '3', 'x-slack-retry-reason': 'http_error' });
    await settled(eventId, 4);
    const entries = h.runtime.logger.entries.filter((e) => e.event === eventId);
    expect(entries.filter((e) => e.msg === 'slack reaction applied')).toHaveLength(1);
    expect(entries.filter((e) => e.msg.includes('already handled'))).toHaveLength(3);
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(1);
  });

  it('a late redelivery of "added" does not undo a later removal', async () => {
    const added = { eventId: nextEventId(), user: PEOPLE.member!.id, reaction: '+1', ts, eventTs: '1360782801.000000' };
    await settled(await react(added));
    await settled(await react({ type: 'reaction_removed', user: PEOPLE.member!.id, reaction: '+1', ts, eventTs: '1360782802.000000' }));
    await settled(await react(added, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }), 2);
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(0);
  });

  it('ignores reactions on messages that are not digest papers, and other emoji', async () => {
    const other = h.fake.seedMessage(CHANNEL, { text: 'lunch?' });
    const a = await react({ user: PEOPLE.member!.id, reaction: '+1', ts: other.ts });
    const b = await react({ user: PEOPLE.member!.id, reaction: 'heart_eyes', ts });
    await settled(a);
    await settled(b);
    expect(h.runtime.logger.entries.filter((e) => e.event === a || e.event === b).map((e) => e.msg)).toEqual(['slack reaction ignored', 'slack reaction ignored']);
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(0);
  });

  it("the bot's own reactions are not votes", async () => {
    await react({ user: h.fake.botUserId, reaction: '+1', ts });
    // Bolt drops the bot's own events before any listener; a person's vote afterwards is the barrier.
    await settled(await react({ user: PEOPLE.owner!.id, reaction: '+1', ts }));
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(1);
    expect(await h.runtime.store.votes.votedBy(teamId, h.fake.botUserId, [PAPER])).toEqual(new Set());
  });
});

describe('requests not signed by Slack', () => {
  it('are refused with 401 and change nothing', async () => {
    const { ts, teamId } = await digestPost();
    const callsBefore = h.fake.calls.length;
    const now = Math.floor(Date.now() / 1000);
    const vote = (eventId: string) => reactionEnvelope({ eventId, channel: CHANNEL, teamId: TEAM, user: PEOPLE.member!.id, reaction: '+1', ts });
    const cmd = (id: string) => ({ text: 'vote 2608.14391', response_url: h.fake.responseUrl(id), team_id: TEAM, channel_id: CHANNEL, user_id: PEOPLE.admin!.id });

    const rejected = [
      await h.slack.event(vote('EvBAD1'), { secret: 'not-the-signing-secret' }),
      await h.slack.event(vote('EvBAD2'), { timestamp: now - 6 * 60 }),
      await h.slack.event(vote('EvBAD3'), { tamper: (b) => b.replace(PEOPLE.member!.id, PEOPLE.admin!.id) }),
      await h.slack.slashCommand(cmd('bad-sig'), { secret: 'not-the-signing-secret' }),
      await h.slack.slashCommand(cmd('bad-old'), { timestamp: now - 6 * 60 }),
      await h.slack.slashCommand(cmd('bad-tamper'), { tamper: (b) => b.replace('vote', 'save') }),
      await h.slack.blockActions(blockActionsPayload({ actionId: `pb:vote:${PAPER}`, responseUrl: h.fake.responseUrl('bad-click'), userId: PEOPLE.member!.id }), { timestamp: now - 6 * 60 }),
    ];
    expect(rejected.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);

    // A genuine request afterwards, as a barrier: once its effect is there, any effect of the rejected ones would be too.
    const ok = await h.command('show 2608.14391');
    expect(ok.body.response_type).toBe('in_channel');
    expect(h.fake.responses.filter((r) => r.id.startsWith('bad-'))).toEqual([]);
    expect(h.fake.calls.length).toBe(callsBefore);
    expect(await h.runtime.store.votes.count(teamId, PAPER)).toBe(0);
    expect(await h.runtime.store.saves.list(teamId, null)).toEqual([]);
    expect(h.runtime.logger.entries.filter((e) => String(e.event ?? '').startsWith('EvBAD'))).toEqual([]);
    // The log says which setting to check when real requests fail like this.
    expect(h.runtime.logger.entries.filter((e) => e.level === 'warn' && String(e.hint).includes('SLACK_SIGNING_SECRET')).length).toBe(7);
  });

  it('answers the url_verification challenge (signed) from the recorded payload', async () => {
    const challenge = slackJsonFixture<{ challenge: string }>('events_api_url_verification.json');
    const res = await h.slack.event(challenge);
    expect(res.status).toBe(200);
    expect(res.body).toContain(challenge.challenge);
  });
});
