import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeLastWord } from '../../src/search/expand.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import type { Store } from '../../src/store/store.ts';
import { items, paper, storeWith } from './hand-made-papers.ts';

let store: Store;
const NOW = new Date('2026-07-01T00:00:00Z');
const df = async (word: string) => (await store.db.selectFrom('words').select('df').where('word', '=', word).executeTakeFirst())?.df ?? 0;

beforeEach(async () => {
  store = await storeWith([
    paper('2601.00001', 'Transformers for Graphs', 'Graph transformers, transformers everywhere.', { authors: ['José Núñez'], keywords: ['graph learning'] }),
    paper('2601.00002', 'Transformation Invariance', 'Invariant transformations of graphs.', { authors: ['Ana Ruiz'] }),
    paper('2601.00003', 'Transformers at Scale', 'Transformers trained transductively.', { authors: ['Ana Ruiz'] }),
  ]);
});
afterEach(() => store.close());

describe('the words table', () => {
  it('counts each word once per paper, from title, abstract, keywords and author names, folded', async () => {
    expect(await df('transformers')).toBe(2);
    expect(await df('graphs')).toBe(2);
    expect(await df('graph')).toBe(1);
    expect(await df('learning')).toBe(1);
    expect(await df('nunez')).toBe(1);
    expect(await df('ruiz')).toBe(2);
  });

  it('counts a paper when it is first stored, not when it is refreshed', async () => {
    await store.papers.upsertMany(items([paper('2601.00001', 'Transformers for Graphs', 'Graph transformers, transformers everywhere.', { upvotes: 5 })]), NOW);
    expect(await df('transformers')).toBe(2);
    await store.papers.upsertMany(items([paper('2601.00004', 'More Transformers', 'Yet more.')]), NOW);
    expect(await df('transformers')).toBe(3);
  });
});

describe('completions', () => {
  it('offers the most frequent words first, one per stem, never the word itself or its own forms', async () => {
    // "transformation(s)" share the stem of "transformers", which more papers hold.
    const q = await completeLastWord(parseSearchQuery('graph trans'), store.vocabulary);
    expect(q.lastWord?.completions).toEqual(['transformers', 'transductively']);
    const whole = await completeLastWord(parseSearchQuery('transformer'), store.vocabulary);
    expect(whole.lastWord?.completions).toEqual([]);
  });

  it('sees words stored after the store was first searched', async () => {
    await completeLastWord(parseSearchQuery('transf'), store.vocabulary);
    await store.papers.upsertMany(items([paper('2601.00009', 'Transfusion', 'Transfusion of modalities.')]), NOW);
    expect((await completeLastWord(parseSearchQuery('transf'), store.vocabulary)).lastWord?.completions).toContain('transfusion');
  });
});

describe('assessing a word', () => {
  it('suggests the near word that many papers hold, for a word no paper holds', async () => {
    expect(await store.vocabulary.assess('trasnformers')).toEqual({ papers: 0, likely: { word: 'transformers', papers: 2 } });
    expect(await store.vocabulary.correction('trasnformers')).toBe('transformers');
  });

  it('leaves known words, short words, numbers and words with nothing near alone', async () => {
    expect((await store.vocabulary.assess('transformers'))?.likely).toBeNull();
    expect(await store.vocabulary.assess('gpt')).toBeNull();
    expect(await store.vocabulary.assess('2024')).toBeNull();
    expect(await store.vocabulary.assess('zzzzzz')).toEqual({ papers: 0, likely: null });
  });
});
