import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryRow } from '../../src/store/schema.ts';
import { deliveryHarness, type DeliveryHarness } from './harness.ts';

/*
 * A sender claims a digest's ready rows as one run (one statement), posts them one by one,
 * settles each as it goes, and gives back what it does not post. These pin what a run may
 * take, and that nothing it gives back counts as tried.
 */

let h: DeliveryHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lease = (owner: string, from: Date, ms = 60_000) => ({ owner, until: new Date(from.getTime() + ms) });
const ids = (rows: readonly DeliveryRow[]) => rows.map((r) => r.id);

/** A channel with today's 5-paper digest (header + 5 papers) planned. */
async function plannedChannel(): Promise<{ h: DeliveryHarness; channelId: number; external: string }> {
  const harness = await deliveryHarness('2026-08-21T08:59:00Z');
  await harness.list('2026-08-21', '2026-08-21');
  const channelId = await harness.channel('lab', '09:00 UTC daily');
  harness.clock.set('2026-08-21T09:00:00Z');
  expect(await harness.app.delivery.planDue()).toBe(1);
  return { h: harness, channelId, external: 'lab' };
}

async function rowsOf(harness: DeliveryHarness, channelId: number): Promise<DeliveryRow[]> {
  return harness.app.store.db.selectFrom('deliveries').selectAll().where('channel_id', '=', channelId).orderBy('digest_id').orderBy('rank').execute();
}

describe('claim runs', () => {
  it('take a digest\'s ready rows in rank order under one lease; another instance gets nothing meanwhile; a row waiting for its retry holds back the rows after it', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    const { outbox } = h.app.store;
    const t0 = h.clock.now();

    const run = await outbox.claimRun(channelId, t0, lease('a', t0), 12);
    expect(run.map((r) => [r.kind, r.rank])).toEqual([['header', 0], ['paper', 1], ['paper', 2], ['paper', 3], ['paper', 4], ['paper', 5]]);
    expect(run.every((r) => r.state === 'sending' && r.lease_owner === 'a' && r.attempts === 1)).toBe(true);
    expect(await outbox.claimRun(channelId, t0, lease('b', t0), 12)).toEqual([]);

    // The header is posted; the first paper must wait a minute; the rest are given back untried.
    expect(await outbox.markSent(run[0]!.id, 'm0', t0, 'a')).toBe(true);
    expect(await outbox.markRetry(run[1]!.id, 'rate limited', new Date(t0.getTime() + 60_000), t0, 'a')).toBe(true);
    expect(await outbox.releaseClaims(ids(run.slice(2)), 'b', t0)).toBe(0); // only the holder gives back
    expect(await outbox.releaseClaims(ids(run.slice(2)), 'a', t0)).toBe(4);
    const back = (await rowsOf(h, channelId)).slice(2);
    expect(back.map((r) => [r.state, r.attempts, r.claimed_at, r.lease_owner])).toEqual(Array(4).fill(['planned', 0, null, null]));

    // Papers 2-5 are ready, but paper 1 waits: nothing goes before it.
    expect(await outbox.claimRun(channelId, new Date(t0.getTime() + 30_000), lease('b', t0), 12)).toEqual([]);
    const t1 = new Date(t0.getTime() + 61_000);
    const second = await outbox.claimRun(channelId, t1, lease('b', t1), 3);
    // A run is at most `max` rows: paper 1 on its second try, papers 2 and 3 on their first.
    expect(second.map((r) => [r.rank, r.attempts])).toEqual([[1, 2], [2, 1], [3, 1]]);
  });

  it('never span two digests', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    const { outbox } = h.app.store;
    const t0 = h.clock.now();
    const papers = await h.app.store.db.selectFrom('papers').select('id').orderBy('id', 'desc').limit(2).execute();
    const manual = await outbox.plan(
      { channelId, digestDate: '2026-08-22', slot: 'manual-1', dueAt: t0, kind: 'manual', windowFrom: '2026-08-21', windowTo: '2026-08-21', header: true, papers: papers.map((p, i) => ({ paperId: p.id, rank: i + 1, topics: [] })) },
      t0,
    );
    expect(manual).not.toBeNull();

    const first = await outbox.claimRun(channelId, t0, lease('a', t0), 50);
    expect(new Set(first.map((r) => r.digest_id)).size).toBe(1);
    expect(first).toHaveLength(6);
    for (const r of first) await outbox.markSent(r.id, `m${r.id}`, t0, 'a');
    const second = await outbox.claimRun(channelId, t0, lease('a', t0), 50);
    expect(second.map((r) => [r.digest_id, r.kind])).toEqual([[manual, 'header'], [manual, 'paper'], [manual, 'paper']]);
  });

  it('are renewed together, and only by their holder', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    const { outbox } = h.app.store;
    const t0 = h.clock.now();
    await outbox.claimRun(channelId, t0, lease('a', t0), 12);
    const later = new Date(t0.getTime() + 40_000);
    expect(await outbox.renewChannelLeases(channelId, lease('b', later))).toBe(false);
    expect(await outbox.renewChannelLeases(channelId, lease('a', later))).toBe(true);
    const until = new Set((await rowsOf(h, channelId)).map((r) => r.lease_until));
    expect([...until]).toEqual([new Date(later.getTime() + 60_000).toISOString()]);
  });

  it('the engine claims a digest at once, and gives back what follows a post that must wait: those count no attempt', async () => {
    let channelId: number;
    let external: string;
    ({ h, channelId, external } = await plannedChannel());
    const seen: Array<Array<[string, number]>> = [];
    const poster = h.poster;
    let n = 0;
    poster.script = (_channel, message) => {
      n++;
      if (n === 1) {
        // While the header goes out, every row of the digest is already ours.
        void rowsOf(h!, channelId).then((rows) => seen.push(rows.map((r) => [r.state, r.attempts])));
      }
      return message.kind === 'paper' && n === 3 ? { ok: false, action: 'retry', reason: 'rate limited', retryAfterMs: 120_000 } : null;
    };
    const report = await h.app.delivery.sendChannel(channelId);
    expect(report).toMatchObject({ sent: 2, retried: 1 });
    expect(seen[0]).toEqual(Array(6).fill(['sending', 1]));
    expect(poster.papersIn(external)).toHaveLength(1);
    const rows = await rowsOf(h, channelId);
    expect(rows.map((r) => [r.rank, r.state, r.attempts])).toEqual([
      [0, 'sent', 1],
      [1, 'sent', 1],
      [2, 'planned', 1],
      [3, 'planned', 0],
      [4, 'planned', 0],
      [5, 'planned', 0],
    ]);
    // After the wait, the rest go out; paper 2 as a retry (checked first), papers 3-5 as first tries.
    h.clock.advance(121_000);
    poster.script = () => null;
    expect(await h.app.delivery.sendChannel(channelId)).toMatchObject({ sent: 4 });
    expect(poster.calls.slice(-4).map((c) => c.message.attempt)).toEqual([2, 1, 1, 1]);
    expect(poster.papersIn(external)).toHaveLength(5);
  });

  it('after a crash mid-run, only the row that was in flight is checked at the platform; the rest go out as first tries', async () => {
    let channelId: number;
    let external: string;
    ({ h, channelId, external } = await plannedChannel());
    const { outbox } = h.app.store;
    h.clock.advance(1_000);
    const t0 = h.clock.now();
    // An instance claims the digest, posts the header, and dies while paper 1 is in flight.
    const run = await outbox.claimRun(channelId, t0, lease('dead', t0), 12);
    expect(await outbox.markSent(run[0]!.id, 'm0', t0, 'dead')).toBe(true);
    h.clock.advance(61_000);
    expect(await h.app.delivery.sendChannel(channelId)).toMatchObject({ sent: 5 });
    // Every paper was claimed twice, but only paper 1 can have reached the channel.
    expect((await rowsOf(h, channelId)).slice(1).map((r) => r.attempts)).toEqual([2, 2, 2, 2, 2]);
    expect(h.poster.calls.map((c) => [c.message.kind, c.message.attempt])).toEqual([['paper', 2], ...Array(4).fill(['paper', 1])]);
    expect(h.poster.papersIn(external)).toHaveLength(5);
  });

  it('a paper tried in an older digest, taken over by a newer one, is still checked after a crash wherever it stands in the run', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    const { outbox } = h.app.store;
    h.clock.advance(1_000);
    const t0 = h.clock.now();
    // Today's digest: every post lands but paper 3's, given up after a try that may have landed.
    const first = await outbox.claimRun(channelId, t0, lease('a', t0), 12);
    for (const r of first) {
      if (r.rank === 3) await outbox.markFailed(r.id, 'timed out', t0, 'a');
      else await outbox.markSent(r.id, `m${r.id}`, t0, 'a');
    }
    const failedPaper = first.find((r) => r.rank === 3)!.paper_id!;
    const otherPaper = first.find((r) => r.rank === 1)!.paper_id!;
    h.clock.advance(60_000);
    const t1 = h.clock.now();
    const manual = await outbox.plan(
      { channelId, digestDate: '2026-08-22', slot: 'manual-1', dueAt: t1, kind: 'manual', windowFrom: '2026-08-21', windowTo: '2026-08-21', header: true, papers: [{ paperId: otherPaper, rank: 1, topics: [] }, { paperId: failedPaper, rank: 2, topics: [] }] },
      t1,
    );
    expect(manual).not.toBeNull();
    // The newer digest is claimed whole by an instance that dies before posting anything.
    h.clock.advance(1_000);
    const t2 = h.clock.now();
    expect((await outbox.claimRun(channelId, t2, lease('dead', t2), 12)).map((r) => [r.kind, r.paper_id, r.attempts])).toEqual([
      ['header', null, 1],
      ['paper', otherPaper, 1],
      ['paper', failedPaper, 2],
    ]);
    h.clock.advance(61_000);
    const before = h.poster.calls.length;
    expect(await h.app.delivery.sendChannel(channelId)).toMatchObject({ sent: 3 });
    // The header was in flight; the taken-over paper's try in the older digest may have landed.
    expect(h.poster.calls.slice(before).map((c) => [c.message.kind, c.message.attempt])).toEqual([['header', 2], ['paper', 1], ['paper', 3]]);
  });

  it('stopping mid-run finishes the post in flight and gives back the rest untried', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    h.poster.script = () => {
      h!.app.delivery.stop();
      return null;
    };
    expect(await h.app.delivery.sendChannel(channelId)).toMatchObject({ sent: 1 });
    const rows = await rowsOf(h, channelId);
    expect(rows.map((r) => [r.state, r.attempts, r.lease_owner])).toEqual([['sent', 1, null], ...Array(5).fill(['planned', 0, null])]);
  });
});
