/**
 * `npm run bench [-- --papers N --ingest-papers M --queries Q --passes P --only a,b --tuning JSON]`:
 * the figures the issue asks for (see bench/README.md). Sections: titles, ingest, search,
 * matching, plans, similar (ingest with and without term vectors; /papers similar latency), taste
 * (fitting a team's model; digest plans with and without it). `--tuning '{"window":2000}'` overrides FtsTuning fields for the search figures;
 * `--db PATH` measures an existing database instead of the generated one. `pg` (not run by default:
 * it needs a server): the same papers loaded into PostgreSQL (`--pg URL` of the server, `--pg-db NAME`
 * of the database, default paperboy_bench_N; reused while current), ingest papers/s, and the search
 * mix on both stores side by side. fanout: one digest to many channels through real bot processes
 * against rate-limited fakes (`--channels N --instances 1,3 --platform discord,slack --stores postgres,sqlite --concurrency C`).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs, usageExit } from '../src/cli/script-args.ts';
import { openStore } from '../src/store/store.ts';
import { FtsSearchIndex, DEFAULT_TUNING, type FtsTuning } from '../src/store/sqlite/fts-search.ts';
import { BENCH_DATA, ensureBenchDb } from './lib/bench-db.ts';
import { corpusItems, findCorpus, readCorpusDays } from './lib/corpus.ts';
import { checkPlans } from './lib/explain.ts';
import { DEFAULT_GENERATOR, newGenerator } from './lib/generate.ts';
import { compareIngest } from './lib/ingest-compare.ts';
import { measureChannels, measureMatching, TOPICS } from './lib/matching-cost.ts';
import { seededRng } from './lib/prng.ts';
import { buildQueryMix, KINDS } from './lib/query-mix.ts';
import { measureSearch } from './lib/search-latency.ts';
import { ensurePgBenchDb, measurePair } from './lib/pg-bench.ts';
import { ms, table } from './lib/stats.ts';
import { titleRanks } from './lib/title-rate.ts';
import { compareVectorIngest, compareWithExhaustive, measureSimilar } from './lib/similarity-cost.ts';
import { measureTaste } from './lib/taste-cost.ts';
import { runFanoutSection } from './lib/fanout-section.ts';

const SECTIONS = ['titles', 'ingest', 'search', 'matching', 'plans', 'similar', 'taste', 'pg', 'fanout'] as const;

const USAGE =
  'npm run bench -- [--papers N] [--ingest-papers M] [--queries Q] [--passes P] [--only ' +
  SECTIONS.join(',') +
  '] [--tuning JSON] [--db PATH] [--pg URL] [--pg-db NAME] [--channels N] [--instances 1,3] [--platform discord,slack] [--stores postgres,sqlite] [--pg-url URL] [--concurrency C]   (bench/README.md explains each section)';
const values = scriptArgs(
  'bench',
  {
      papers: { type: 'string', default: '1000000' },
      'ingest-papers': { type: 'string', default: '100000' },
      chunks: { type: 'string', default: '1000,10000' },
      queries: { type: 'string', default: '40' },
      passes: { type: 'string', default: '3' },
      only: { type: 'string' },
      tuning: { type: 'string' },
      db: { type: 'string' },
      pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'pg-db': { type: 'string' },
      channels: { type: 'string', default: '10000' },
      instances: { type: 'string', default: '1,3' },
      platform: { type: 'string', default: 'discord,slack' },
      stores: { type: 'string', default: 'postgres' },
      'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/pb_fanout_bench' },
      concurrency: { type: 'string' },
  },
  USAGE,
);
const tuning = parseTuning(values.tuning);
const papers = Number(values.papers);
const ingestPapers = Number(values['ingest-papers']);
const perKind = Number(values.queries);
const passes = Number(values.passes);
const only = new Set((values.only ?? SECTIONS.filter((x) => x !== 'pg').join(',')).split(','));
for (const [name, n] of Object.entries({ papers, 'ingest-papers': ingestPapers, queries: perKind, passes }))
  if (!Number.isInteger(n) || n < 1) usageExit('bench', `--${name} wants a positive whole number`, USAGE);
for (const c of values.chunks!.split(',')) if (!/^[1-9]\d*$/.test(c)) usageExit('bench', '--chunks wants whole numbers, e.g. 1000,10000', USAGE);
for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) usageExit('bench', `--only: unknown section ${s}; known: ${SECTIONS.join(', ')}`, USAGE);

const out = (s = '') => process.stdout.write(s + '\n');

function parseTuning(text: string | undefined): Partial<FtsTuning> {
  try {
    const t: unknown = JSON.parse(text ?? '{}');
    if (t && typeof t === 'object' && !Array.isArray(t)) return t as Partial<FtsTuning>;
  } catch {
    // said below
  }
  return usageExit('bench', `--tuning wants a JSON object, e.g. '{"window":2000}', not ${text}`, USAGE);
}
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(2)}%`;

if (only.has('fanout')) {
  await runFanoutSection(values, out);
  only.delete('fanout');
  if (only.size === 0) process.exit(0);
}

const corpusPath = findCorpus();
const corpus = readCorpusDays(corpusPath);
out(`Paperboy search benchmark — node ${process.version}, ${corpus.reduce((k, d) => k + d.papers.length, 0)} corpus items from ${corpusPath}`);
out(`tuning: ${JSON.stringify({ ...DEFAULT_TUNING, ...tuning })}`);

if (only.has('titles')) {
  out('\n## Exact titles of the whole corpus, searched one by one');
  const { items, skipped } = corpusItems(corpus);
  const path = join(BENCH_DATA, 'corpus.db');
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const store = await openStore(path);
  const t0 = performance.now();
  for (const day of corpus) await store.papers.upsertMany(corpusItems([day]).items, new Date('2026-07-01T00:00:00Z'));
  out(`ingest of the whole corpus (${n(items.length)} items, ${skipped} skipped, one upsertMany per day): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  for (const exactShortcut of [true, false]) {
    const r = await titleRanks(store, items, { exactShortcut });
    const by = (f: (rank: number | null) => boolean) => r.ranks.filter((x) => f(x.rank)).length;
    out(
      `${exactShortcut ? 'as shipped (exact-title lookup, then BM25)' : 'BM25 ranking alone                       '}: ` +
        `${n(r.atRank1)} / ${n(r.papers)} at rank 1 (${pct(r.atRank1, r.papers)}); titles no other paper shares: ${n(r.uniqueAtRank1)} / ${n(r.unique)} (${pct(r.uniqueAtRank1, r.unique)}); ` +
        `rank 2-10: ${by((k) => k !== null && k > 1)}, not in top 10: ${by((k) => k === null)}`,
    );
    if (!exactShortcut) for (const miss of r.ranks.filter((x) => x.rank !== 1).slice(0, 8)) out(`    e.g. rank ${miss.rank ?? '>10'}: ${miss.title}`);
  }
  await store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

if (only.has('ingest')) {
  const items = newGenerator(corpus, ingestPapers).nextBatch(ingestPapers);
  for (const chunk of values.chunks!.split(',').map(Number)) {
    out(`\n## Ingest: the same ${n(ingestPapers)} generated papers (+ listing rows) into an empty file, ${n(chunk)} per transaction`);
    const figures = await compareIngest(items, chunk, 400);
    const repo = figures[0]!;
    out(
      table(
        ['method', 'seconds', 'rows/s', 'PapersRepo is'],
        figures.map((f) => [f.method, f.seconds.toFixed(1), n(f.rowsPerSecond), f === repo ? '' : `${(repo.rowsPerSecond / f.rowsPerSecond).toFixed(2)}x`]),
      ),
    );
  }
}

if (only.has('similar')) {
  {
    const { items: real } = corpusItems(corpus);
    const r = await compareWithExhaustive(real, seededRng(DEFAULT_GENERATOR.seed + 4), 200);
    out(`\n## /papers similar against an exhaustive scan, on the ${n(r.papers)} real papers of the corpus (${r.asked} random papers)`);
    out(`recall@5 of the exhaustive top 5: ${(100 * r.recallAt5).toFixed(1)}%; its best match among the 5: ${r.top1Found}/${r.asked}`);
    out(`ms p50 / p95: search-bounded ${ms(r.boundedMs.p50)} / ${ms(r.boundedMs.p95)}, exhaustive scan (vectors in memory) ${ms(r.exhaustiveMs.p50)} / ${ms(r.exhaustiveMs.p95)}`);
  }
  const items = newGenerator(corpus, ingestPapers).nextBatch(ingestPapers);
  for (const chunk of values.chunks!.split(',').map(Number)) {
    out(`\n## Term vectors at ingest: the same ${n(ingestPapers)} generated papers into an empty file, ${n(chunk)} per upsertMany call (best of two)`);
    const figures = await compareVectorIngest(items, chunk);
    const [withVectors, without] = figures as [(typeof figures)[number], (typeof figures)[number]];
    out(
      table(
        ['indexers', 'seconds', 'rows/s', 'term bytes/paper'],
        figures.map((f) => [f.method, f.seconds.toFixed(1), n(f.rowsPerSecond), f.bytesPerPaper ? f.bytesPerPaper.toFixed(0) : '-']),
      ),
    );
    out(`keeping vectors costs ${((withVectors.seconds / without.seconds - 1) * 100).toFixed(0)}% more ingest time (${((1000 * (withVectors.seconds - without.seconds)) / ingestPapers).toFixed(3)} ms a paper)`);
  }
}

if (only.has('search') || only.has('matching') || only.has('plans') || only.has('similar') || only.has('taste')) {
  out(`\n## A store of ${n(papers)} generated papers (cached in bench/.data)`);
  const built = values.db ? { path: values.db, built: false, seconds: null, rowsPerSecond: null } : await ensureBenchDb(corpus, papers, out);
  out(built.built ? `built through PapersRepo.upsertMany (10,000 per call): ${built.seconds!.toFixed(0)} s, ${n(built.rowsPerSecond!)} rows/s` : `cached: ${built.path}`);
  const store = await openStore(built.path, { fts: tuning });
  const rng = seededRng(DEFAULT_GENERATOR.seed + 1);

  if (only.has('search')) {
    const mix = await buildQueryMix(corpus, store.db, rng, perKind, DEFAULT_GENERATOR.lastDay);
    const r = await measureSearch(store, new FtsSearchIndex(store.db, tuning), mix, passes);
    out(`\n## Search latency at ${n(papers)} papers, ms (page 1 of 5 results, the whole /papers search path; ${perKind} queries per kind, ${passes} passes after a warm-up)`);
    out('Beside it, one bare FTS5 statement for the same completed and corrected query (MATCH, bm25(), LIMIT 5; no exact-title lookup, no planning).');
    const order = new Map(KINDS.map((k, i) => [k as string, i]));
    const rows = [...r.kinds].sort((a, b) => order.get(a.kind)! - order.get(b.kind)!);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    out(
      table(
        ['kind', 'p50', 'p95', 'p99', 'max', '+papers p95', 'bare p50', 'bare p95', 'p95 / bare', 'empty', 'corrected', 'how it ran'],
        [
          ...rows.map((k) => [
            k.kind,
            ms(k.search.p50),
            ms(k.search.p95),
            ms(k.search.p99),
            ms(k.search.max),
            ms(k.withPapers.p95),
            ms(k.bare.p50),
            ms(k.bare.p95),
            ratio(k.search.p95, k.bare.p95),
            `${k.empty}/${perKind}`,
            `${k.corrected}/${perKind}`,
            Object.entries(k.plans).map(([p, c]) => `${p} ${c}`).join(', '),
          ]),
          ['all', ms(r.all.p50), ms(r.all.p95), ms(r.all.p99), ms(r.all.max), ms(r.allWithPapers.p95), ms(r.allBare.p50), ms(r.allBare.p95), ratio(r.all.p95, r.allBare.p95), '', '', ''],
        ],
      ),
    );
  }

  if (only.has('matching')) {
    out(`\n## Topic matching (digest, in memory): a day's papers against ${TOPICS.length} topics, ms per day`);
    const figures = await measureMatching(store, rng, 10);
    out(
      table(
        ['day', 'papers', 'read + analyse (once a tick)', 'ten topics p50', 'p95', 'max', 'matches'],
        figures.map((f) => [f.day, String(f.papers), ms(f.build), ms(f.perDay.p50), ms(f.perDay.p95), ms(f.perDay.max), String(f.matched)]),
      ),
    );
    const c = await measureChannels(store, rng, 10_000, 1_000);
    out(
      `\n${n(c.channels)} channels (${n(c.topics)} topics) against a day of ${n(c.papers)} new papers: ` +
        `${ms(c.buildMs + c.matchMs)} ms in all (read + analyse ${ms(c.buildMs)} ms, match ${ms(c.matchMs)} ms; ${n(c.matched)} matches)`,
    );
  }

  if (only.has('plans')) {
    out('\n## EXPLAIN QUERY PLAN of every statement a search runs');
    const checks = await checkPlans(
      built.path,
      [
        ['diffusion transformer'],
        ['model'],
        ['"language model" kernels'],
        // A check budget of one sends it to the fallback: bm25 over the newest papers' candidates.
        ['"language model" kernels', { checkBudget: 1 }],
        ['attention -vision since:2025-01-01'],
        ['mamba OR kaloru'],
      ],
    );
    for (const c of checks) out(`${c.ok ? 'ok  ' : 'BAD '} ${c.query} — ${c.statement}: ${c.verdict}\n       ${c.plan.join(' | ')}`);
  }
  if (only.has('similar')) {
    const r = await measureSimilar(store, seededRng(DEFAULT_GENERATOR.seed + 2), perKind, passes);
    out(`\n## /papers similar at ${n(papers)} papers, ms (${r.asked} random papers, ${passes} passes after a warm-up)`);
    out(
      table(
        ['', 'p50', 'p95', 'p99', 'max'],
        [
          ['findSimilar', ms(r.latency.p50), ms(r.latency.p95), ms(r.latency.p99), ms(r.latency.max)],
          ['+ 5 papers', ms(r.withPapers.p50), ms(r.withPapers.p95), ms(r.withPapers.p99), ms(r.withPapers.max)],
        ],
      ),
    );
    out(`found similar papers for ${r.asked ? r.found : 0}/${r.asked}; ${r.meanCandidates.toFixed(0)} candidates scored on average; mean best cosine ${r.meanTopSimilarity.toFixed(2)}`);
  }

  if (only.has('taste')) {
    const sizes = [
      { positives: 10, delivered: 50 },
      { positives: 100, delivered: 500 },
      { positives: 1_000, delivered: 2_000 },
      { positives: 3_000, delivered: 5_000 },
    ];
    const figures = await measureTaste(store, seededRng(DEFAULT_GENERATOR.seed + 3), sizes, DEFAULT_GENERATOR.lastDay);
    out(`\n## Team taste at ${n(papers)} papers, ms (a synthetic team per row; removed afterwards)`);
    out(
      table(
        ['liked', 'posted', 'examples', 'fit', 'fit (cpu)', 'reuse', 'plan p50', 'plan+taste p50', 'plan+taste p95', 'candidates'],
        figures.map((f) => [n(f.positives), n(f.delivered), n(f.examples), ms(f.fitMs), ms(f.fitCpuMs), ms(f.reuseMs), ms(f.planWithout.p50), ms(f.planWith.p50), ms(f.planWith.p95), n(f.candidates)]),
      ),
    );
  }
  await store.close();
}

if (only.has('pg')) {
  out(`\n## PostgreSQL: the same ${n(papers)} generated papers, loaded through PapersRepo.upsertMany (10,000 per call)`);
  const built = await ensurePgBenchDb(corpus, papers, values.pg!, values['pg-db'] ?? `paperboy_bench_${papers}`, out);
  out(built.built ? `ingest into PostgreSQL: ${built.seconds!.toFixed(0)} s, ${n(built.rowsPerSecond!)} papers/s` : `reused: ${built.url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@')} (ingest figure printed when it was loaded)`);
  const lite = values.db ? { path: values.db, built: false, seconds: null, rowsPerSecond: null } : await ensureBenchDb(corpus, papers, out);
  if (lite.built) out(`SQLite store built: ${lite.seconds!.toFixed(0)} s, ${n(lite.rowsPerSecond!)} papers/s`);
  const sqliteStore = await openStore(lite.path, { fts: tuning });
  const pgStore = await openStore(built.url, { fts: tuning });
  const mix = await buildQueryMix(corpus, sqliteStore.db, seededRng(DEFAULT_GENERATOR.seed + 1), perKind, DEFAULT_GENERATOR.lastDay);
  const { kinds, all: every } = await measurePair(sqliteStore, pgStore, mix, passes);
  out(`\n## Search latency at ${n(papers)} papers, SQLite beside PostgreSQL, ms (page 1 of 5 results, the whole /papers search path; ${perKind} queries per kind, ${passes} passes after a warm-up)`);
  const order = new Map(KINDS.map((k, i) => [k as string, i]));
  const rows = kinds.sort((a, b) => order.get(a.kind)! - order.get(b.kind)!);
  const all = (f: (k: (typeof kinds)[number]) => number) => rows.reduce((m, k) => Math.max(m, f(k)), 0);
  out(
    table(
      ['kind', 'SQLite p50', 'SQLite p95', 'PG p50', 'PG p95', 'PG p95 / SQLite p95', 'other page 1', 'empty SQLite/PG'],
      [
        ...rows.map((k) => [k.kind, ms(k.sqlite.p50), ms(k.sqlite.p95), ms(k.postgres.p50), ms(k.postgres.p95), `${(k.postgres.p95 / k.sqlite.p95).toFixed(2)}x`, `${k.differ}`, `${k.empty.sqlite}/${k.empty.postgres}`]),
        ['all', ms(every.sqlite.p50), ms(every.sqlite.p95), ms(every.postgres.p50), ms(every.postgres.p95), `${(every.postgres.p95 / every.sqlite.p95).toFixed(2)}x`, '', ''],
      ],
    ),
  );
  out(`worst p95: SQLite ${ms(all((k) => k.sqlite.p95))} ms, PostgreSQL ${ms(all((k) => k.postgres.p95))} ms (target: PostgreSQL p95 <= 2x SQLite's)`);
  await sqliteStore.close();
  await pgStore.close();
}
