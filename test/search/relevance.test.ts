import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/domain/paper.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import type { Store } from '../../src/store/store.ts';
import { paper, storeWith } from './hand-made-papers.ts';

/**
 * Search that means what people mean: word forms, half-typed last words, typos, author names as
 * written, exact titles and phrases first. Each paper is here to make one of these checkable.
 */
const day = (d: string) => `${d}T00:00:00.000Z`;
const PAPERS: Paper[] = [
  paper('2601.00001', 'Agents That Plan', 'Language agents plan with tools.', { authors: ['Mira Jones'], publishedAt: day('2026-01-01') }),
  paper('2601.00002', 'An Agent Benchmark', 'We evaluate a single agent on web tasks.', { authors: ['Omar Reyes'], publishedAt: day('2026-01-02') }),
  paper('2601.00003', 'Scalable Diffusion Transformers', 'Diffusion transformers generate images at scale.', { authors: ['Li Wang'], publishedAt: day('2026-01-03') }),
  paper('2601.00004', 'Reinforcement Learning from Human Feedback', 'Reinforcement learning aligns language models with preferences.', {
    authors: ['Ada Byron'],
    publishedAt: day('2026-01-04'),
  }),
  paper('2601.00005', 'Offline Reinforcement Learning', 'Policies learned by reinforcement learning from logged data.', { authors: ['Ada Byron'], publishedAt: day('2026-01-05') }),
  // "jone" is a word here, not a name: author:jone must not find Mira Jones.
  paper('2601.00006', 'Jone Valley Sediment Records', 'A field study of river sediment.', { authors: ['Kai Lindqvist'], publishedAt: day('2026-01-06') }),
  // "trans" as a whole word: matched as typed, it ranks above completions of "trans".
  paper('2601.00007', 'Trans Regional Graph Routing', 'Graph routing across trans regional networks.', { authors: ['Ines Moreau'], publishedAt: day('2026-01-07') }),
  paper('2601.00008', 'Graph Transformers for Molecules', 'Graph transformers predict molecular properties.', { authors: ['Ines Moreau'], publishedAt: day('2026-01-08') }),
  // Proximity: both hold "delta" and "rule"; only one holds them side by side.
  paper('2601.00009', 'The Delta Rule Revisited', 'Linear attention trained with the delta rule.', { authors: ['Tri Dao'], publishedAt: day('2026-01-09') }),
  paper('2601.00010', 'Rule Learning in the Mekong Delta', 'Farmers follow a rule of thumb in the delta; delta flooding delta water.', {
    authors: ['Minh Dao'],
    publishedAt: day('2026-01-10'),
  }),
  // An exact title that another paper's text matches more strongly.
  paper('2601.00011', 'Agents', 'A short survey.', { authors: ['Lena Park'], publishedAt: day('2026-01-11') }),
  paper('2601.00012', 'Agents Agents Agents: Agents All the Way Down', 'Agents of agents; agent swarms of agents.', { authors: ['Lena Park'], publishedAt: day('2026-01-12') }),
  // A quoted phrase matches both; the one that holds it as typed comes first, though BM25 prefers the other.
  paper('2601.00013', 'Large Language Model Assistants', 'A large language model assistant, and a large language model reasoner.', { authors: ['Lena Park'], publishedAt: day('2026-01-13') }),
  paper('2601.00014', 'A Survey of Reasoning', 'We survey large language models.', { authors: ['Lena Park'], publishedAt: day('2026-01-14') }),
  // Words for the vocabulary: frequent enough to be what a typo meant.
  ...Array.from({ length: 6 }, (_, i) =>
    paper(`2601.001${String(i).padStart(2, '0')}`, `Reinforcement Learning Study ${i}`, 'reinforcement learning policy gradient role of rewards', {
      authors: ['Noa Levi'],
      publishedAt: day('2025-06-01'),
    }),
  ),
  // "rome" is a real word in one paper, one edit from "role", which a hundred times as many hold.
  paper('2601.00200', 'Rome Was Not Built in a Day', 'A history of incremental construction.', { authors: ['Ana Ruiz'], publishedAt: day('2025-01-01') }),
  ...Array.from({ length: 100 }, (_, i) =>
    paper(`2402.${String(i + 1).padStart(5, '0')}`, `On the Role of Scale ${i}`, 'The role of data in rewards.', { authors: ['Sam Orr'], publishedAt: day('2024-02-01') }),
  ),
];

let store: Store;
beforeAll(async () => {
  store = await storeWith(PAPERS);
});
afterAll(() => store.close());

const ids = async (text: string, limit = 20) => (await searchPapers(store, text, { limit, offset: 0 })).page.ids;
const set = async (text: string) => (await ids(text)).sort();

describe('word forms', () => {
  it('finds every form of a word: plural, singular, -ing', async () => {
    expect(await set('agent plan')).toEqual(['2601.00001']);
    expect(await set('agents benchmark')).toEqual(['2601.00002']);
    expect(await set('"diffusion transformer"')).toEqual(['2601.00003']);
    expect(await set('planning agents')).toEqual(['2601.00001']);
  });

  it('matches author names only as written, in author: and in plain words', async () => {
    expect(await set('author:jones')).toEqual(['2601.00001']);
    expect(await set('author:jone')).toEqual([]);
    // A plain word matches text in any form ("jones" and "jone" share a stem) and names as written.
    expect(await set('jones')).toEqual(['2601.00001', '2601.00006']);
    expect(await set('jone')).toEqual(['2601.00006']);
  });
});

describe('ranking', () => {
  it('puts an exact title first, even a one-word title', async () => {
    expect((await ids('Agents'))[0]).toBe('2601.00011');
    expect((await ids('Agents'))).toContain('2601.00012');
  });

  it('ranks a paper holding the words side by side above one that scatters them', async () => {
    expect(await ids('delta rule')).toEqual(['2601.00009', '2601.00010']);
  });

  it('ranks papers matching a quoted phrase as a phrase only', async () => {
    expect(await set('"delta rule"')).toEqual(['2601.00009']);
  });

  it('puts papers holding a quoted phrase exactly as typed before other forms of it', async () => {
    const bm25Only = await store.search.search({ ...parseSearchQuery('"large language models"'), must: [[{ tokens: ['large', 'language', 'models'], field: 'any' }]] }, { limit: 5, offset: 0 });
    expect(bm25Only.ids).toEqual(['2601.00013', '2601.00014']);
    expect(await ids('"large language models"')).toEqual(['2601.00014', '2601.00013']);
    expect(await ids('"large language model"')).toEqual(['2601.00013', '2601.00014']);
  });
});

describe('the last word, half-typed', () => {
  it('completes the last word', async () => {
    expect(await set('diffusion transf')).toEqual(['2601.00003']);
    expect(await set('reinforcement lear')).toEqual(expect.arrayContaining(['2601.00004', '2601.00005']));
    expect(await set('graph molec')).toEqual(['2601.00008']);
  });

  it('ranks the word as typed above its completions', async () => {
    const found = await ids('graph trans');
    expect(found).toEqual(['2601.00007', '2601.00008']);
  });

  it('does not complete a quoted word, or a word followed by others', async () => {
    expect(await set('graph "molec"')).toEqual([]);
    expect(await set('transf diffusion')).toEqual([]);
  });

  it('pages through both tiers without repeating or losing a paper', async () => {
    const all = await ids('graph trans', 10);
    const p1 = (await searchPapers(store, 'graph trans', { limit: 1, offset: 0 })).page;
    const p2 = (await searchPapers(store, 'graph trans', { limit: 1, offset: 1 })).page;
    expect([...p1.ids, ...p2.ids]).toEqual(all);
    expect(p1.hasMore).toBe(true);
    expect(p2.hasMore).toBe(false);
  });
});

describe('a whole title as the query', () => {
  it('takes its last word as typed to its end: no papers that only a completion of it matches', async () => {
    const own = await storeWith([
      paper('2602.00001', 'Routing Graph Trans', 'Short.', { publishedAt: day('2026-02-01') }),
      paper('2602.00002', 'Routing graph transformers at scale', 'Long.', { publishedAt: day('2026-02-02') }),
    ]);
    const found = async (text: string) => (await searchPapers(own, text, { limit: 10, offset: 0 })).page.ids;
    expect(await found('Routing Graph Trans')).toEqual(['2602.00001']);
    expect(await found('Routing Graph Tran')).toEqual(expect.arrayContaining(['2602.00001', '2602.00002'])); // still being typed
    await own.close();
  });
});

describe('typos', () => {
  it('corrects a word no paper holds to the near word many hold, and says so (even one that shares its stem)', async () => {
    const r = await searchPapers(store, 'reinforcment learning', { limit: 20, offset: 0 });
    expect(r.corrections).toEqual([{ from: 'reinforcment', to: 'reinforcement' }]);
    expect(r.query.text).toBe('reinforcement learning');
    expect(r.asTyped).toBe('"reinforcment" learning');
    expect(r.page.ids).toEqual(expect.arrayContaining(['2601.00004', '2601.00005']));
  });

  it('allows one edit in words of 4 to 7 letters and two in longer ones, a swap counting as one', async () => {
    expect((await searchPapers(store, 'agnets plan', { limit: 5, offset: 0 })).corrections).toEqual([{ from: 'agnets', to: 'agents' }]);
    // Two edits in a long word.
    expect((await searchPapers(store, 'reinfrocemnt learning', { limit: 5, offset: 0 })).corrections).toEqual([{ from: 'reinfrocemnt', to: 'reinforcement' }]);
    // Two edits in a short word: too far to guess.
    expect((await searchPapers(store, 'agnest plan', { limit: 5, offset: 0 })).corrections).toEqual([]);
  });

  it('takes quoted words as typed', async () => {
    const r = await searchPapers(store, '"agnets" plan', { limit: 5, offset: 0 });
    expect(r.corrections).toEqual([]);
    expect(r.page.ids).toEqual([]);
  });

  it('keeps a rare real word when the query finds papers with it', async () => {
    const r = await searchPapers(store, 'rome built', { limit: 5, offset: 0 });
    expect(r.corrections).toEqual([]);
    expect(r.page.ids).toEqual(['2601.00200']);
  });

  it('corrects a rare word when the query finds nothing with it', async () => {
    const r = await searchPapers(store, 'rome data', { limit: 5, offset: 0 });
    expect(r.corrections).toEqual([{ from: 'rome', to: 'role' }]);
    expect(r.page.ids.length).toBeGreaterThan(0);
  });

  it('never corrects author names', async () => {
    const r = await searchPapers(store, 'author:jnoes', { limit: 5, offset: 0 });
    expect(r.corrections).toEqual([]);
    expect(r.page.ids).toEqual([]);
  });
});

describe('topics', () => {
  it('match every form of their words, in memory as in the index', async () => {
    const all = PAPERS.map((p) => p.id);
    expect([...(await store.matcher.matching(parseSearchQuery('agent'), all))].sort()).toEqual(['2601.00001', '2601.00002', '2601.00011', '2601.00012']);
    expect([...(await store.matcher.matching(parseSearchQuery('"diffusion transformer"'), all))]).toEqual(['2601.00003']);
    expect([...(await store.matcher.matching(parseSearchQuery('author:jone'), all))]).toEqual([]);
    expect([...(await store.matcher.matching(parseSearchQuery('author:jones'), all))]).toEqual(['2601.00001']);
    expect([...(await store.matcher.matching(parseSearchQuery('jones'), all))].sort()).toEqual(['2601.00001', '2601.00006']);
  });
});
