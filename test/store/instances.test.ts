import { afterEach, describe, expect, it } from 'vitest';
import { newInstanceIdentity } from '../../src/store/instances.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../support/test-store.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const T0 = new Date('2026-08-21T09:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe('instances', () => {
  it('an instance id names its host and pid, and differs per start', () => {
    const a = newInstanceIdentity('box-1', 4242);
    const b = newInstanceIdentity('box-1', 4242);
    expect(a.id).toMatch(/^box-1:4242:[0-9a-f]{8}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('live instances are those that heartbeat recently; a silent one drops out; removed ones are gone', async () => {
    store = await openTestStore();
    const a = newInstanceIdentity('box-1', 1);
    const b = newInstanceIdentity('box-2', 2);
    await store.instances.register(a, at(0));
    await store.instances.register(b, at(5));
    expect((await store.instances.live(at(10), 30_000)).map((r) => [r.host, r.pid])).toEqual([
      ['box-1', 1],
      ['box-2', 2],
    ]);

    expect(await store.instances.heartbeat(b.id, at(40))).toBe(true);
    expect((await store.instances.live(at(45), 30_000)).map((r) => r.id)).toEqual([b.id]);

    expect(await store.instances.removeStale(at(45), 30_000)).toBe(1);
    expect(await store.instances.heartbeat(a.id, at(46))).toBe(false);
    await store.instances.remove(b.id);
    expect(await store.instances.live(at(46), 30_000)).toEqual([]);
  });

  it('deliveries carry leases; headers are delivery rows, so digests keep no header state of their own', async () => {
    store = await openTestStore();
    const cols = async (table: string) => (await store!.db.introspection.getTables()).find((t) => t.name === table)!.columns.map((c) => c.name);
    expect(await cols('deliveries')).toEqual(expect.arrayContaining(['lease_owner', 'lease_until', 'kind']));
    expect((await cols('digests')).filter((c) => c.startsWith('header_'))).toEqual([]);
  });
});
