import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledOnce } from '../../src/store/compiled-once.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../support/test-store.ts';

/** A statement compiled once runs with each call's own values, and refuses a value it would lose. */
let store: Store;
beforeAll(async () => {
  store = await openTestStore();
  await store.db.insertInto('teams').values([
    { platform: 'discord', external_id: 'g1', name: 'One', created_at: '2026-01-01T00:00:00.000Z' },
    { platform: 'slack', external_id: 'T2', name: 'Two', created_at: '2026-01-01T00:00:00.000Z' },
  ]).execute();
});
afterAll(() => store.close());

describe('CompiledOnce', () => {
  it('binds each call\'s values where the stand-ins were, however often one is used', async () => {
    const find = new CompiledOnce(store.db, 2, (platform: string, id: string) =>
      store.db.selectFrom('teams').select(['name']).where('platform', '=', platform).where((eb) => eb.or([eb('external_id', '=', id), eb('name', '=', id)])),
    );
    expect((await find.execute('discord', 'g1')).rows).toEqual([{ name: 'One' }]);
    expect((await find.execute('slack', 'Two')).rows).toEqual([{ name: 'Two' }]);
    expect((await find.execute('slack', 'g1')).rows).toEqual([]);
  });

  it('refuses a value that is inlined or left out rather than bound', async () => {
    const inlined = new CompiledOnce(store.db, 1, (platform: string) => store.db.selectFrom('teams').select('name').where('platform', '=', sql.lit(platform)));
    await expect(inlined.execute('discord')).rejects.toThrow(/value 0 is not bound/);
    const unused = new CompiledOnce(store.db, 2, (platform: string, _id: string) => store.db.selectFrom('teams').select('name').where('platform', '=', platform));
    await expect(unused.execute('discord', 'g1')).rejects.toThrow(/value 1 is not bound/);
  });
});
