import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRng, type Rng } from '../../bench/lib/prng.ts';
import { UserError } from '../../src/domain/errors.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { Store } from '../../src/store/store.ts';
import { HAND_MADE, paper, storeWith } from './hand-made-papers.ts';

/**
 * Generated hostile queries: FTS5 syntax, SQL, quotes, operators, odd Unicode, control
 * characters and very long input. Each must give a page of results or a UserError; anything
 * else (an SQLite error above all) is a bug.
 */
const PIECES = [
  // FTS5 and SQL syntax
  '"', '""', "'", '*', '^', ':', '(', ')', '{', '}', '+', '-', '--', ',', '.', '/', '\\', '|', '&', '~', '[', ']', '<', '>', '=', ';', '!', '?', '#', '$', '%', '@', '`',
  'AND', 'OR', 'NOT', 'NEAR', 'NEAR(', 'NEAR/2', 'and', 'or', 'not', 'near', 'MATCH', 'rank', 'rowid', 'bm25(', 'papers_fts', 'highlight(',
  'title:', 'author:', 'au:', 'ti:', 'since:', 'abstract:', 'keywords:', 'foo:', 'rank:', '{title}:', '{title abstract}:', '{authors_text}:', '{nope}:', '{', '-title:', '-author:"',
  "'; DROP TABLE papers; --", '" OR 1=1 --', "') OR ('1'='1", '%00', '\\"', '"*"', '"^"',
  'since:2024-01-01', 'since:2024-13-45', 'since:0000-00-00', 'since:9999-12-31', 'since:-1', 'since:2024-01-01T00:00',
  // Unicode
  '🚀', '👩‍🔬', '🇩🇪', 'é', 'e\u0301', '\u0301', 'ﬁ', 'ß', 'İ', 'ς', '日本語', 'テキスト', 'עברית', 'العربية', '\u200b', '\u200d', '\u202e', '\u00ad', '\ufeff', '\ud800', '\udfff', '\uffff', '\u{10ffff}', '\ue000', '𝒜',
  // control characters
  '\u0000', '\u0001', '\u0007', '\u001b[31m', '\u007f', '\t', '\n', '\r\n', '\u2028',
  // numbers and compounds
  '20.04', '2+3=?', "who's", 'multi-agent', 'o1-like', 'x²', '½', '1e10', '-0', '0x1F', 'v2.1.3',
];

const WORDS = [...new Set(HAND_MADE.flatMap((p) => `${p.title} ${p.abstract}`.toLowerCase().match(/\p{L}+/gu) ?? []))];

function hostileQuery(r: Rng): string {
  const roll = r.next();
  if (roll < 0.03) return r.pick(WORDS).repeat(1 + r.int(2000)); // one very long word
  if (roll < 0.06) return Array.from({ length: 50 + r.int(2000) }, () => r.pick(PIECES)).join(r.chance(0.5) ? ' ' : ''); // very long input
  if (roll < 0.1) return String.fromCharCode(...Array.from({ length: 1 + r.int(40) }, () => r.int(0x3000))); // raw code units
  const n = 1 + r.int(12);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(r.chance(0.45) ? r.pick(WORDS) : r.pick(PIECES));
  // Glue some pieces together (`title:"mamba`, `-(NEAR`) and space others apart.
  return parts.reduce((s, p) => s + (r.chance(0.35) ? '' : r.pick([' ', ' ', '  ', '\t'])) + p, '');
}

type Outcome = 'page' | 'user_error';

async function run(store: Store, query: string, r: Rng): Promise<{ outcome: Outcome; found: number }> {
  try {
    const q = parseSearchQuery(query);
    const page = await store.search.search(q, { limit: 1 + r.int(10), offset: r.chance(0.3) ? r.int(30) : 0 });
    expect(Array.isArray(page.ids)).toBe(true);
    const matched = await store.matcher.matching(q, HAND_MADE.map((p) => p.id));
    expect(matched).toBeInstanceOf(Set);
    return { outcome: 'page', found: page.ids.length };
  } catch (e) {
    if (e instanceof UserError) return { outcome: 'user_error', found: 0 };
    throw new Error(`query ${JSON.stringify(query)} failed with ${String(e)}`, { cause: e });
  }
}

describe.each([
  ['full ranking', undefined],
  // Tiny limits send queries down every other path: windows, common words checked, newest first.
  ['tiny limits', { fullRankLimit: 1, window: 2, maxScoredDf: 2, phraseCostFactor: 1, sampleRows: 8, commonWindow: 6 }],
])('1,500 hostile queries (%s)', (_, fts) => {
  let store: Store;
  beforeAll(async () => {
    store = await storeWith(HAND_MADE, fts ? { fts } : {});
  });
  afterAll(() => store.close());

  it('each returns a page or a UserError, never an SQL error', async () => {
    const r = seededRng(fts ? 7 : 42);
    const tally = { page: 0, user_error: 0, nonEmpty: 0 };
    for (let i = 0; i < 1500; i++) {
      const { outcome, found } = await run(store, hostileQuery(r), r);
      tally[outcome]++;
      if (found > 0) tally.nonEmpty++;
    }
    // The generator must reach the database often, and find papers sometimes, to prove anything.
    expect(tally.page).toBeGreaterThan(900);
    expect(tally.nonEmpty).toBeGreaterThan(40);
    expect(tally.user_error).toBeGreaterThan(150);
    expect(await store.papers.count()).toBe(HAND_MADE.length);
  });
});

// Found by `npm run fuzz`: PostgreSQL refuses a lexeme over 2,047 bytes, which failed the whole ingest batch.
describe('a paper with a word longer than any index keeps', () => {
  it('is ingested and found by its other words', async () => {
    const long = paper('2402.09999', 'Glossary of Unbroken Strings', `${'ü'.repeat(1_500)} ${'x'.repeat(3_000)} appendix`);
    const store = await storeWith([...HAND_MADE, long]);
    try {
      expect(await store.papers.count()).toBe(HAND_MADE.length + 1);
      const page = await store.search.search(parseSearchQuery('glossary appendix'), { limit: 5, offset: 0 });
      expect(page.ids).toEqual(['2402.09999']);
    } finally {
      await store.close();
    }
  });
});
