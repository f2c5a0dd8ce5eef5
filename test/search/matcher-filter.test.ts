import { describe, expect, it } from 'vitest';
import { seededRng } from '../../bench/lib/prng.ts';
import { CORPUS_CANDIDATES, corpusItems, readCorpusDays } from '../../bench/lib/corpus.ts';
import { analysePaper, PaperMatcher, wordsFor, type MatchablePaper } from '../../src/search/matcher.ts';
import { parseSearchQuery } from '../../src/search/query.ts';
import { foldedWords } from '../../src/search/words.ts';

/**
 * A search that checks a few papers for its common words analyses only the words those terms
 * can stem to (wordsFor). Whatever the terms, that must match exactly the papers a full
 * analysis matches: words of every length, phrases, plurals and -ing forms, OR and NOT.
 */
const papers: MatchablePaper[] = corpusItems(readCorpusDays(CORPUS_CANDIDATES[1]!))
  .items.slice(0, 200)
  .map((i) => ({ id: i.paper.id, title: i.paper.title, abstract: i.paper.abstract, authorsText: i.paper.authors.join('; '), keywordsText: i.paper.keywords.join('; '), publishedAt: null }));
const full = new PaperMatcher(papers.map((p) => analysePaper(p)));

describe('analysing only the words a check needs', () => {
  it('matches what a full analysis matches, for 300 queries of words drawn from the papers', () => {
    const r = seededRng(17);
    const vocabulary = [...new Set(papers.flatMap((p) => foldedWords(`${p.title} ${p.abstract}`)))];
    // Short words and forms Porter rewrites most: "a", "is", "ies", plurals, -ing, -ed.
    const pick = () => (r.chance(0.2) ? r.pick(['a', 'i', 'is', 'ies', 'ied', 'aing', 'aed', 'as', 'models', 'modeling', 'learned', 'agents', 'by', 'x']) : r.pick(vocabulary));
    let nonEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const parts = Array.from({ length: 1 + r.int(3) }, () => (r.chance(0.2) ? `"${pick()} ${pick()}"` : r.chance(0.15) ? `-${pick()}` : pick()));
      if (parts.every((p) => p.startsWith('-'))) parts.push(pick());
      if (r.chance(0.2)) parts.splice(1, 0, 'OR');
      const q = parseSearchQuery(parts.join(' '));
      const filtered = new PaperMatcher(papers.map((p) => analysePaper(p, wordsFor([...q.must.flat(), ...q.not]))));
      const expected = full.matching(q);
      if (expected.size > 0) nonEmpty++;
      expect([...filtered.matching(q)].sort(), parts.join(' ')).toEqual([...expected].sort());
    }
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('keeps the words that may stem to a term\'s stem, one-letter stems too', () => {
    const only = wordsFor(parseSearchQuery('diffusion a').must.flat());
    for (const w of ['diffusing', 'diffusions', 'a', 'aing', 'aed', 'as']) expect(only(w), w).toBe(true);
    for (const w of ['transformer', 'i', 'ies', 'model']) expect(only(w), w).toBe(false);
  });
});
