import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { IngestItem } from '../../src/domain/paper.ts';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the real papers come from. The shared corpus (HF Daily Papers 2024-05-27 .. 2026-06-30)
 * sits beside the repo on the machines that built Paperboy; a fresh clone has only the trimmed
 * copy under test/fixtures (same papers and text, HF avatars and other unused fields removed).
 */
export const CORPUS_CANDIDATES = [
  join(REPO, '..', 'shared', 'corpus', 'hf-daily-papers-2024-05-27_2026-06-30.jsonl.gz'),
  join(REPO, 'test', 'fixtures', 'corpus', 'hf-daily-papers-2024-05-27_2026-06-30.trimmed.jsonl.gz'),
];

export function findCorpus(): string {
  const found = CORPUS_CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`no corpus found; looked for:\n  ${CORPUS_CANDIDATES.join('\n  ')}`);
  return found;
}

/** The fields of an HF daily-papers item the benchmark's text model reads. */
interface HfItem {
  paper: {
    id: string;
    title: string;
    summary?: string;
    authors?: Array<{ name: string; hidden?: boolean }>;
    publishedAt?: string;
    upvotes?: number;
    ai_keywords?: string[];
  };
  numComments?: number;
}

/** One day of the corpus: `{"date": "YYYY-MM-DD", "papers": [HF daily-papers items]}`. */
export interface CorpusDay {
  date: string;
  papers: HfItem[];
}

export function readCorpusDays(path: string): CorpusDay[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusDay);
}

/** The corpus as the store's ingest items, through the product's own HF parser. */
export function corpusItems(days: CorpusDay[]): { items: IngestItem[]; skipped: number } {
  let skipped = 0;
  const items = days.flatMap((day) => {
    const parsed = parseHfDailyPapers(day.papers, day.date);
    skipped += parsed.skipped;
    return parsed.items;
  });
  return { items, skipped };
}
