import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { featureId, termCounts } from '../../src/relevance/features.ts';
import type { Database } from '../../src/store/schema.ts';
import { PapersRepo, toRow } from '../../src/store/papers.ts';
import { inlineMigrations, sqliteMigrations } from '../../src/store/sqlite/migrations.ts';
import { openStore, Store } from '../../src/store/store.ts';
import { FtsSearchIndex } from '../../src/store/sqlite/fts-search.ts';
import { registerFtsFunctions } from '../../src/store/sqlite/fts-rows.ts';
import { paper } from '../search/hand-made-papers.ts';
import { openTestStore } from '../support/test-store.ts';

const NOW = new Date('2026-08-21T12:00:00Z');
const item = (p: ReturnType<typeof paper>) => ({ paper: p, listing: null });
const PAPERS = [
  paper('2401.10001', 'Agents that Plan', 'An agent plans with tools; agents use tools.'),
  paper('2401.10002', 'Tool Use for Agents', 'Agents call tools.'),
  paper('2401.10003', 'Diffusion Models', 'Diffusion models synthesize images.'),
];

let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

describe('term vectors kept at ingest', () => {
  it('writes each new paper\'s term counts and adds them to the document frequencies', async () => {
    store = await openTestStore();
    await store.papers.upsertMany(PAPERS.map(item), NOW);
    const counts = await store.vectors.countsOf(PAPERS.map((p) => p.id));
    expect(counts.size).toBe(3);
    for (const p of PAPERS) expect(counts.get(p.id), p.id).toEqual(termCounts(p.title, p.abstract));
    const stats = await store.vectors.stats();
    expect(stats.docCount).toBe(3);
    expect(stats.df[featureId('agent')]).toBe(2);
    expect(stats.df[featureId('tool')]).toBe(2);
    expect(stats.df[featureId('diffus')]).toBe(1);
  });

  it('counts a paper once however often it is ingested, and keeps counting new ones', async () => {
    store = await openTestStore();
    await store.papers.upsertMany(PAPERS.map(item), NOW);
    const before = await store.vectors.stats();
    await store.papers.upsertMany(PAPERS.map((p) => item({ ...p, upvotes: 40 })), NOW);
    expect((await store.vectors.stats()).docCount).toBe(3);
    await store.papers.upsertMany([item(paper('2401.10004', 'Agents Everywhere', 'Agents, again.'))], NOW);
    const after = await store.vectors.stats();
    expect(after.docCount).toBe(4);
    expect(after.df[featureId('agent')]).toBe(3);
    // The cached frequencies of the earlier read were not changed under their reader.
    expect(before.df[featureId('agent')]).toBe(2);
  });

  it('are rolled back with the papers when the ingest transaction fails', async () => {
    store = await openTestStore();
    // A second indexer that throws after the vectors were written, inside the same transaction.
    const repo = new PapersRepo(store.db, [store.vectors, { indexNewPapers: async () => Promise.reject(new Error('boom')) }]);
    await expect(repo.upsertMany(PAPERS.map(item), NOW)).rejects.toThrow('boom');
    expect((await store.vectors.stats()).docCount).toBe(0);
    expect((await store.vectors.countsOf(PAPERS.map((p) => p.id))).size).toBe(0);
  });

  it('are computed by the migration for papers stored before it', async () => {
    const raw = new BetterSqlite3(':memory:');
    registerFtsFunctions(raw);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
    const migrator = new Migrator({ db, provider: inlineMigrations(sqliteMigrations) });
    expect((await migrator.migrateTo('0002_delivery_outbox')).error).toBeUndefined();
    await db.insertInto('papers').values(PAPERS.map((p) => toRow(p, NOW.toISOString()))).execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const s = new Store(db, new FtsSearchIndex(db), () => db.destroy());
    store = s;
    expect((await s.vectors.stats()).docCount).toBe(3);
    expect((await s.vectors.countsOf([PAPERS[2]!.id])).get(PAPERS[2]!.id)).toEqual(termCounts(PAPERS[2]!.title, PAPERS[2]!.abstract));
  });
});

describe('document frequencies', () => {
  it('stay exact across many small ingests, whether folded into the base or still in deltas', async () => {
    store = await openTestStore();
    const expected = new Map<number, number>();
    // 150 one-paper ingests: more than the deltas kept before a fold, so both paths are taken.
    for (let i = 0; i < 150; i++) {
      const p = paper(`2402.${String(10000 + i)}`, `Agents ${i % 3 === 0 ? 'and tools' : 'plan'}`, `Paper number w${i} about agents.`);
      await store.papers.upsertMany([item(p)], NOW);
      for (const id of termCounts(p.title, p.abstract).ids) expected.set(id, (expected.get(id) ?? 0) + 1);
      if (i % 50 === 49) {
        const stats = await store.vectors.stats();
        expect(stats.docCount).toBe(i + 1);
        for (const [id, n] of expected) expect(stats.df[id], `feature ${id} after ${i + 1}`).toBe(n);
      }
    }
    const folded = await store.db.selectFrom('term_df_deltas').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(folded.n)).toBeLessThan(150);
    expect((await store.vectors.stats()).df[featureId('agent')]).toBe(150);
  });
});
