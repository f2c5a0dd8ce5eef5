import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { ChatPoster, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { newInstanceIdentity } from '../../src/store/instances.ts';
import type { Store } from '../../src/store/store.ts';
import { deliveryHarness, type DeliveryHarness } from './harness.ts';

/*
 * Issue 9, many instances on one store: a claim is a lease. These run two instances (two
 * engines with their own instance ids) over one store, as two processes on PostgreSQL would.
 */

let h: DeliveryHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lease = (owner: string, from: Date, ms = 60_000) => ({ owner, until: new Date(from.getTime() + ms) });

async function plannedChannel(): Promise<{ h: DeliveryHarness; channelId: number }> {
  const harness = await deliveryHarness('2026-08-21T08:59:00Z');
  await harness.list('2026-08-21', '2026-08-21');
  await harness.channel('lab', '09:00 UTC daily');
  harness.clock.set('2026-08-21T09:00:00Z');
  await harness.app.delivery.planDue();
  const channelId = (await harness.app.store.teams.deliverableChannels())[0]!.id;
  return { h: harness, channelId };
}

describe('leases', () => {
  it('last PAPERBOY_LEASE_S seconds, 60 by default', () => {
    expect(loadConfig({}).delivery.leaseMs).toBe(60_000);
    expect(loadConfig({ PAPERBOY_LEASE_S: '5' }).delivery.leaseMs).toBe(5_000);
    expect(() => loadConfig({ PAPERBOY_LEASE_S: '0' })).toThrow(/PAPERBOY_LEASE_S/);
  });

  it('a post in flight under a live lease is neither claimed nor recovered by another instance; after the lease it is taken over and must be checked', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    const { outbox, instances } = h.app.store;
    const t0 = h.clock.now();
    await instances.register({ id: 'a', host: 'box-a', pid: 1 }, t0);
    await instances.register({ id: 'b', host: 'box-b', pid: 2 }, t0);

    // The header first, a row like the papers: while A sends it, B can claim nothing in the channel.
    const header = await outbox.claimNext(channelId, t0, lease('a', t0));
    expect(header).toMatchObject({ kind: 'header', rank: 0, paper_id: null, lease_owner: 'a' });
    expect(await outbox.claimNext(channelId, t0, lease('b', t0))).toBeNull();
    expect(await outbox.markSent(header!.id, 'm0', t0, 'a')).toBe(true);

    const first = await outbox.claimNext(channelId, t0, lease('a', t0));
    expect(first).toMatchObject({ state: 'sending', attempts: 1, lease_owner: 'a', lease_until: '2026-08-21T09:01:00.000Z', claimed_at: t0.toISOString() });
    // The channel's next paper waits: one post in flight per channel, in rank order.
    expect(await outbox.claimNext(channelId, t0, lease('b', t0))).toBeNull();
    // A live instance holds it: a start-up elsewhere leaves it alone.
    expect(await outbox.recoverInFlight(t0)).toBe(0);
    expect(await outbox.channelsWithWork(t0)).toEqual([]);

    // A stalls past its lease: B takes the row over, as an uncertain retry.
    const later = new Date(t0.getTime() + 61_000);
    expect(await outbox.channelsWithWork(later)).toEqual([channelId]);
    const taken = await outbox.claimNext(channelId, later, lease('b', later));
    expect(taken).toMatchObject({ id: first!.id, attempts: 2, lease_owner: 'b', claimed_at: t0.toISOString() });
    // A wakes up: it may neither renew nor settle what is now B's.
    expect(await outbox.renewLease(first!.id, lease('a', later))).toBe(false);
    expect(await outbox.markSent(first!.id, 'from-a', later, 'a')).toBe(false);
    expect(await outbox.markRetry(first!.id, 'x', later, later, 'a')).toBe(false);
    expect(await outbox.renewLease(first!.id, lease('b', later))).toBe(true);
    expect(await outbox.markSent(first!.id, 'from-b', later, 'b')).toBe(true);
    const settled = (await outbox.deliveriesOf(header!.digest_id!)).find((d) => d.id === first!.id)!;
    expect(settled).toMatchObject({ state: 'sent', message_id: 'from-b', lease_owner: null, lease_until: null });
    // With nothing in flight, the next paper is free again.
    expect((await outbox.claimNext(channelId, later, lease('a', later)))?.rank).toBe(first!.rank + 1);
  });

  it('at start, rows of an instance that is gone come back at once, rows of a live one stay', async () => {
    let channelId: number;
    ({ h, channelId } = await plannedChannel());
    const { outbox, instances } = h.app.store;
    const t0 = h.clock.now();
    await instances.register({ id: 'live', host: 'box', pid: 1 }, t0);
    const header = await outbox.claimNext(channelId, t0, lease('gone', t0));
    expect(header?.kind).toBe('header');
    expect(await outbox.recoverInFlight(t0)).toBe(1);
    expect(await outbox.headerOf(header!.digest_id!)).toMatchObject({ state: 'planned', lease_owner: null });
    const h2 = await outbox.claimNext(channelId, t0, lease('live', t0));
    expect(h2).toMatchObject({ id: header!.id, attempts: 2 });
    expect(await outbox.recoverInFlight(t0)).toBe(0);
    expect((await outbox.headerOf(header!.digest_id!))?.state).toBe('sending');
  });

  it('two instances planning the same slot at once: one digest, the loser plans nothing', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const channelId = await h.channel('lab', '09:00 UTC daily');
    h.clock.set('2026-08-21T09:00:00Z');
    const other = await openApp({ dbPath: ':memory:', store: h.app.store, clock: h.clock, logger: memoryLogger(), commands, instance: newInstanceIdentity() });
    const planned = await Promise.all([h.app.delivery.planDue(), other.delivery.planDue(), h.app.delivery.planDue()]);
    expect(planned.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await h.digests(channelId)).toHaveLength(1);
    expect((await h.app.store.outbox.countByState(channelId)).planned).toBe(5);
  });

  it('a slow post keeps its lease renewed, so another instance never takes it over while the sender lives', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const channelId = await h.channel('lab');
    const store: Store = h.app.store;
    const papers = await store.db.selectFrom('papers').select('id').orderBy('id').limit(2).execute();
    const now = new Date();
    await store.outbox.plan(
      { channelId, digestDate: '2026-08-21', slot: 'manual', dueAt: now, kind: 'manual', windowFrom: '2026-08-21', windowTo: '2026-08-21', header: false, papers: papers.map((p, i) => ({ paperId: p.id, rank: i + 1, topics: [] })) },
      now,
    );

    const LEASE_MS = 300;
    let release!: () => void;
    const slow = new SlowPoster(new Promise<void>((r) => (release = r)));
    const quick = new SlowPoster(Promise.resolve());
    const open = async (poster: ChatPoster) => {
      const app = await openApp({ dbPath: ':memory:', store, clock: systemClock, logger: memoryLogger(), commands, instance: newInstanceIdentity(), delivery: { leaseMs: LEASE_MS } });
      app.posters.register(poster);
      await store.instances.register(app.instance, new Date());
      return app;
    };
    const a = await open(slow);
    const b = await open(quick);

    const sending = a.delivery.sendChannel(channelId);
    await until(() => slow.calls.length === 1);
    // Four leases long: without renewal B would have taken the post over.
    for (let i = 0; i < 4; i++) {
      await sleep(LEASE_MS);
      expect(await b.delivery.sendChannel(channelId)).toMatchObject({ sent: 0 });
      expect(await store.outbox.recoverInFlight(new Date())).toBe(0);
    }
    expect(quick.calls).toEqual([]);
    const row = await store.db.selectFrom('deliveries').selectAll().where('state', '=', 'sending').executeTakeFirstOrThrow();
    expect(row.lease_owner).toBe(a.instance.id);
    expect(Date.parse(row.lease_until!)).toBeGreaterThan(Date.now());

    release();
    expect(await sending).toMatchObject({ sent: 2 });
    expect(slow.calls.map((m) => m.attempt)).toEqual([1, 1]);
  });
});

/** Posts every message once `gate` opens. */
class SlowPoster implements ChatPoster {
  readonly platform = 'console';
  readonly calls: OutboundMessage[] = [];
  constructor(private readonly gate: Promise<void>) {}
  async post(_channel: string, message: OutboundMessage): Promise<PostOutcome> {
    this.calls.push(message);
    await this.gate;
    return { ok: true, messageId: `m-${message.key}` };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}
