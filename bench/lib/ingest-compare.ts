import BetterSqlite3 from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestItem } from '../../src/domain/paper.ts';
import { PapersRepo, toRow } from '../../src/store/papers.ts';
import { AUTHOR_WORDS_FUNCTION, FTS_ROWID_SQL, registerFtsFunctions } from '../../src/store/sqlite/fts-rows.ts';
import { openStore } from '../../src/store/store.ts';
import { BENCH_DATA } from './bench-db.ts';

export interface IngestFigure {
  method: string;
  seconds: number;
  rowsPerSecond: number;
}

const NOW = new Date('2026-07-01T00:00:00Z');

function freshPath(name: string): string {
  const path = join(BENCH_DATA, `ingest-${name}.db`);
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  return path;
}

function removeDb(path: string): void {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

/** The usual way to keep an FTS5 table in step: a trigger per inserted row. */
const INSERT_TRIGGER = `CREATE TRIGGER bench_fts_insert AFTER INSERT ON papers BEGIN
  INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
  VALUES (${FTS_ROWID_SQL('new')}, new.title, new.abstract, ${AUTHOR_WORDS_FUNCTION}(new.authors_text), new.keywords_text);
END`;

const INDEX_NEW = `INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
  SELECT ${FTS_ROWID_SQL('p')}, p.title, p.abstract, ${AUTHOR_WORDS_FUNCTION}(p.authors_text), p.keywords_text FROM papers p WHERE p.seq > ?`;

/** An empty database with the product's schema, opened raw with the product's pragmas. */
async function rawDb(name: string, withTrigger: boolean): Promise<{ raw: BetterSqlite3.Database; path: string }> {
  const path = freshPath(name);
  await (await openStore(path)).close();
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  registerFtsFunctions(raw);
  if (withTrigger) raw.exec(INSERT_TRIGGER);
  return { raw, path };
}

function timed(method: string, rows: number, run: () => void | Promise<void>): Promise<IngestFigure> {
  const t0 = performance.now();
  return Promise.resolve(run()).then(() => {
    const seconds = (performance.now() - t0) / 1000;
    return { method, seconds, rowsPerSecond: rows / seconds };
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The same papers (and their listing rows) loaded six ways into fresh files, in `chunk`-item
 * transactions: the product's PapersRepo.upsertMany (full-text index and vocabulary), and
 * without the vocabulary; raw better-sqlite3 prepared single-row INSERTs with an FTS trigger
 * per row; the same with multi-row INSERTs of `multiRow` rows; raw single-row INSERTs indexed
 * by one INSERT ... SELECT into FTS per transaction (what upsertMany does); and raw INSERTs
 * indexed by one INSERT ... SELECT of everything at the end. The raw ways keep no vocabulary.
 */
export async function compareIngest(items: IngestItem[], chunk: number, multiRow: number): Promise<IngestFigure[]> {
  const rows = items.map((it) => toRow(it.paper, NOW.toISOString()));
  const columns = Object.keys(rows[0]!) as Array<keyof (typeof rows)[number]>;
  const values = (r: (typeof rows)[number]) => columns.map((c) => r[c] ?? null);
  const listings = items.map((it) => (it.listing ? [it.listing.source, it.listing.day, it.paper.id, it.listing.rank] : null));
  const insertSql = (n: number) =>
    `INSERT INTO papers (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
  const figures: IngestFigure[] = [];

  {
    const path = freshPath('repo');
    const store = await openStore(path);
    figures.push(
      await timed('PapersRepo.upsertMany', items.length, async () => {
        for (const c of chunks(items, chunk)) await store.papers.upsertMany(c, NOW);
      }),
    );
    await store.close();
    removeDb(path);
  }
  {
    const path = freshPath('repo-fts-only');
    const store = await openStore(path);
    // Everything the store keeps at ingest but the vocabulary (the term vectors stay).
    const ftsOnly = new PapersRepo(store.db, [store.search, store.vectors]);
    figures.push(
      await timed('PapersRepo.upsertMany, no vocabulary', items.length, async () => {
        for (const c of chunks(items, chunk)) await ftsOnly.upsertMany(c, NOW);
      }),
    );
    await store.close();
    removeDb(path);
  }

  const singleRow = (raw: BetterSqlite3.Database, indexEachTransaction: boolean) => {
    const insert = raw.prepare(insertSql(1));
    const listing = raw.prepare('INSERT INTO listings (source, day, paper_id, rank) VALUES (?, ?, ?, ?)');
    const index = raw.prepare(INDEX_NEW);
    const maxSeq = raw.prepare('SELECT coalesce(max(seq), 0) FROM papers').pluck();
    return raw.transaction((from: number, to: number) => {
      const before = maxSeq.get() as number;
      for (let i = from; i < to; i++) {
        insert.run(values(rows[i]!));
        const l = listings[i];
        if (l) listing.run(l);
      }
      if (indexEachTransaction) index.run(before);
    });
  };
  const run = async (name: string, method: string, withTrigger: boolean, load: (raw: BetterSqlite3.Database) => void) => {
    const { raw, path } = await rawDb(name, withTrigger);
    figures.push(await timed(method, items.length, () => load(raw)));
    raw.close();
    removeDb(path);
  };
  const inChunks = (load: (from: number, to: number) => void) => {
    for (let i = 0; i < rows.length; i += chunk) load(i, Math.min(rows.length, i + chunk));
  };

  await run('raw-rows', 'raw INSERT per row, FTS trigger per row', true, (raw) => inChunks(singleRow(raw, false)));

  await run('raw-multi', `raw INSERT ${multiRow} rows/statement, FTS trigger per row`, true, (raw) => {
    const full = raw.prepare(insertSql(multiRow));
    const listingSql = (n: number) => `INSERT INTO listings (source, day, paper_id, rank) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ')}`;
    inChunks(
      raw.transaction((from: number, to: number) => {
        for (let i = from; i < to; i += multiRow) {
          const end = Math.min(to, i + multiRow);
          const stmt = end - i === multiRow ? full : raw.prepare(insertSql(end - i));
          stmt.run(rows.slice(i, end).flatMap(values));
          const ls = listings.slice(i, end).filter((l) => l !== null);
          if (ls.length > 0) raw.prepare(listingSql(ls.length)).run(ls.flat());
        }
      }),
    );
  });

  await run('raw-select', 'raw INSERT per row, FTS INSERT...SELECT per transaction', false, (raw) => inChunks(singleRow(raw, true)));

  await run('raw-index-once', 'raw INSERT per row, then one FTS INSERT...SELECT of all', false, (raw) => {
    inChunks(singleRow(raw, false));
    raw.prepare(INDEX_NEW).run(0);
  });
  return figures;
}
