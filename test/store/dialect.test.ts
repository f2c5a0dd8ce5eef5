import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import { isPostgresUrl, type Store } from '../../src/store/store.ts';
import { paper } from '../search/hand-made-papers.ts';
import { openTestStore, TEST_DIALECT } from '../support/test-store.ts';

/** What every store dialect must read and write alike (runs in both vitest projects). */
let store: Store;
afterEach(() => store?.close());

describe('the store dialect', () => {
  it('is the one asked for', async () => {
    store = await openTestStore();
    expect(store.dialect).toBe(TEST_DIALECT);
  });

  it('hands timestamps back as the ISO strings written, and days as written', async () => {
    store = await openTestStore();
    const now = new Date('2026-08-21T12:34:56.789Z');
    const team = await store.teams.ensureTeam({ platform: 'console', externalId: 'lab' }, now);
    expect(team.created_at).toBe('2026-08-21T12:34:56.789Z');
    await store.papers.upsertMany([{ paper: paper('2608.00001', 'A paper', 'Its abstract.', { publishedAt: '2026-08-20T00:00:00.000Z' }), listing: { source: 'hf', day: '2026-08-20', rank: 1 } }], now);
    const [row] = await store.db.selectFrom('papers').select(['published_at', 'first_seen_at']).execute();
    expect(row).toEqual({ published_at: '2026-08-20T00:00:00.000Z', first_seen_at: '2026-08-21T12:34:56.789Z' });
    expect(await store.papers.listedOn('2026-08-20')).toEqual(['2608.00001']);
  });

  it('reindexes a paper whose text a later ingest changed, and not its old words', async () => {
    store = await openTestStore();
    const at = new Date('2026-08-21T00:00:00Z');
    await store.papers.upsertMany([{ paper: paper('2608.00002', 'Quokka reasoning', 'Marsupials think.'), listing: null }], at);
    await store.papers.upsertMany([{ paper: paper('2608.00002', 'Wombat reasoning', 'Marsupials think.'), listing: null }], at);
    const find = async (text: string) => (await store.search.search(parseSearchQuery(text), { limit: 5, offset: 0 })).ids;
    expect(await find('wombat')).toEqual(['2608.00002']);
    expect(await find('quokka')).toEqual([]);
  });

  it.skipIf(TEST_DIALECT !== 'postgres')('runs PostgreSQL sessions in UTC, without JIT or parallel workers (each cost a search tens of ms)', async () => {
    store = await openTestStore();
    const setting = async (name: string) => (await sql<{ v: string }>`SELECT current_setting(${name}) AS v`.execute(store.db)).rows[0]!.v;
    expect(await setting('TimeZone')).toBe('UTC');
    expect(await setting('jit')).toBe('off');
    expect(await setting('max_parallel_workers_per_gather')).toBe('0');
  });
});

describe('choosing a dialect', () => {
  it('takes postgres:// and postgresql:// URLs for PostgreSQL, anything else for a SQLite path', () => {
    expect(isPostgresUrl('postgres://u@h:5432/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('data/paperboy.db')).toBe(false);
    expect(isPostgresUrl('postgres.db')).toBe(false);
    expect(isPostgresUrl(':memory:')).toBe(false);
  });

  it('reads PAPERBOY_PG_POOL (default 10) and explains a bad value', () => {
    expect(loadConfig({}).pgPool).toBe(10);
    expect(loadConfig({ PAPERBOY_PG_POOL: '25' }).pgPool).toBe(25);
    expect(() => loadConfig({ PAPERBOY_PG_POOL: '1' })).toThrow(/PAPERBOY_PG_POOL/);
    expect(() => loadConfig({ PAPERBOY_PG_POOL: 'lots' })).toThrow(/PAPERBOY_PG_POOL/);
  });
});
