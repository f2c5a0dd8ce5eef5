import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestItem } from '../../src/domain/paper.ts';
import { findSimilar, SIMILAR } from '../../src/relevance/similar.ts';
import { dot, tfidfVector } from '../../src/relevance/tfidf.ts';
import { VocabularyIndexer } from '../../src/search/vocabulary.ts';
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
 * with the ingest indexers the store uses (search index, vocabulary, term vectors) and with all
 * but the term vectors: what keeping vectors at ingest costs. Alternated twice, best of two each, as the
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
      // Without: everything the store keeps at ingest (search index, vocabulary) but the vectors.
      const repo = withVectors ? store.papers : new PapersRepo(store.db, [store.search, new VocabularyIndexer()]);
      const t0 = performance.now();
      for (let i = 0; i < items.length; i += chunk) await repo.upsertMany(items.slice(i, i + chunk), NOW);
      const seconds = (performance.now() - t0) / 1000;
      const bytes = await store.db.selectFrom('paper_terms').select((eb) => eb.fn.sum<number>(eb.fn('length', ['terms'])).as('b')).executeTakeFirst();
      await store.close();
      clean();
      const method = withVectors ? 'as shipped (search index, vocabulary, term vectors)' : 'without term vectors';
      const figure = { method, seconds, rowsPerSecond: items.length / seconds, bytesPerPaper: Number(bytes?.b ?? 0) / items.length };
      const prev = best.get(method);
      if (!prev || figure.seconds < prev.seconds) best.set(method, figure);
    }
  }
  return [...best.values()];
}

export interface ExhaustiveAgreement {
  papers: number;
  asked: number;
  /** Share of the exhaustive top 5 (by cosine over every paper) that findSimilar also returns. */
  recallAt5: number;
  /** Papers whose best match findSimilar found (the exhaustive top 1 in its 5). */
  top1Found: number;
  exhaustiveMs: Percentiles;
  boundedMs: Percentiles;
}

/**
 * How much the search-index bound costs in quality, on real papers: findSimilar (candidates from
 * the search index) against an exhaustive cosine scan of every stored vector, for `n` papers.
 */
export async function compareWithExhaustive(items: IngestItem[], rng: Rng, n: number): Promise<ExhaustiveAgreement> {
  const path = join(BENCH_DATA, 'similar-corpus.db');
  const clean = () => {
    for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  };
  clean();
  const store = await openStore(path);
  await store.papers.upsertMany(items, new Date('2026-07-01T00:00:00Z'));
  const stats = await store.vectors.stats();
  const ids = items.map((i) => i.paper.id);
  const counts = await store.vectors.countsOf(ids);
  const vectors = new Map([...counts].map(([id, tc]) => [id, tfidfVector(tc, stats)]));
  const asked = Array.from({ length: n }, () => items[rng.int(items.length)]!.paper);
  let hits = 0;
  let wanted = 0;
  let top1 = 0;
  const exhaustiveMs: number[] = [];
  const boundedMs: number[] = [];
  for (const p of asked) {
    const own = vectors.get(p.id)!;
    let t0 = performance.now();
    const best = [...vectors]
      .filter(([id]) => id !== p.id)
      .map(([id, v]) => ({ id, s: dot(own, v) }))
      .filter((x) => x.s >= SIMILAR.minSimilarity)
      .sort((a, b) => b.s - a.s || a.id.localeCompare(b.id))
      .slice(0, SIMILAR.results)
      .map((x) => x.id);
    exhaustiveMs.push(performance.now() - t0);
    t0 = performance.now();
    const r = await findSimilar(store, p);
    boundedMs.push(performance.now() - t0);
    const got = new Set(r.kind === 'found' ? r.papers.map((x) => x.paperId) : []);
    wanted += best.length;
    hits += best.filter((id) => got.has(id)).length;
    if (best.length > 0 && got.has(best[0]!)) top1++;
  }
  await store.close();
  clean();
  return { papers: items.length, asked: asked.length, recallAt5: wanted ? hits / wanted : 0, top1Found: top1, exhaustiveMs: percentiles(exhaustiveMs), boundedMs: percentiles(boundedMs) };
}
