import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CORPUS_CANDIDATES, corpusItems, readCorpusDays } from '../../bench/lib/corpus.ts';
import { boundedEditDistance, editsOne } from '../../src/search/edit-distance.ts';
import { foldedWords, stem } from '../../src/search/words.ts';

describe('stems in TypeScript and in FTS5', () => {
  it('agree on every word of the corpus, so topics match in memory exactly as the index searches', () => {
    const { items } = corpusItems(readCorpusDays(CORPUS_CANDIDATES[1]!));
    const words = new Set<string>();
    for (const { paper: p } of items) for (const w of foldedWords(`${p.title} ${p.abstract} ${p.keywords.join(' ')}`)) words.add(w);
    expect(words.size).toBeGreaterThan(20_000);
    const db = new BetterSqlite3(':memory:');
    db.exec(`CREATE VIRTUAL TABLE f USING fts5(t, tokenize='porter unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance');`);
    const list = [...words];
    const insert = db.prepare('INSERT INTO f(rowid, t) VALUES (?, ?)');
    db.transaction(() => list.forEach((w, i) => insert.run(i + 1, w)))();
    const differ: string[] = [];
    for (const r of db.prepare('SELECT doc, term FROM v').all() as Array<{ doc: number; term: string }>) {
      const w = list[r.doc - 1]!;
      if (stem(w) !== r.term) differ.push(`${w}: ${r.term} vs ${stem(w)}`);
    }
    db.close();
    expect(differ).toEqual([]);
  });

  it('fold case and accents as unicode61 does', () => {
    expect(foldedWords('Naïve Bayes, Zoë Šimić; GPT-4o')).toEqual(['naive', 'bayes', 'zoe', 'simic', 'gpt', '4o']);
  });
});

describe('edit distance', () => {
  it('counts a swap of neighbours as one edit, and stops past the bound', () => {
    expect(boundedEditDistance('agnets', 'agents', 2)).toBe(1);
    expect(boundedEditDistance('difusion', 'diffusion', 2)).toBe(1);
    expect(boundedEditDistance('reinfrocemnt', 'reinforcement', 2)).toBe(2);
    expect(boundedEditDistance('kitten', 'sitting', 2)).toBe(3);
    expect(boundedEditDistance('kitten', 'sitting', 5)).toBe(3);
    expect(boundedEditDistance('a', 'abcdef', 2)).toBe(3);
    expect(boundedEditDistance('same', 'same', 0)).toBe(0);
  });

  it('lists every word one edit away', () => {
    const e = editsOne('agnets');
    for (const w of ['agents', 'agnet', 'agnetsx', 'bgnets', 'gnets']) expect(e.has(w)).toBe(true);
    expect(e.has('agnets')).toBe(false);
    for (const w of e) expect(boundedEditDistance('agnets', w, 1)).toBe(1);
  });
});
