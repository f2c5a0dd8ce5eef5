import { z } from 'zod';
import { arxivLinks, hfPaperUrl, normalizeSpace, parseArxivId, safeHttpUrl, type IngestItem, type Paper } from '../domain/paper.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { fail, getJson, ok, type HttpOptions, type SourceResult } from './http.ts';
import { isoTimestamp, utcDayOf, type ParsedItems } from './parsed.ts';

/*
 * Hugging Face Daily Papers (`GET /api/daily_papers?date=YYYY-MM-DD`).
 *
 * Fields come and go across 2024-2026 (see the fixtures' SOURCES.md): `mediaUrl` before
 * `thumbnail`, no `submittedBy` / `submittedOnDailyAt` / `ai_summary` / `organization` in
 * older data. So every field but the paper's id and title may be absent. Two levels of
 * strictness: a core field (id, title, abstract, authors, counts, listing date) with the wrong
 * type means the item is not what we think it is, and it is skipped; an enrichment field
 * (links, thumbnail, AI summary, keywords, organization) with the wrong type is dropped and
 * the paper kept, since losing a paper over its thumbnail would be worse.
 */

/** Dropped (undefined) when present with an unexpected shape. */
const enrichment = <T extends z.ZodType>(schema: T) => schema.nullish().catch(undefined);

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not an ISO date' });
const count = z.number().int().nonnegative();

const Author = z.object({ name: z.string(), hidden: z.boolean().nullish() });
const Organization = z.object({ fullname: z.string().nullish(), name: z.string().nullish() });

const HfPaper = z.object({
  id: z.string(),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  authors: z.array(Author).nullish(),
  publishedAt: enrichment(isoDate),
  submittedOnDailyAt: isoDate.nullish(),
  upvotes: count.nullish(),
  githubRepo: enrichment(z.string()),
  projectPage: enrichment(z.string()),
  ai_summary: enrichment(z.string()),
  ai_keywords: enrichment(z.array(z.string())),
  organization: enrichment(Organization),
});

const HfDailyItem = z.object({
  paper: HfPaper,
  title: z.string().nullish(),
  summary: z.string().nullish(),
  thumbnail: enrichment(z.string()),
  /** The 2024 name of `thumbnail`. */
  mediaUrl: enrichment(z.string()),
  numComments: count.nullish(),
  organization: enrichment(Organization),
});

type HfDailyItem = z.infer<typeof HfDailyItem>;

/**
 * Turns a `/api/daily_papers` body into ingest items. Pure: the HTTP client, the file reader,
 * tests and benchmarks all use it. The listing day is the paper's `submittedOnDailyAt` (the
 * day HF listed it; the top-level `publishedAt` is not), or `fallbackDay` for data older than
 * that field (the date that was asked for, or the date of the recorded line). With a null
 * fallback such items are kept but not listed on any day.
 */
export function parseHfDailyPapers(json: unknown, fallbackDay: string | null): ParsedItems {
  if (!Array.isArray(json)) {
    return { items: [], skipped: 1, warnings: [`expected a JSON array of daily papers, got ${describeType(json)}`] };
  }
  const items: IngestItem[] = [];
  const warnings: string[] = [];
  json.forEach((raw: unknown, index) => {
    const problem = toIngestItem(raw, index + 1, fallbackDay);
    if (typeof problem === 'string') warnings.push(`item ${index + 1} (${guessId(raw)}): ${problem}`);
    else items.push(problem);
  });
  return { items, skipped: warnings.length, warnings };
}

function toIngestItem(raw: unknown, rank: number, fallbackDay: string | null): IngestItem | string {
  const parsed = HfDailyItem.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return issue ? `${issue.path.join('.') || 'item'}: ${issue.message}` : 'not a daily-papers item';
  }
  const item = parsed.data;
  const id = parseArxivId(item.paper.id);
  if (!id) return `paper.id ${JSON.stringify(item.paper.id)} is not an arXiv id`;
  const title = normalizeSpace(item.paper.title ?? item.title ?? '');
  if (!title) return 'no title';
  const day = utcDayOf(item.paper.submittedOnDailyAt) ?? fallbackDay;
  return { paper: toPaper(id, title, item), listing: day ? { source: 'hf', day, rank } : null };
}

function toPaper(id: string, title: string, item: HfDailyItem): Paper {
  const p = item.paper;
  const org = p.organization ?? item.organization;
  return {
    id,
    title,
    abstract: normalizeSpace(p.summary ?? item.summary ?? ''),
    // HF lets authors hide themselves from a paper page; respect it here too.
    authors: (p.authors ?? []).filter((a) => a.hidden !== true).map((a) => normalizeSpace(a.name)).filter(Boolean),
    org: org?.fullname?.trim() || org?.name?.trim() || null,
    publishedAt: isoTimestamp(p.publishedAt),
    upvotes: p.upvotes ?? 0,
    comments: item.numComments ?? 0,
    links: { ...arxivLinks(id), hf: hfPaperUrl(id), github: safeHttpUrl(p.githubRepo), project: safeHttpUrl(p.projectPage) },
    thumbnailUrl: safeHttpUrl(item.thumbnail ?? item.mediaUrl),
    aiSummary: p.ai_summary ? normalizeSpace(p.ai_summary) || null : null,
    keywords: (p.ai_keywords ?? []).map(normalizeSpace).filter(Boolean),
    categories: [],
    source: 'hf',
  };
}

function guessId(raw: unknown): string {
  const id = (raw as { paper?: { id?: unknown } } | null)?.paper?.id;
  return typeof id === 'string' ? id : 'no id';
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export interface HfClientOptions extends HttpOptions {
  baseUrl: string;
  logger?: Logger;
  /** Items per request; the API allows 1-100 and silently caps an unpaged request at 50. */
  pageSize?: number;
}

/** No day has come near this many pages; it bounds a server that keeps answering. */
const MAX_PAGES = 20;

export class HfClient {
  private readonly base: string;
  private readonly pageSize: number;
  private readonly logger: Logger;

  constructor(private readonly opts: HfClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.pageSize = opts.pageSize ?? 100;
    this.logger = opts.logger ?? silentLogger;
  }

  dailyPapersUrl(day: string, page: number): string {
    return `${this.base}/api/daily_papers?date=${day}&limit=${this.pageSize}&p=${page}`;
  }

  /**
   * The papers HF listed on `day`, in HF's order, all pages. A day with no papers (weekends)
   * is an empty result, not an error. Malformed items are skipped and logged.
   */
  async fetchDay(day: string): Promise<SourceResult<ParsedItems>> {
    const all: ParsedItems = { items: [], skipped: 0, warnings: [] };
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.dailyPapersUrl(day, page);
      const res = await getJson(url, this.opts);
      if (!res.ok) return res;
      if (!Array.isArray(res.value)) {
        return fail({ kind: 'bad-body', retryable: false, url, message: `${url} returned ${describeType(res.value)} where a JSON array of papers was expected` });
      }
      const parsed = parseHfDailyPapers(res.value, day);
      const fresh = parsed.items.filter((it) => !seen.has(it.paper.id));
      for (const it of fresh) {
        seen.add(it.paper.id);
        // Ranks continue across pages: page 2 starts after page 1.
        if (it.listing) it.listing.rank += page * this.pageSize;
        all.items.push(it);
      }
      all.skipped += parsed.skipped;
      all.warnings.push(...parsed.warnings);
      if (res.value.length < this.pageSize || fresh.length === 0) break;
    }
    for (const w of all.warnings) this.logger.warn('skipped a malformed Hugging Face daily-papers item', { day, problem: w });
    return ok(all);
  }
}
