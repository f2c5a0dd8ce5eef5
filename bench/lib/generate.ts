import { arxivLinks, type IngestItem } from '../../src/domain/paper.ts';
import { addDays } from '../../src/domain/clock.ts';
import type { CorpusDay } from './corpus.ts';
import { seededRng, type Rng } from './prng.ts';
import { BigramModel, InventedWords } from './text-model.ts';

/**
 * Synthetic arXiv papers shaped like the real ones: title and abstract lengths, author counts
 * and keyword counts are drawn from the corpus's own distributions, text from bigram models
 * of its titles and abstracts, author names recombined from real first and last names.
 * Papers come oldest first over ten years, so rowid order is date order (as a store that
 * ingests every day would have it).
 */
export interface GeneratorOptions {
  total: number;
  seed: number;
  lastDay: string;
  years: number;
}

export const DEFAULT_GENERATOR: Omit<GeneratorOptions, 'total'> = { seed: 20260630, lastDay: '2026-06-30', years: 10 };

/** Bump when the generated papers change: the cached benchmark database is keyed on it. */
export const GENERATOR_VERSION = 1;

const CATEGORIES = ['cs.CL', 'cs.LG', 'cs.CV', 'cs.AI', 'stat.ML', 'cs.RO', 'cs.IR', 'eess.AS'];

export class PaperGenerator {
  private readonly titles: BigramModel;
  private readonly abstracts: BigramModel;
  private readonly firstNames: string[];
  private readonly lastNames: string[];
  private readonly authorCounts: number[];
  private readonly keywordPool: string[];
  private readonly keywordCounts: number[];
  private readonly invented = new InventedWords(2_000_000);
  private readonly rng: Rng;
  private readonly firstDay: string;
  private readonly days: number;
  private produced = 0;
  private readonly perMonth = new Map<string, number>();

  constructor(
    corpus: CorpusDay[],
    private readonly opts: GeneratorOptions,
  ) {
    const papers = corpus.flatMap((d) => d.papers.map((i) => i.paper));
    this.titles = BigramModel.train(papers.map((p) => p.title));
    this.abstracts = BigramModel.train(papers.map((p) => p.summary ?? ''));
    const names = papers.flatMap((p) => (p.authors ?? []).map((a) => a.name.trim().split(/\s+/)));
    this.firstNames = names.filter((n) => n.length > 1).map((n) => n.slice(0, -1).join(' '));
    this.lastNames = names.map((n) => n[n.length - 1]!);
    this.authorCounts = papers.map((p) => Math.max(1, p.authors?.length ?? 1));
    this.keywordPool = papers.flatMap((p) => p.ai_keywords ?? []);
    this.keywordCounts = papers.map((p) => p.ai_keywords?.length ?? 0);
    this.rng = seededRng(opts.seed);
    this.days = Math.round(opts.years * 365.25);
    this.firstDay = addDays(opts.lastDay, -this.days + 1);
  }

  /** The next `n` papers (fewer at the end), each listed on its arXiv announcement day. */
  nextBatch(n: number): IngestItem[] {
    const out: IngestItem[] = [];
    while (out.length < n && this.produced < this.opts.total) out.push(this.nextPaper());
    return out;
  }

  private nextPaper(): IngestItem {
    const r = this.rng;
    const i = this.produced++;
    const day = addDays(this.firstDay, Math.floor((i * this.days) / this.opts.total));
    const month = day.slice(2, 4) + day.slice(5, 7);
    const n = (this.perMonth.get(month) ?? 0) + 1;
    this.perMonth.set(month, n);
    const id = `${month}.${String(n).padStart(5, '0')}`;
    const title = capitalize(this.titles.generate(r, this.titles.sampleLength(r), 0.01, this.invented));
    const abstract = this.abstracts.generate(r, this.abstracts.sampleLength(r), 0.015, this.invented);
    const authors = Array.from({ length: r.pick(this.authorCounts) }, () => `${r.pick(this.firstNames)} ${r.pick(this.lastNames)}`);
    const keywords = Array.from({ length: r.pick(this.keywordCounts) }, () => r.pick(this.keywordPool));
    return {
      paper: {
        id,
        title,
        abstract,
        authors,
        org: null,
        publishedAt: `${day}T00:00:00.000Z`,
        upvotes: 0,
        comments: 0,
        links: { ...arxivLinks(id), hf: null, github: null, project: null },
        thumbnailUrl: null,
        aiSummary: null,
        keywords: [...new Set(keywords)],
        categories: [r.pick(CATEGORIES)],
        source: 'arxiv',
      },
      listing: { source: 'arxiv', day, rank: n },
    };
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function newGenerator(corpus: CorpusDay[], total: number): PaperGenerator {
  return new PaperGenerator(corpus, { ...DEFAULT_GENERATOR, total });
}

