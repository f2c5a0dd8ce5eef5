import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_CANDIDATES, corpusItems, readCorpusDays } from '../../bench/lib/corpus.ts';
import type { IngestItem } from '../../src/domain/paper.ts';
import { authorIndexWords, authorPhrases, nameWords } from '../../src/search/author-names.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../support/test-store.ts';

/**
 * `author:` name variants (issue 12, item 6) on recorded papers: the corpus's papers by Tri Dao,
 * other Daos (Trung, Alan, Quan) and the Łukasz / Lukasz authors, through the store's search
 * index (FTS5 or tsvector) and the in-memory topic matcher alike.
 */
const NAMES = /^(Tri Dao|Trung Dao|Alan Dao|Quan Dao|Łukasz \S+|Lukasz \S+)$/;

let store: Store;
let items: IngestItem[];
const by = (name: string) => items.filter((i) => i.paper.authors.includes(name)).map((i) => i.paper.id).sort();

beforeAll(async () => {
  const all = corpusItems(readCorpusDays(CORPUS_CANDIDATES[1]!)).items;
  items = [...new Map(all.filter((i) => i.paper.authors.some((a) => NAMES.test(a))).map((i) => [i.paper.id, i])).values()];
  store = await openTestStore();
  await store.papers.upsertMany(items, new Date('2026-07-01T00:00:00Z'));
}, 60_000);
afterAll(() => store.close());

async function searched(query: string): Promise<string[]> {
  return (await store.search.search(parseSearchQuery(query), { limit: 100, offset: 0 })).ids.sort();
}
async function matched(query: string): Promise<string[]> {
  return [...(await store.matcher.matching(parseSearchQuery(query), items.map((i) => i.paper.id)))].sort();
}

describe('the recorded papers', () => {
  it('hold the names the cases below need', () => {
    expect(by('Tri Dao').length).toBeGreaterThan(0);
    expect(by('Trung Dao').length).toBeGreaterThan(0);
    expect(by('Łukasz Borchmann').length).toBeGreaterThan(0);
    expect(by('Lukasz Kaiser').length).toBeGreaterThan(0);
  });
});

describe.each([
  ['search index', searched],
  ['topic matcher', matched],
])('author: variants through the %s', (_, find) => {
  it('"Tri Dao", "TRI DAO" and "tri dao" find Tri Dao only', async () => {
    for (const q of ['author:"Tri Dao"', 'author:"TRI DAO"', 'author:"tri dao"', 'AUTHOR:"Tri Dào"']) expect(await find(q), q).toEqual(by('Tri Dao'));
  });

  it('"T. Dao" finds every T. Dao (Tri and Trung), not Alan or Quan', async () => {
    const tDaos = [...new Set([...by('Tri Dao'), ...by('Trung Dao')])].sort();
    for (const q of ['author:"T. Dao"', 'author:"t dao"', 'author:"T Dao"']) expect(await find(q), q).toEqual(tDaos);
    const ids = await find('author:"T. Dao"');
    for (const other of [...by('Alan Dao'), ...by('Quan Dao')]) if (!tDaos.includes(other)) expect(ids).not.toContain(other);
  });

  it('Łukasz and Lukasz are one name', async () => {
    expect(await find('author:"Lukasz Borchmann"')).toEqual(by('Łukasz Borchmann'));
    expect(await find('author:"ŁUKASZ BORCHMANN"')).toEqual(by('Łukasz Borchmann'));
    expect(await find('author:"Łukasz Kaiser"')).toEqual(by('Lukasz Kaiser'));
    expect(await find('author:"Ł. Borchmann"')).toEqual(by('Łukasz Borchmann'));
    const lukasz = [...new Set(items.filter((i) => i.paper.authors.some((a) => /^[ŁL]ukasz /.test(a))).map((i) => i.paper.id))].sort();
    expect(await find('author:lukasz')).toEqual(lukasz);
    expect(await find('author:łukasz')).toEqual(lukasz);
  });

  it('a name written in full finds it written with initials, and no other full name', async () => {
    // "Trung Dao" is no variant of "Tri Dao", though both are "T. Dao".
    const ids = await find('author:"Tri Dao"');
    for (const id of by('Trung Dao')) if (!by('Tri Dao').includes(id)) expect(ids).not.toContain(id);
  });

  it('a surname alone still matches as written, never a prefix of it', async () => {
    expect((await find('author:dao')).length).toBeGreaterThanOrEqual(by('Tri Dao').length + by('Trung Dao').length);
    expect(await find('author:da')).toEqual([]);
  });
});

describe('name words', () => {
  it('fold case, diacritics and the letters NFD keeps whole', () => {
    expect(nameWords('Łukasz Øster Straße Đorđe')).toEqual(['lukasz', 'oster', 'strasse', 'dorde']);
    expect(nameWords('José Müller')).toEqual(['jose', 'muller']);
  });

  it('index each author with an initials alias, and query by initials through it', () => {
    expect(authorIndexWords('Tri Dao; T. Dao; Yann')).toEqual(['tri', 'dao', 't\uE001', 'dao\uE001', 't', 'dao', 't\uE001', 'dao\uE001', 'yann']);
    expect(authorPhrases(['c', 'd', 'manning'])).toEqual([['c\uE001', 'manning\uE001']]);
    expect(authorPhrases(['tri', 'dao'])).toEqual([['tri', 'dao'], ['t', 'dao']]);
  });
});

describe('author: alone', () => {
  it('lists every match newest first by the paper\'s own day, on every page', async () => {
    const day = (i: IngestItem) => (i.paper.publishedAt ?? '2026-07-01').slice(0, 10);
    const stored = new Map(items.map((i, k) => [i.paper.id, k]));
    const newestFirst = (ids: string[]) =>
      ids
        .map((id) => items[stored.get(id)!]!)
        .sort((a, b) => day(b).localeCompare(day(a)) || stored.get(b.paper.id)! - stored.get(a.paper.id)!)
        .map((i) => i.paper.id);
    const q = parseSearchQuery('author:dao');
    const expected = newestFirst(await searched('author:dao'));
    expect(new Set(expected.map((id) => day(items[stored.get(id)!]!))).size).toBeGreaterThan(2);
    // PostgreSQL's two ways (a walk down the date index, a GIN scan); SQLite has one, and no such knob.
    for (const walkCost of [0, 1_000]) {
      const tuned = await openTestStore({ fts: { walkCost } });
      try {
        await tuned.papers.upsertMany(items, new Date('2026-07-01T00:00:00Z'));
        const first = await tuned.search.search(q, { limit: 3, offset: 0 });
        const rest = await tuned.search.search(q, { limit: 100, offset: 3 });
        expect(first.window).toBeNull();
        expect([...first.ids, ...rest.ids], `walkCost ${walkCost}`).toEqual(expected);
      } finally {
        await tuned.close();
      }
    }
  });
});
