import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/search/query.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { items, paper } from './hand-made-papers.ts';

/**
 * New papers are indexed by one INSERT ... SELECT per upsertMany (not a trigger per row);
 * changes and deletes by triggers. FTS5's own integrity check compares the index with the
 * papers table row by row, so any paper indexed twice, or not at all, fails it.
 */
let store: Store;
const NOW = new Date('2026-07-01T00:00:00Z');

beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

const find = async (text: string) => (await store.search.search(parseSearchQuery(text), { limit: 50, offset: 0 })).ids.sort();
const indexIsSound = () => sql`INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)`.execute(store.db);

const a = paper('2501.00001', 'Sparse mixture routing', 'Experts chosen per token.');
const b = paper('2501.00002', 'Dense retrieval at scale', 'Embedding search over billions.');
const c = paper('2501.00003', 'Speculative decoding drafts', 'A small model drafts tokens.');

describe('indexing new papers', () => {
  it('makes every inserted paper searchable, once', async () => {
    await store.papers.upsertMany(items([a, b]), NOW);
    expect(await find('routing OR retrieval')).toEqual([a.id, b.id]);
    await indexIsSound();
  });

  it('indexes only the new papers of a batch that also refreshes known ones', async () => {
    await store.papers.upsertMany(items([a, b]), NOW);
    await store.papers.upsertMany(items([{ ...a, upvotes: 9 }, c, { ...b, upvotes: 3 }]), NOW);
    expect(await find('routing OR retrieval OR speculative')).toEqual([a.id, b.id, c.id]);
    await indexIsSound();
  });

  it('follows a changed title and abstract', async () => {
    await store.papers.upsertMany(items([a]), NOW);
    await store.papers.upsertMany(items([{ ...a, title: 'Sparse expert gating', abstract: 'Gates pick experts.' }]), NOW);
    expect(await find('routing')).toEqual([]);
    expect(await find('gating')).toEqual([a.id]);
    await indexIsSound();
  });

  it('forgets a deleted paper', async () => {
    await store.papers.upsertMany(items([a, b]), NOW);
    await store.db.deleteFrom('papers').where('id', '=', a.id).execute();
    expect(await find('routing OR retrieval')).toEqual([b.id]);
    await indexIsSound();
  });

  it('indexes papers added after a delete of the newest one', async () => {
    // A deleted top rowid can be handed out again: the new paper must still count as new.
    await store.papers.upsertMany(items([a, b]), NOW);
    await store.db.deleteFrom('papers').where('id', '=', b.id).execute();
    await store.papers.upsertMany(items([c]), NOW);
    expect(await find('speculative')).toEqual([c.id]);
    await indexIsSound();
  });

  it('leaves the index untouched when a batch fails', async () => {
    await store.papers.upsertMany(items([a]), NOW);
    const broken = { ...c, title: null as unknown as string };
    await expect(store.papers.upsertMany(items([b, broken]), NOW)).rejects.toThrow();
    expect(await find('retrieval OR speculative')).toEqual([]);
    await indexIsSound();
  });
});
