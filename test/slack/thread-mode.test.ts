import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { openApp, type App } from '../../src/app.ts';
import { reactionEnvelope } from '../support/fake-slack/slack-requests.ts';
import { CHANNEL, PEOPLE, startHarness, TEAM, type Harness } from './harness.ts';

/*
 * Thread mode (`/papers schedule ... thread`): a digest's papers go in a thread under its
 * header. Driven end to end: the Slack command over signed HTTP, `/papers digest post` through
 * the real delivery engine and the adapter's poster, what arrives at the fake Slack.
 */

let h: Harness;
let app: App;
beforeAll(async () => {
  h = await startHarness();
  app = await openApp({ dbPath: ':memory:', store: h.runtime.store, clock: h.runtime.clock, logger: h.runtime.logger, commands });
  app.posters.register(h.adapter.poster);
  // The adapter's commands post through this engine, as in `paperboy start`.
  h.runtime.services.postDigestNow = (channelId) => app.delivery.postNow(channelId);
});
afterAll(() => h.close()); // closes the store the app shares
afterEach(() => {
  h.fake.chaos = null;
  h.fake.assertClean();
});

const admin = PEOPLE.admin!;
const key = (m: { metadata?: { event_payload: Record<string, unknown> } | undefined }) => String(m.metadata?.event_payload.key ?? '');
/** The newest digest's header in the channel, and the messages in its thread. */
function lastDigest(channel = CHANNEL) {
  const all = h.fake.channel(channel);
  const header = all.filter((m) => /^h\d+$/.test(key(m))).at(-1)!;
  return { header, thread: all.filter((m) => m.thread_ts === header.ts && m.ts !== header.ts) };
}
async function channelRow(channel = CHANNEL) {
  const team = await h.runtime.store.teams.findTeam('slack', TEAM);
  return (await h.runtime.store.teams.findChannel(team!.id, channel))!;
}
/** `/papers <text>` by a workspace admin in `channel`. Each scenario below uses its own channel: papers are posted once per channel. */
const manage = (text: string, channel = CHANNEL) => h.command(text, admin, { channel_id: channel });

describe('thread mode', () => {
  it('is turned on by `/papers schedule ... thread` and kept per channel', async () => {
    const reply = await manage('schedule 09:00 thread');
    expect(reply.body.text).toContain('Papers are posted in a thread under the header.');
    expect((await channelRow()).thread_mode).toBe(1);
    // A later schedule change without the word keeps it, and says so.
    expect((await manage('schedule 10:00 UTC daily')).body.text).toContain('in a thread under the header');
    expect((await channelRow()).thread_mode).toBe(1);
  });

  it('posts the papers in a thread under the header, and the header in the channel', async () => {
    const reply = await manage('digest post');
    const { header, thread } = lastDigest();
    expect(header.thread_ts).toBeUndefined();
    expect(thread.length).toBeGreaterThan(0);
    expect(thread.every((m) => /^d\d+$/.test(key(m)))).toBe(true);
    expect(reply.body.text).toContain(`Posted ${thread.length} paper`);
    // Nothing of the digest outside the thread but its header.
    expect(h.fake.channel(CHANNEL).filter((m) => !m.thread_ts && key(m) !== '').map(key)).toEqual([key(header)]);
    const papersPosted = h.fake.callsTo('chat.postMessage').filter((c) => String(c.params.metadata ?? '').includes('"d'));
    expect(papersPosted.every((c) => c.params.thread_ts === header.ts)).toBe(true);
  });

  it('a reaction on a paper in the thread redraws its vote count', async () => {
    const { thread } = lastDigest();
    const paper = thread[0]!;
    const eventId = 'EvTHREAD1';
    const res = await h.slack.event(reactionEnvelope({ eventId, channel: CHANNEL, teamId: TEAM, user: PEOPLE.member!.id, reaction: '+1', ts: paper.ts }));
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.fake.callsTo('chat.update').find((c) => c.params.ts === paper.ts), 'the redraw');
    expect(JSON.stringify(paper.blocks)).toContain('👍 Upvote (1)');
    // Found in its thread: conversations.history never holds replies.
    expect(h.fake.callsTo('conversations.replies').some((c) => c.params.ts === paper.ts)).toBe(true);
  });

  it('a retry after a lost answer finds the paper in the thread and does not post it twice', async () => {
    const channel = 'C222';
    await manage('schedule 09:00 thread', channel);
    let lost = false;
    // The first paper's post reaches Slack, but its answer is lost on the way back.
    h.fake.chaos = (call) => (call.method === 'chat.postMessage' && call.params.thread_ts && !lost ? ((lost = true), { lose: true }) : undefined);
    const first = await manage('digest post', channel);
    expect(lost).toBe(true);
    expect(first.body.text).toMatch(/Posted \d+ of \d+; the rest will follow/);
    const { header } = lastDigest(channel);

    h.runtime.clock.advance(60 * 60_000); // past the retry delay
    await app.delivery.sendPending();
    const { thread } = lastDigest(channel);
    const keys = thread.map(key);
    expect(keys.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
    // The retry read the header's thread for its key.
    expect(h.fake.callsTo('conversations.replies').some((c) => c.params.channel === channel && c.params.ts === header.ts)).toBe(true);
    // The papers' rows (the header is a delivery row too, posted in the channel).
    const rows = await h.runtime.store.db.selectFrom('deliveries').select(['state', 'message_id']).where('channel_id', '=', (await channelRow(channel)).id).where('kind', '=', 'paper').execute();
    expect(rows.map((r) => r.state)).toEqual(keys.map(() => 'sent'));
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(thread.map((m) => m.ts)));
  });

  it('is turned off by `nothread`: the next digest goes in the channel', async () => {
    const channel = 'C333';
    await manage('schedule 09:00 thread', channel);
    const reply = await manage('schedule 09:00 nothread', channel);
    expect(reply.body.text).toContain('Papers are posted in the channel.');
    expect((await channelRow(channel)).thread_mode).toBe(0);
    await manage('digest post', channel);
    const posted = h.fake.channel(channel);
    expect(posted.length).toBeGreaterThan(1);
    expect(posted.every((m) => m.thread_ts === undefined)).toBe(true);
  });
});
