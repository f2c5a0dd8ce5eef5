import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/domain/paper.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { items, paper } from '../search/hand-made-papers.ts';
import { createTestDatabase, dropTestDatabase, openTestStore, postgresMigratedTo, TEST_DIALECT } from '../support/test-store.ts';

/*
 * PostgreSQL's newest search rows (migration 0011, src/store/postgres/recent-search.ts): after
 * every ingest, the table holds exactly the search rows on or after its floor, as written, and
 * the floor trails the newest paper by the days asked for (moved in steps of a twelfth).
 */

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const at = new Date('2026-07-01T00:00:00Z');
const DAYS = 60;
const STEP = 5;

/** A paper a week from 2024-01-01, `n` of them, each about "agents". */
function weekly(n: number, from = 0): Paper[] {
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1) + (from + i) * 7 * 86_400_000).toISOString();
    return paper(`2401.${String(from + i + 1).padStart(5, '0')}`, `Agents week ${from + i}`, `Planning agents, week ${from + i}.`, { publishedAt: day });
  });
}

async function floorOf(store: Store): Promise<string> {
  const r = await sql<{ floor: string }>`SELECT day::text AS floor FROM search_recent_floor`.execute(store.db);
  return r.rows[0]!.floor;
}

/** Rows (seq, day, dated, document) of one table on or after a day, in seq order. */
async function rowsFrom(store: Store, table: 'papers_search' | 'papers_search_recent', day: string): Promise<string[]> {
  const r = await sql<{ row: string }>`SELECT concat_ws(' ', seq, day, dated, doc) AS row FROM ${sql.table(table)} WHERE day >= ${day}::date ORDER BY seq`.execute(store.db);
  return r.rows.map((x) => x.row);
}

/** The floor trails the newest paper by DAYS, give or take a step. */
async function expectFloorTrails(store: Store): Promise<void> {
  const floor = await floorOf(store);
  const newest = (await sql<{ d: string }>`SELECT max(day)::text AS d FROM papers_search`.execute(store.db)).rows[0]!.d;
  const lag = (Date.parse(newest) - Date.parse(floor)) / 86_400_000;
  expect(lag, `floor ${floor}, newest ${newest}`).toBeGreaterThanOrEqual(DAYS);
  expect(lag, `floor ${floor}, newest ${newest}`).toBeLessThan(DAYS + STEP);
}

/** The table holds exactly the search rows on or after the floor, as written. */
async function expectRowsFromFloor(store: Store): Promise<void> {
  expect(await rowsFrom(store, 'papers_search_recent', '-infinity')).toEqual(await rowsFrom(store, 'papers_search', await floorOf(store)));
}

describe.skipIf(TEST_DIALECT !== 'postgres')('the newest search rows (PostgreSQL)', () => {
  it('after every ingest, hold exactly the rows on or after a floor that trails the newest paper', async () => {
    const store = await openTestStore({ fts: { recentDays: DAYS } });
    cleanup = () => store.close();
    // 80 weeks in batches of 8: the floor moves with them.
    const seen = new Set<string>();
    for (let from = 0; from < 80; from += 8) {
      await store.papers.upsertMany(items(weekly(8, from)), at);
      await expectFloorTrails(store);
      await expectRowsFromFloor(store);
      seen.add(await floorOf(store));
    }
    expect(seen.size).toBeGreaterThan(5);

    // A paper without a date has its first day seen (2026-07-01, the newest): it is rewritten
    // in both tables when its title changes (rows are compared with their documents), and
    // leaves when its published date puts it before the floor.
    const undated = paper('2401.09000', 'Agents without a date', 'Undated agents.', { publishedAt: null });
    await store.papers.upsertMany(items([undated]), at);
    await expectFloorTrails(store);
    await expectRowsFromFloor(store);
    const inRecent = async (id: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM papers_search_recent r JOIN papers p ON p.seq = r.seq WHERE p.id = ${id}`.execute(store.db)).rows[0]!.n;
    expect(await inRecent(undated.id)).toBe(1);
    await store.papers.upsertMany(items([{ ...undated, title: 'Zeppelins without a date' }]), at);
    await expectRowsFromFloor(store);
    expect(await inRecent(undated.id)).toBe(1);
    expect((await store.search.search(parseSearchQuery('zeppelins'), { limit: 5, offset: 0 })).ids).toEqual([undated.id]);
    const floor = await floorOf(store);
    await store.papers.upsertMany(items([{ ...undated, publishedAt: '2024-02-01T00:00:00.000Z' }]), at);
    // The floor never moves down: the table is smaller until newer papers come.
    expect(await floorOf(store)).toBe(floor);
    await expectRowsFromFloor(store);
    expect(await inRecent(undated.id)).toBe(0);

    // A paper dated in the future moves the floor no further than DAYS before today.
    await store.papers.upsertMany(items([paper('2401.09999', 'Agents from the future', 'Claims a later day.', { publishedAt: '2099-01-01T00:00:00.000Z' })]), at);
    expect(Date.parse(await floorOf(store))).toBeLessThanOrEqual(Date.now() - DAYS * 86_400_000);
    await expectRowsFromFloor(store);
  });

  it('are what a search reads first, and its answers are those of every paper', async () => {
    const store = await openTestStore({ fts: { recentDays: DAYS, recentMargin: 0, fullRankLimit: 3, window: 3 } });
    const wide = await openTestStore({ fts: { recentDays: 100_000, fullRankLimit: 3, window: 3 } });
    cleanup = async () => {
      await store.close();
      await wide.close();
    };
    const papers = weekly(80);
    await store.papers.upsertMany(items(papers), at);
    await wide.papers.upsertMany(items(papers), at);
    // The wide store's floor trails by 100,000 days: every paper is among its newest rows, whichever table it reads.
    for (const text of ['agents', 'planning agents', '"planning agents"', 'agents -week', 'week OR agents', 'agents since:2025-06-01', 'week 3', 'week 79']) {
      const q = parseSearchQuery(text);
      for (const offset of [0, 2, 4]) {
        const page = { limit: 2, offset };
        expect(await store.search.search(q, page), `${text} @${offset}`).toEqual(await wide.search.search(q, page));
      }
    }
    // Asked first: a paper whose row is gone from every paper's table, but not from the newest, is still found.
    const newest = papers.at(-1)!;
    await sql`DELETE FROM papers_search WHERE seq = (SELECT seq FROM papers WHERE id = ${newest.id})`.execute(store.db);
    expect((await store.search.search(parseSearchQuery('agents'), { limit: 1, offset: 0 })).ids).toEqual([newest.id]);
  });

  it('a search trusts the floor as it is now, not as it was when the store last grew', async () => {
    const store = await openTestStore({ fts: { recentDays: DAYS } });
    cleanup = () => store.close();
    await store.papers.upsertMany(items(weekly(80)), at);
    const since = await floorOf(store);
    const q = parseSearchQuery(`agents since:${since}`);
    const before = (await store.search.search(q, { limit: 50, offset: 0 })).ids;
    expect(before.length).toBeGreaterThan(3);
    // The floor moves up two weeks with no paper added (as a move with nothing inserted would).
    await sql`UPDATE search_recent_floor SET day = day + 14`.execute(store.db);
    await sql`DELETE FROM papers_search_recent r USING search_recent_floor f WHERE r.day < f.day`.execute(store.db);
    expect((await store.search.search(q, { limit: 50, offset: 0 })).ids).toEqual(before);
  });

  it('a word counts the papers of every stored word of its stem', async () => {
    // "calculator" is in one paper, its stem (calcul) in 41 of 62: listed as common (the newest
    // 5, unranked: window 5), as SQLite's plan would, where counting the word as typed ranked it.
    const papers = [
      ...Array.from({ length: 30 }, (_, i) => paper(`2402.${String(i).padStart(5, '0')}`, `Study ${i}`, 'A calculation of costs.')),
      ...Array.from({ length: 10 }, (_, i) => paper(`2403.${String(i).padStart(5, '0')}`, `Note ${i}`, 'We calculate costs.')),
      ...Array.from({ length: 20 }, (_, i) => paper(`2404.${String(i).padStart(5, '0')}`, `Other ${i}`, 'Nothing of the sort.')),
      paper('2405.00001', 'A calculator', 'Keys.'),
      paper('2405.00002', 'An abacus', 'Beads.'),
    ];
    const store = await openTestStore({ fts: { commonShare: 0.3, recentPapers: 10, commonWindow: 5 } });
    cleanup = () => store.close();
    await store.papers.upsertMany(items(papers), at);
    expect((await store.search.search(parseSearchQuery('calculator'), { limit: 3, offset: 0 })).window).toBe(5);
    expect((await store.search.search(parseSearchQuery('abacus'), { limit: 3, offset: 0 })).window).toBe(null);
  });

  it('are copied from the rows already stored when a store upgrades', async () => {
    const { db, migrator, drop } = await postgresMigratedTo('0010_unweighted_search');
    cleanup = drop;
    const stamp = at.toISOString();
    for (const [seq, day] of [[1, '2026-06-10'], [2, '2025-09-01'], [3, '2025-05-01']] as const) {
      await sql`INSERT INTO papers (seq, id, title, title_key, abstract, authors, authors_text, arxiv_url, pdf_url, source, published_at, first_seen_at, updated_at)
        VALUES (${seq}, ${'2606.0000' + seq}, 'Agents', 'agents', 'Agents.', '[]', '', 'https://arxiv.org/abs/x', 'https://arxiv.org/pdf/x', 'hf', ${day + 'T00:00:00.000Z'}, ${stamp}, ${stamp})`.execute(db);
      await sql`INSERT INTO papers_search (seq, day, dated, doc) VALUES (${seq}, ${day}::date, true, 'agent'::tsvector)`.execute(db);
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    // A year (365 days) before the newest paper.
    expect((await sql<{ floor: string }>`SELECT day::text AS floor FROM search_recent_floor`.execute(db)).rows).toEqual([{ floor: '2025-06-10' }]);
    expect((await sql<{ seq: number }>`SELECT seq FROM papers_search_recent ORDER BY seq`.execute(db)).rows).toEqual([{ seq: 1 }, { seq: 2 }]);
    // And an empty store's floor is -infinity: every row is recent until ingest moves it.
    const empty = await createTestDatabase();
    const fresh = await openStore(empty, { pgPool: 2 });
    try {
      expect(await floorOf(fresh)).toBe('-infinity');
    } finally {
      await fresh.close();
      await dropTestDatabase(empty);
    }
  });
});
