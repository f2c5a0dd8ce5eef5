import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { UserError } from '../../src/domain/errors.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { cacheKey } from './bench-db.ts';
import type { CorpusDay } from './corpus.ts';
import { newGenerator } from './generate.ts';
import type { MixQuery } from './query-mix.ts';
import { percentiles, type Percentiles } from './stats.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** What the PostgreSQL bench database depends on: what SQLite's does, plus PostgreSQL's schema, search document and newest rows' floor. */
function pgCacheKey(total: number): string {
  const h = createHash('sha256').update(cacheKey(total));
  for (const f of ['migrations.ts', 'search-doc.ts', 'search-rows.ts', 'recent-search.ts']) h.update(readFileSync(join(HERE, '../../src/store/postgres', f)));
  return h.digest('hex').slice(0, 10);
}

export interface PgBuild {
  url: string;
  built: boolean;
  /** Papers per second through PapersRepo.upsertMany (generation time excluded); null when reused. */
  rowsPerSecond: number | null;
  seconds: number | null;
}

async function admin<T>(serverUrl: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/**
 * The N-paper PostgreSQL database, loaded through the product's own ingest path
 * (PapersRepo.upsertMany, 10,000 papers a call, the same generated papers as SQLite's bench
 * database), and reused while its cache key (kept as the database's comment, written only once
 * the load finished) still matches.
 */
export async function ensurePgBenchDb(corpus: CorpusDay[], total: number, serverUrl: string, name: string, log: (s: string) => void): Promise<PgBuild> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--pg-db wants a plain lower-case database name, not ${name}`);
  const key = `paperboy bench ${total} ${pgCacheKey(total)}`;
  const url = new URL(serverUrl);
  url.pathname = '/' + name;
  const comment = await admin(serverUrl, async (c) => {
    const r = await c.query<{ comment: string | null }>('SELECT shobj_description(oid, $1) AS comment FROM pg_database WHERE datname = $2', ['pg_database', name]);
    return r.rows.length === 0 ? undefined : r.rows[0]!.comment;
  });
  if (comment === key) return { url: url.toString(), built: false, rowsPerSecond: null, seconds: null };
  await admin(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const store = await openStore(url.toString());
  const gen = newGenerator(corpus, total);
  const now = new Date('2026-07-01T00:00:00Z');
  let done = 0;
  let ingestMs = 0;
  let lastLog = 0;
  for (;;) {
    const batch = gen.nextBatch(10_000);
    if (batch.length === 0) break;
    const t0 = performance.now();
    await store.papers.upsertMany(batch, now);
    ingestMs += performance.now() - t0;
    done += batch.length;
    if (done - lastLog >= 100_000) {
      lastLog = done;
      log(`  loaded ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} papers (${Math.round(done / (ingestMs / 1000))} papers/s)`);
    }
  }
  await store.close();
  // Fresh statistics for the planner, as autovacuum would give a store that has been running a while.
  await admin(url.toString(), (c) => c.query('VACUUM ANALYZE'));
  await admin(serverUrl, (c) => c.query(`COMMENT ON DATABASE ${name} IS '${key}'`));
  return { url: url.toString(), built: true, rowsPerSecond: done / (ingestMs / 1000), seconds: ingestMs / 1000 };
}

export interface PairedKind {
  kind: string;
  sqlite: Percentiles;
  postgres: Percentiles;
  /** Queries whose first page differs between the two stores (ranking functions differ: BM25 and ts_rank_cd). */
  differ: number;
  empty: { sqlite: number; postgres: number };
}

/** /papers search shows five results a page. */
const PAGE = { limit: 5, offset: 0 };

/**
 * The same queries through the whole /papers search path (searchPapers) on both stores,
 * alternating store by store so that a busy machine weighs on both alike; one warm-up pass.
 */
export async function measurePair(lite: Store, postgres: Store, mix: MixQuery[], passes: number): Promise<{ kinds: PairedKind[]; all: { sqlite: Percentiles; postgres: Percentiles } }> {
  const usable: MixQuery[] = [];
  for (const m of mix) {
    try {
      await searchPapers(lite, m.text, PAGE);
      await searchPapers(postgres, m.text, PAGE);
      usable.push(m);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
    }
  }
  const byKind = new Map<string, { sqlite: number[]; postgres: number[]; differ: number; empty: { sqlite: number; postgres: number } }>();
  for (let pass = 0; pass < passes; pass++)
    for (const m of usable) {
      const k = byKind.get(m.kind) ?? { sqlite: [], postgres: [], differ: 0, empty: { sqlite: 0, postgres: 0 } };
      byKind.set(m.kind, k);
      let t0 = performance.now();
      const a = await searchPapers(lite, m.text, PAGE);
      k.sqlite.push(performance.now() - t0);
      t0 = performance.now();
      const b = await searchPapers(postgres, m.text, PAGE);
      k.postgres.push(performance.now() - t0);
      if (pass === 0) {
        if (a.page.ids.join() !== b.page.ids.join()) k.differ++;
        if (a.page.ids.length === 0) k.empty.sqlite++;
        if (b.page.ids.length === 0) k.empty.postgres++;
      }
    }
  const every = [...byKind.values()];
  return {
    kinds: [...byKind].map(([kind, k]) => ({ kind, sqlite: percentiles(k.sqlite), postgres: percentiles(k.postgres), differ: k.differ, empty: k.empty })),
    all: { sqlite: percentiles(every.flatMap((k) => k.sqlite)), postgres: percentiles(every.flatMap((k) => k.postgres)) },
  };
}
