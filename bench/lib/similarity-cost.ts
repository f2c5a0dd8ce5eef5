import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestItem } from '../../src/domain/paper.ts';
import { findSimilar } from '../../src/relevance/similar.ts';
import { PapersRepo } from '../../src/store/papers.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { BENCH_DATA } from './bench-db.ts';
import type { Rng } from './prng.ts';
import { percentiles, type Percentiles } from './stats.ts';

export interface SimilarFigures {
  latency: Percentiles;
  /** findSimilar plus loading the five papers, as /papers similar does. */
  withPapers: Percentiles;
  found: number;
  asked: number;
  meanCandidates: number;
  meanTopSimilarity: number;
}

/** /papers similar on `n` random papers of the store: a warm-up pass, then `passes` timed ones. */
export async function measureSimilar(store: Store, rng: Rng, n: number, passes: number): Promise<SimilarFigures> {
  const maxSeq = Number((await store.db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);
  const seqs = Array.from({ length: n }, () => 1 + rng.int(maxSeq));
  const rows = await store.db.selectFrom('papers').select('id').where('seq', 'in', seqs).execute();
  const papers = await store.papers.getMany(rows.map((r) => r.id));
  const latency: number[] = [];
  const withPapers: number[] = [];
  let found = 0;
  let candidates = 0;
  let top = 0;
  for (let pass = 0; pass <= passes; pass++) {
    for (const p of papers) {
      const t0 = performance.now();
      const r = await findSimilar(store, p);
      const t1 = performance.now();
      if (r.kind === 'found') await store.papers.getMany(r.papers.map((x) => x.paperId));
      const t2 = performance.now();
      if (pass === 0) {
        if (r.kind === 'found') {
          found++;
          top += r.papers[0]!.similarity;
        }
        if (r.kind !== 'no-text') candidates += r.candidates;
        continue; // the warm-up pass is not timed
      }
      latency.push(t1 - t0);
      withPapers.push(t2 - t0);
    }
  }
  return { latency: percentiles(latency), withPapers: percentiles(withPapers), found, asked: papers.length, meanCandidates: candidates / papers.length, meanTopSimilarity: found ? top / found : 0 };
}

export interface VectorIngestFigure {
  method: string;
  seconds: number;
  rowsPerSecond: number;
  /** Bytes of term counts stored per paper (0 without vectors). */
  bytesPerPaper: number;
}

/**
 * The same papers ingested into fresh files through PapersRepo.upsertMany, `chunk` per call,
 * with the ingest indexers the store uses (search index, then term vectors) and with the search
 * index alone: what keeping vectors at ingest costs. Alternated twice, best of two each, as the
 * machine's load varies.
 */
export async function compareVectorIngest(items: IngestItem[], chunk: number): Promise<VectorIngestFigure[]> {
  const NOW = new Date('2026-07-01T00:00:00Z');
  const best = new Map<string, VectorIngestFigure>();
  for (let round = 0; round < 2; round++) {
    for (const withVectors of [true, false]) {
      const path = join(BENCH_DATA, `ingest-vectors-${withVectors}.db`);
      const clean = () => {
        for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
      };
      clean();
      const store = await openStore(path);
      const repo = withVectors ? store.papers : new PapersRepo(store.db, [store.search]);
      const t0 = performance.now();
      for (let i = 0; i < items.length; i += chunk) await repo.upsertMany(items.slice(i, i + chunk), NOW);
      const seconds = (performance.now() - t0) / 1000;
      const bytes = await store.db.selectFrom('paper_terms').select((eb) => eb.fn.sum<number>(eb.fn('length', ['terms'])).as('b')).executeTakeFirst();
      await store.close();
      clean();
      const method = withVectors ? 'search index + term vectors (as shipped)' : 'search index only';
      const figure = { method, seconds, rowsPerSecond: items.length / seconds, bytesPerPaper: Number(bytes?.b ?? 0) / items.length };
      const prev = best.get(method);
      if (!prev || figure.seconds < prev.seconds) best.set(method, figure);
    }
  }
  return [...best.values()];
}
