import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/search/query.ts';
import { openStore } from '../../src/store/store.ts';
import { postgresMigratedTo, TEST_DIALECT } from '../support/test-store.ts';

/*
 * Upgrade (PostgreSQL 0010): search rows written before it, with author words weighted B but
 * unmarked and no `dated` column, are rewritten: afterwards an author is found by name (a full
 * name by the pair lexemes of its neighbouring words) and not by a word of someone's abstract,
 * `since:` leaves undated papers out, documents are kept out of the rows, and the GIN index is back.
 */

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const at = '2026-07-01T00:00:00.000Z';
const PAPERS = [
  // seq, id, title, abstract, authors, published_at, the search document as 0001-0009 wrote it
  [1, '2606.00001', 'Agents that plan', 'Planning agents.', 'Jane Smith', '2026-06-10T00:00:00.000Z', "'agent':1A,6D 'plan':3A,5D 'jane':5B 'smith':6B 'j\uE001':7B 'smith\uE001':8B"],
  [2, '2606.00002', 'Forging agents', 'A smith forges agents.', 'Ann Lee', '2026-05-01T00:00:00.000Z', "'forg':1A,10D 'agent':2A,11D 'ann':4B 'lee':5B 'a\uE001':6B 'lee\uE001':7B 'smith':9D"],
  [3, '2606.00003', 'Undated agents', 'Agents without a date.', 'Bo Smith', null, "'undat':1A 'agent':2A,4D 'date':6D 'bo':4B 'smith':5B 'b\uE001':6B 'smith\uE001':7B"],
] as const;

describe.skipIf(TEST_DIALECT !== 'postgres')('search rows are rewritten on upgrade (PostgreSQL 0010)', () => {
  it('marks author words, records which papers are dated and rebuilds the GIN index', async () => {
    const { url, db, migrator, drop } = await postgresMigratedTo('0009_weekly_recap');
    let store: Awaited<ReturnType<typeof openStore>> | undefined;
    cleanup = async () => {
      await store?.close();
      await drop();
    };
    for (const [seq, id, title, abstract, authors, published, doc] of PAPERS) {
      await sql`INSERT INTO papers (seq, id, title, title_key, abstract, authors, authors_text, arxiv_url, pdf_url, source, published_at, first_seen_at, updated_at)
        VALUES (${seq}, ${id}, ${title}, ${title.toLowerCase()}, ${abstract}, ${JSON.stringify([authors])}, ${authors},
          ${'https://arxiv.org/abs/' + id}, ${'https://arxiv.org/pdf/' + id}, 'hf', ${published}, ${at}, ${at})`.execute(db);
      await sql`INSERT INTO papers_search (seq, day, doc) VALUES (${seq}, ${(published ?? at).slice(0, 10)}::date, ${doc}::tsvector)`.execute(db);
    }
    // Before: a plain word is looked up with weights, and an author word is the abstract's word.
    const before = await sql<{ seq: number }>`SELECT seq FROM papers_search WHERE doc @@ '''smith'':B'::tsquery ORDER BY seq`.execute(db);
    expect(before.rows.map((r) => r.seq)).toEqual([1, 3]);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    // Author words are lexemes of their own, and so is each pair of neighbours in one name.
    const rows = await sql<{ seq: number; dated: boolean; surname: boolean; name: boolean }>`
      SELECT seq, dated, doc @@ ${"'smith\uE000'"}::tsquery AS surname, doc @@ ${"'jane smith\uE000'"}::tsquery AS name FROM papers_search ORDER BY seq`.execute(db);
    expect(rows.rows).toEqual([
      { seq: 1, dated: true, surname: true, name: true },
      { seq: 2, dated: true, surname: false, name: false },
      { seq: 3, dated: false, surname: true, name: false },
    ]);
    const index = await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'papers_search_doc'`.execute(db);
    expect(index.rows.map((r) => r.def)).toEqual([expect.stringContaining('USING gin (doc)')]);
    const options = await sql<{ reloptions: string[] | null }>`SELECT reloptions FROM pg_class WHERE relname = 'papers_search'`.execute(db);
    expect(options.rows[0]!.reloptions).toEqual(['toast_tuple_target=128']);

    store = await openStore(url, { pgPool: 2 });
    const found = async (q: string) => (await store!.search.search(parseSearchQuery(q), { limit: 10, offset: 0 })).ids.sort();
    expect(await found('author:smith')).toEqual(['2606.00001', '2606.00003']);
    expect(await found('author:"J. Smith"')).toEqual(['2606.00001']);
    expect(await found('author:"Jane Smith"')).toEqual(['2606.00001']);
    expect(await found('author:"Bo Smith"')).toEqual(['2606.00003']);
    // A plain word is a title, keyword or abstract word or an author's name, as on SQLite.
    expect(await found('smith')).toEqual(['2606.00001', '2606.00002', '2606.00003']);
    expect(await found('agents since:2026-06-01')).toEqual(['2606.00001']);
    expect(await found('agents since:2026-01-01')).toEqual(['2606.00001', '2606.00002']);
    expect(await found('agents -author:smith')).toEqual(['2606.00002']);
  });
});
