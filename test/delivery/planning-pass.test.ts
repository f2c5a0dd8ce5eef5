import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.ts';
import { openApp } from '../../src/app.ts';
import { planChannelDigestOn } from '../../src/digest/preview.ts';
import { memoryLogger, silentLogger } from '../../src/logger.ts';
import { parseSearchQuery, queryKey } from '../../src/search/query.ts';
import { newInstanceIdentity } from '../../src/store/instances.ts';
import { deliveryHarness, type DeliveryHarness } from './harness.ts';

/*
 * A planning pass reads the window's listings, upvotes and each team's votes once and shares
 * them among its channels (src/digest/plan-reads.ts). What it plans must equal what each
 * channel planned alone would get, and nothing it read may outlive the pass.
 */

let h: DeliveryHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MAX = 3;

describe('a planning pass', () => {
  it('plans each channel of a team as that channel alone would be planned, team votes included; a vote cast after the pass counts in the next one', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const { store } = h.app;
    const channels = [await h.channel('a', '09:00 UTC daily'), await h.channel('b', '09:00 UTC daily'), await h.channel('c', '10:00 UTC daily')];
    for (const id of channels) await store.teams.setMaxPapers(id, MAX);
    const team = (await store.teams.getChannel(channels[0]!))!.team_id;

    // By upvotes alone, the 4th and 5th papers miss a 3-paper digest; votes lift the 4th in.
    const byUpvotes = (await store.db.selectFrom('papers').select(['id', 'upvotes']).execute()).sort((x, y) => y.upvotes - x.upvotes || y.id.localeCompare(x.id));
    const [fourth, fifth] = [byUpvotes[MAX]!.id, byUpvotes[MAX + 1]!.id];
    const lift = Math.ceil((byUpvotes[0]!.upvotes - byUpvotes[MAX]!.upvotes + 1) / 10);
    for (let u = 0; u < lift; u++) await store.votes.set(team, `u${u}`, fourth, true, h.clock.now());
    // b follows a topic that the least upvoted paper matches: its digest leads with that paper.
    const last = byUpvotes[byUpvotes.length - 1]!.id;
    const word = (await store.papers.get(last))!.title.split(/\W+/).sort((x, y) => y.length - x.length)[0]!;
    await store.topics.add(channels[1]!, word, queryKey(parseSearchQuery(word)), 'admin', h.clock.now());

    h.clock.set('2026-08-21T09:00:00Z');
    // What each of a and b gets planned alone (no pass), before the pass writes anything.
    const alone = await Promise.all(channels.slice(0, 2).map(async (id) => (await planChannelDigestOn(store, (await store.teams.getChannel(id))!, '2026-08-21', silentLogger)).picked.map((p) => p.paperId)));
    expect(alone[0]).toContain(fourth);
    expect(alone[1]![0]).toBe(last);
    expect(await h.app.delivery.planDue()).toBe(2);
    for (const [i, id] of channels.slice(0, 2).entries()) {
      const planned = await store.db.selectFrom('deliveries').select('paper_id').where('channel_id', '=', id).where('kind', '=', 'paper').orderBy('rank').execute();
      expect(planned.map((r) => r.paper_id)).toEqual(alone[i]);
    }

    // Votes for the 5th after that pass: the next pass (c's slot) reads them anew.
    const overtake = Math.ceil((byUpvotes[MAX]!.upvotes + 10 * lift - byUpvotes[MAX + 1]!.upvotes + 1) / 10);
    for (let u = 0; u < overtake; u++) await store.votes.set(team, `v${u}`, fifth, true, h.clock.now());
    h.clock.set('2026-08-21T10:00:00Z');
    expect(await h.app.delivery.planDue()).toBe(1);
    const c = await store.db.selectFrom('deliveries').select('paper_id').where('channel_id', '=', channels[2]!).where('kind', '=', 'paper').orderBy('rank').execute();
    expect(c.map((r) => r.paper_id).slice(0, 2)).toEqual([fifth, fourth]);
  });

  it('reports channels visited in walk order: one with nothing to plan only after the due channel before it is planned', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const channels = [await h.channel('c0', '09:30 UTC daily'), await h.channel('c1', '09:00 UTC daily'), await h.channel('c2', '09:30 UTC daily'), await h.channel('c3', '09:00 UTC daily')];
    h.clock.set('2026-08-21T09:00:00Z');
    const seen: Array<{ id: number; done: boolean; digests?: number }> = [];
    const planned = await h.app.delivery.planDue((id, done) => {
      // With how many digests written by then: sending takes only visited channels.
      const entry: (typeof seen)[number] = { id, done };
      seen.push(entry);
      void h!.app.store.db.selectFrom('digests').select('id').execute().then((rows) => (entry.digests = rows.length));
    });
    expect(planned).toBe(2);
    await vi.waitFor(() => expect(seen.every((e) => e.digests !== undefined)).toBe(true));
    expect(seen.map((e) => [e.id, e.done])).toEqual([
      [channels[0], false],
      [channels[1], true],
      [channels[2], false],
      [channels[3], true],
    ]);
    // c2 (nothing due) is reported once c1, before it in the walk, is planned.
    expect(seen[2]!.digests).toBeGreaterThanOrEqual(1);
  });

  it('reads the channels to plan a chunk at a time; a chunk that cannot be read is planned next round, and the others go on', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const channels = [];
    for (const name of ['c0', 'c1', 'c2']) channels.push(await h.channel(name, '09:00 UTC daily'));
    const { store } = h.app;
    const logger = memoryLogger();
    const app = await openApp({ dbPath: ':memory:', store, clock: h.clock, logger, commands, delivery: { planChunk: 2 } });
    const reads: number[][] = [];
    const planningStates = store.outbox.planningStates.bind(store.outbox);
    store.outbox.planningStates = async (ids, from, before) => {
      reads.push([...ids]);
      if (reads.length === 1) throw new Error('connection reset');
      return planningStates(ids, from, before);
    };
    try {
      h.clock.set('2026-08-21T09:00:00Z');
      const visited: number[] = [];
      expect(await app.delivery.planDue((id) => visited.push(id))).toBe(1);
      expect(reads).toEqual([channels.slice(0, 2), channels.slice(2)]);
      expect(visited).toEqual(channels); // the failed chunk's channels too: sending need not wait for them
      expect(logger.entries.some((e) => e.msg === 'reading channels to plan failed')).toBe(true);
      for (const [i, id] of channels.entries()) expect(await h.digests(id)).toHaveLength(i < 2 ? 0 : 1);
      // The next round plans the first two; c2's slot is known planned, so it is not read again.
      h.clock.set('2026-08-21T09:01:00Z');
      expect(await app.delivery.planDue()).toBe(2);
      expect(reads[2]).toEqual(channels.slice(0, 2));
      for (const id of channels) expect(await h.digests(id)).toHaveLength(1);
    } finally {
      store.outbox.planningStates = planningStates;
    }
  });

  it('in a fleet, each live instance starts its walk at its own share of the channels; every slot is still planned once', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const channels = [];
    for (const name of ['c0', 'c1', 'c2', 'c3']) channels.push(await h.channel(name, '09:00 UTC daily'));
    const { store } = h.app;
    const other = await openApp({ dbPath: ':memory:', store, clock: h.clock, logger: memoryLogger(), commands, instance: newInstanceIdentity() });
    h.clock.set('2026-08-21T09:00:00Z');
    const visits = async (app: typeof other) => {
      const order: number[] = [];
      const planned = await app.delivery.planDue((id) => order.push(id));
      return { order, planned };
    };

    // Alone, the walk is the fair order as it is (before the slot: every channel visited, none due).
    await store.instances.register(other.instance, new Date('2026-08-21T08:30:00Z'));
    h.clock.set('2026-08-21T08:59:30Z');
    await store.instances.heartbeat(other.instance.id, h.clock.now());
    expect((await visits(other)).order).toEqual(channels);
    // An instance that started earlier joins: it takes the first share, the other the second.
    h.clock.set('2026-08-21T09:00:00Z');
    await store.instances.register(h.app.instance, new Date('2026-08-21T08:00:00Z'));
    await store.instances.heartbeat(h.app.instance.id, h.clock.now());
    await store.instances.heartbeat(other.instance.id, h.clock.now());
    const [first, second] = await Promise.all([visits(h.app), visits(other)]);
    expect(first.order).toEqual(channels);
    expect(second.order).toEqual([...channels.slice(2), ...channels.slice(0, 2)]);
    expect(first.planned + second.planned).toBe(4);
    for (const id of channels) expect(await h.digests(id)).toHaveLength(1);
  });
});
