/**
 * Writes test/fixtures/corpus/…trimmed.jsonl.gz from the shared corpus: the same days, papers,
 * order and text, keeping only the fields search and the HF parser read (ids, titles,
 * abstracts, author names, dates, counts, AI keywords) and dropping avatars, user records,
 * media and links. Run once: `npx tsx bench/make-corpus-fixture.ts`.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CORPUS_CANDIDATES, readCorpusDays } from './lib/corpus.ts';

const [shared, trimmed] = CORPUS_CANDIDATES as [string, string];
const pick = <T extends object>(o: T, keys: string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, (o as Record<string, unknown>)[k]]));

const lines = readCorpusDays(shared).map((day) =>
  JSON.stringify({
    date: day.date,
    papers: day.papers.map((item) => ({
      ...pick(item, ['title', 'publishedAt', 'numComments']),
      paper: {
        ...pick(item.paper, ['id', 'title', 'summary', 'publishedAt', 'submittedOnDailyAt', 'upvotes', 'ai_keywords']),
        authors: (item.paper.authors ?? []).map((a) => pick(a, ['name', 'hidden'])),
      },
    })),
  }),
);
writeFileSync(trimmed, gzipSync(lines.join('\n') + '\n', { level: 9 }));
console.log(`wrote ${lines.length} days to ${trimmed}`);
