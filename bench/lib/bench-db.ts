import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/store.ts';
import type { CorpusDay } from './corpus.ts';
import { GENERATOR_VERSION, newGenerator } from './generate.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BENCH_DATA = join(HERE, '..', '.data');

/** What the cached database depends on: a schema or generator change builds a new one. */
export function cacheKey(total: number): string {
  const h = createHash('sha256');
  // Everything that decides what ingest writes to the papers' tables and indexes: the
  // migrations that shape them (0001, in migrations.ts, has shipped and never changes; later
  // migrations of other tables are applied when the cached file is opened, so they need no
  // rebuild), the index rows, the vocabulary, the term vectors (tokenizer, hashing, codec),
  // the generator.
  const sqlite = ['fts-rows.ts', 'migration-0003-word-forms.ts', 'migration-0004-similarity-taste.ts'].map((f) => `../../src/store/sqlite/${f}`);
  const relevance = ['tokenize.ts', 'stop-words.ts', 'hash.ts', 'term-codec.ts'].map((f) => `../../src/relevance/${f}`);
  for (const f of [...sqlite, '../../src/search/vocabulary.ts', '../../src/search/words.ts', ...relevance, './generate.ts', './text-model.ts']) h.update(readFileSync(join(HERE, f)));
  h.update(String(GENERATOR_VERSION));
  return `papers-${total}-${h.digest('hex').slice(0, 10)}.db`;
}

export interface BuildReport {
  path: string;
  built: boolean;
  /** Rows per second through PapersRepo.upsertMany (generation time excluded); null when cached. */
  rowsPerSecond: number | null;
  seconds: number | null;
}

/**
 * The N-paper database the search figures are measured on, built once through the product's
 * own ingest path (PapersRepo.upsertMany) and cached under bench/.data (git-ignored).
 */
export async function ensureBenchDb(corpus: CorpusDay[], total: number, log: (s: string) => void): Promise<BuildReport> {
  const path = join(BENCH_DATA, cacheKey(total));
  if (existsSync(path)) return { path, built: false, rowsPerSecond: null, seconds: null };
  mkdirSync(BENCH_DATA, { recursive: true });
  const tmp = `${path}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });

  const store = await openStore(tmp);
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
      log(`  built ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} papers (${Math.round(done / (ingestMs / 1000))} rows/s)`);
    }
  }
  await store.close();
  renameSync(tmp, path);
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  return { path, built: true, rowsPerSecond: done / (ingestMs / 1000), seconds: ingestMs / 1000 };
}
