import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledOnce } from '../../src/store/compiled-once.ts';
import type { Store } from '../../src/store/store.ts';
import { items, paper } from '../search/hand-made-papers.ts';
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

describe('vote and save counts (one paper: the statement compiled once)', () => {
  it('agree with the counts asked for several papers, per team', async () => {
    const now = new Date('2026-07-01T00:00:00Z');
    await store.papers.upsertMany(items([paper('2601.00001', 'One', 'a'), paper('2601.00002', 'Two', 'b'), paper('2601.00003', 'Three', 'c')]), now);
    const [one, two] = (await store.db.selectFrom('teams').select('id').orderBy('id').execute()).map((t) => t.id);
    for (const user of ['u1', 'u2', 'u3']) await store.votes.set(one!, user, '2601.00001', true, now);
    await store.votes.set(one!, 'u1', '2601.00002', true, now);
    await store.votes.set(two!, 'u1', '2601.00001', true, now);
    await store.saves.save(one!, 'u2', '2601.00002', null, now);
    const ids = ['2601.00001', '2601.00002', '2601.00003'];
    for (const team of [one!, two!]) {
      for (const repo of [store.votes, store.saves]) {
        const all = await repo.counts(team, ids);
        for (const id of ids) expect(await repo.counts(team, [id])).toEqual(all.has(id) ? new Map([[id, all.get(id)]]) : new Map());
      }
    }
    expect(await store.votes.counts(one!, ['2601.00001'])).toEqual(new Map([['2601.00001', 3]]));
    expect(await store.votes.counts(two!, ['2601.00002'])).toEqual(new Map());
    expect(await store.saves.counts(one!, ['2601.00002'])).toEqual(new Map([['2601.00002', 1]]));
  });
});

