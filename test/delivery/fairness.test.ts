import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { openApp, type App } from '../../src/app.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { hfDay } from '../support/core-harness.ts';
import { RecordingPoster } from '../support/recording-poster.ts';
import { openTestStore } from '../support/test-store.ts';

/**
 * Posting is fair across teams: team A has many channels due first, team B one channel due a
 * moment later; B's digest goes out among the first sends, not after A's whole fan-out.
 */
const A_CHANNELS = 12;
const POSTS_PER_CHANNEL = 6; // a header and the 5 papers a channel without topics gets
const CONCURRENCY = 2;

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function world(opts: { unpostableTeams?: number; roundMs?: number } = {}) {
  const clock = fixedClock('2026-08-21T08:00:00Z');
  const store = await openTestStore();
  app = await openApp({ dbPath: ':memory:', store, clock, logger: memoryLogger(), commands, health: { readyFor: async () => true }, delivery: { concurrency: CONCURRENCY, ...(opts.roundMs === undefined ? {} : { roundMs: opts.roundMs }) } });
  const poster = new RecordingPoster('console');
  app.posters.register(poster);
  await store.papers.upsertMany(hfDay('2026-08-21').items, clock.now());
  const everyDay = [1, 2, 3, 4, 5, 6, 7];
  const channel = async (team: string, name: string, time: string, platform = 'console') => {
    const t = await store.teams.ensureTeam({ platform, externalId: team }, clock.now());
    const ch = await store.teams.ensureChannel(t.id, { externalId: name }, clock.now());
    await store.schedules.set(ch.id, { times: [time], timezone: 'UTC', weekdays: everyDay }, clock.now());
    await store.teams.activate(ch.id, clock.now());
  };
  // Teams on a platform this process is not connected to (their posts wait for a bot that is):
  // first in every turn, since they are due first.
  for (let i = 1; i <= (opts.unpostableTeams ?? 0); i++) await channel(`D${i}`, `d${i}`, '08:59', 'discord');
  // A's channels exist before B's (lower ids): served in id order, B would come last.
  for (let i = 1; i <= A_CHANNELS; i++) await channel('A', `a${i}`, '09:00');
  await channel('B', 'b1', '09:01');
  const order = () => poster.posts.map((p) => p.channel);
  // Each post takes the platform 10 s. Posting starts once the tick has planned A's digests,
  // as it would with posts this slow.
  const slowPosts = () => {
    let planned = false;
    const post = poster.post.bind(poster);
    poster.post = async (channel, message) => {
      while (!planned) {
        planned = (await store.db.selectFrom('digests').select('id').where('channel_id', 'in', store.db.selectFrom('channels').select('id').where('external_id', 'like', 'a%')).execute()).length === A_CHANNELS;
        if (!planned) await new Promise((r) => setTimeout(r, 1));
      }
      clock.advance(10_000);
      return post(channel, message);
    };
  };
  return { app, clock, poster, order, slowPosts };
}

function expectEveryPostOnce(poster: RecordingPoster) {
  const keys = poster.posts.map((p) => `${p.channel}/${p.message.key}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toHaveLength((A_CHANNELS + 1) * POSTS_PER_CHANNEL);
}

describe('fair posting across teams', () => {
  it("both due in one tick: B's one channel is among the first served, not after A's twelve", async () => {
    const w = await world();
    w.clock.set('2026-08-21T09:01:00Z');
    await w.app.delivery.tick();
    const order = w.order();
    expectEveryPostOnce(w.poster);
    // A's backlog is 72 posts; B's header comes within the first two channels' worth of posts
    // (first come, it would be post 73), and all of B is out before A's second half starts. B may
    // start beside A's second channel (two at a time): its header then lands at worst right after
    // that channel's last post.
    expect(order.indexOf('b1')).toBeLessThanOrEqual(2 * POSTS_PER_CHANNEL);
    expect(order.lastIndexOf('b1')).toBeLessThan((A_CHANNELS * POSTS_PER_CHANNEL) / 2);
  });

  it('a long fan-out is interleaved with a digest that comes due while it runs', async () => {
    const w = await world();
    w.slowPosts(); // A's 72 posts, 2 at a time, take six minutes
    w.clock.set('2026-08-21T09:00:00Z');
    await w.app.delivery.tick(); // only A is due when it starts; B comes due at 09:01, mid-fan-out
    const order = w.order();
    expectEveryPostOnce(w.poster);
    const firstB = order.indexOf('b1');
    // The first round ends after a minute (the channels in flight finish); the next one plans
    // B's digest and serves B among its first channels.
    expect(firstB).toBeGreaterThan(0);
    // First come, B would be post 73 (or wait for the next tick); here it follows the few of
    // A's channels started before 09:01.
    expect(firstB).toBeLessThan(5 * POSTS_PER_CHANNEL);
  });

  it('channels this process cannot post to never use up the turns: the others still go out', async () => {
    // Rounds as short as can be (as when planning outlasts a round): every pass stops after its
    // least; idle channels first in every turn must not be all a round does.
    const w = await world({ unpostableTeams: 3, roundMs: 0 });
    w.slowPosts();
    w.clock.set('2026-08-21T09:00:00Z');
    await w.app.delivery.tick();
    expectEveryPostOnce(w.poster);
    expect(w.order().indexOf('b1')).toBeLessThan(5 * POSTS_PER_CHANNEL);
    // Theirs stay queued for a bot connected to their platform.
    const waiting = await w.app.store.db.selectFrom('deliveries').innerJoin('channels', 'channels.id', 'deliveries.channel_id').select('deliveries.state').where('channels.external_id', 'like', 'd%').execute();
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((d) => d.state === 'planned')).toBe(true);
  });
});
