import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { arxivLinks, normalizeSpace, parseArxivId, type IngestItem, type Paper } from '../domain/paper.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { fail, getXml, ok, type HttpOptions, type SourceResult } from './http.ts';
import { isoTimestamp, utcDayOf, type ParsedItems } from './parsed.ts';
import { announcesWithdrawal, githubRepoIn, versionOf } from '../watch/signals.ts';

/*
 * arXiv's Atom API (`/api/query`), current format and the 2016 one (hard-wrapped titles and
 * abstracts, namespaces declared per element): removeNSPrefix and whitespace normalisation
 * make both look the same.
 *
 * Listing day for arXiv papers: the UTC day of `<published>` (the v1 submission time), which is
 * what the API gives and exactly what our `submittedDate:[D0000 TO D2359]` query selects. So
 * re-fetching day D lists the same papers on D. arXiv's own announcement day (the next mailing,
 * after the 14:00 US-Eastern cutoff) is not in the API; it can differ by one to three days.
 */

/** arXiv's XML as plain objects: namespaces dropped, values kept as text, `arrays` always arrays. Shared with the RSS reader. */
export function arxivXmlParser(arrays: readonly string[]): XMLParser {
  const paths = new Set(arrays);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    // A title such as "0" must stay the string "0".
    parseTagValue: false,
    isArray: (_name, jpath) => paths.has(String(jpath)),
  });
}
const parser = arxivXmlParser(['feed.entry', 'feed.entry.author', 'feed.entry.category', 'feed.entry.link']);

/** Text of an element, whether or not it carried attributes (legacy `<title type="html">`). */
export const Text = z
  .union([z.string(), z.number(), z.object({ '#text': z.union([z.string(), z.number()]).optional() })])
  .transform((v) => (typeof v === 'object' ? String(v['#text'] ?? '') : String(v)));
const Term = z.object({ '@_term': z.string() });

const Entry = z.object({
  id: Text,
  title: Text,
  summary: Text.optional(),
  published: Text.optional(),
  author: z.array(z.object({ name: Text })).optional(),
  category: z.array(Term).optional(),
  primary_category: Term.optional(),
  comment: Text.optional(),
});

export interface ArxivFeed extends ParsedItems {
  /** All results of the query (opensearch:totalResults), when the feed says. */
  totalResults: number | null;
  startIndex: number;
  /** `<entry>` elements on this page, good or not: paging advances by this. */
  entries: number;
}

export type ArxivParse =
  | { kind: 'feed'; feed: ArxivFeed }
  /** arXiv answered with its error entry (HTTP 400 for a bad query). */
  | { kind: 'api-error'; message: string }
  | { kind: 'not-a-feed'; message: string };

/** Parses one Atom page. Pure: the client, the file reader and tests share it. */
export function parseArxivAtom(xml: string): ArxivParse {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    return { kind: 'not-a-feed', message: `not well-formed XML (${e instanceof Error ? e.message : String(e)})` };
  }
  const feed = (doc as { feed?: unknown } | null)?.feed;
  if (!feed || typeof feed !== 'object') return { kind: 'not-a-feed', message: 'no Atom <feed> element' };
  const f = feed as Record<string, unknown>;
  const rawEntries = Array.isArray(f.entry) ? (f.entry as unknown[]) : [];

  const apiError = rawEntries.map(errorMessageOf).find((m) => m !== null);
  if (apiError) return { kind: 'api-error', message: apiError };

  const items: IngestItem[] = [];
  const warnings: string[] = [];
  rawEntries.forEach((raw, i) => {
    const r = toIngestItem(raw);
    if (typeof r === 'string') warnings.push(`entry ${i + 1}: ${r}`);
    else items.push(r);
  });
  return {
    kind: 'feed',
    feed: {
      items: rankListingsByDay(items),
      skipped: warnings.length,
      warnings,
      totalResults: intOf(f.totalResults),
      startIndex: intOf(f.startIndex) ?? 0,
      entries: rawEntries.length,
    },
  };
}

function errorMessageOf(raw: unknown): string | null {
  const e = Entry.partial().safeParse(raw);
  if (!e.success || !e.data.id?.includes('/api/errors')) return null;
  return normalizeSpace(e.data.summary ?? '') || normalizeSpace(e.data.title ?? '') || 'arXiv reported an error';
}

function toIngestItem(raw: unknown): IngestItem | string {
  const parsed = Entry.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'not an Atom entry';
  }
  const e = parsed.data;
  const id = parseArxivId(e.id);
  if (!id) return `<id> ${JSON.stringify(e.id)} is not an arXiv abstract URL`;
  const title = normalizeSpace(e.title);
  if (!title) return `${id}: no title`;
  const publishedAt = isoTimestamp(e.published);
  const day = utcDayOf(publishedAt);
  const primary = e.primary_category?.['@_term'];
  const categories = [...new Set([...(primary ? [primary] : []), ...(e.category ?? []).map((c) => c['@_term'])])];
  const abstract = e.summary ?? '';
  const github = githubRepoIn(e.comment, abstract);
  const paper = arxivPaper({ id, title, abstract, authors: (e.author ?? []).map((a) => a.name), publishedAt, categories, github });
  const arxiv = { version: versionOf(e.id), withdrawn: announcesWithdrawal(e.comment, abstract) };
  return { paper, listing: day ? { source: 'arxiv', day, rank: 0 } : null, arxiv };
}

/** A paper as arXiv describes it (API or announcement feed): no upvotes, links of its own. */
export function arxivPaper(p: { id: string; title: string; abstract: string; authors: readonly string[]; publishedAt: string | null; categories: string[]; github?: string | null }): Paper {
  return {
    id: p.id,
    title: p.title,
    abstract: normalizeSpace(p.abstract),
    authors: p.authors.map(normalizeSpace).filter(Boolean),
    org: null,
    publishedAt: p.publishedAt,
    upvotes: 0,
    comments: 0,
    // Whether HF has a page for it is unknown until HF lists it.
    links: { ...arxivLinks(p.id), hf: null, github: p.github ?? null, project: null },
    thumbnailUrl: null,
    aiSummary: null,
    keywords: [],
    categories: p.categories,
    source: 'arxiv',
  };
}

/** Numbers each day's listings 1, 2, ... in the order given (the query's submittedDate order). */
export function rankListingsByDay(items: IngestItem[]): IngestItem[] {
  const next = new Map<string, number>();
  for (const it of items) {
    if (!it.listing) continue;
    const rank = (next.get(it.listing.day) ?? 0) + 1;
    next.set(it.listing.day, rank);
    it.listing.rank = rank;
  }
  return items;
}

function intOf(v: unknown): number | null {
  const raw = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['#text'] : v;
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) ? n : null;
}

/** arXiv category names such as cs.LG, hep-th, astro-ph.CO, q-bio.NC; anything else is refused. */
export function isArxivCategory(s: string): boolean {
  return /^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$/.test(s);
}

export interface ArxivClientOptions extends HttpOptions {
  baseUrl: string;
  logger?: Logger;
  /** Results per request (arXiv allows up to 2000; smaller pages fail less). */
  pageSize?: number;
  /** Pause between the end of one request and the start of the next: arXiv's API terms ask for 3 s. Tests use 0. */
  requestGapMs?: number;
}

/** Bounds one query: 50 pages of 200 is more than any category submits in a day. */
const MAX_PAGES = 50;

export class ArxivClient {
  private readonly base: string;
  private readonly pageSize: number;
  private readonly gapMs: number;
  private readonly logger: Logger;
  private lastRequestAt: number | null = null;

  constructor(private readonly opts: ArxivClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.pageSize = opts.pageSize ?? 200;
    this.gapMs = opts.requestGapMs ?? 3000;
    this.logger = opts.logger ?? silentLogger;
  }

  /** `(cat:a OR cat:b) AND submittedDate:[FROM0000 TO TO2359]`, days inclusive, in UTC as arXiv reads them. */
  static query(categories: readonly string[], from: string, to: string): string {
    const cats = categories.map((c) => `cat:${c}`);
    const catClause = cats.length === 1 ? cats[0]! : `(${cats.join(' OR ')})`;
    return `${catClause} AND submittedDate:[${from.replaceAll('-', '')}0000 TO ${to.replaceAll('-', '')}2359]`;
  }

  searchUrl(query: string, start: number): string {
    const params = new URLSearchParams({
      search_query: query,
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
      start: String(start),
      max_results: String(this.pageSize),
    });
    return `${this.base}/api/query?${params.toString()}`;
  }

  fetchDay(day: string, categories: readonly string[]): Promise<SourceResult<ParsedItems>> {
    return this.fetchRange(day, day, categories);
  }

  /** Every paper submitted in the given categories between two days inclusive, all pages. */
  async fetchRange(from: string, to: string, categories: readonly string[]): Promise<SourceResult<ParsedItems>> {
    // Callers validate user input first (the CLI turns it into a usage error); reaching here is a bug.
    const bad = categories.find((c) => !isArxivCategory(c));
    if (categories.length === 0 || bad !== undefined) {
      throw new RangeError(bad !== undefined ? `"${bad}" is not an arXiv category (e.g. cs.LG)` : 'no arXiv categories given');
    }
    const query = ArxivClient.query(categories, from, to);
    const all: ParsedItems = { items: [], skipped: 0, warnings: [] };
    let start = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.searchUrl(query, start);
      const res = await this.getPage(url);
      if (!res.ok) return res;
      const feed = res.value;
      all.items.push(...feed.items);
      all.skipped += feed.skipped;
      all.warnings.push(...feed.warnings);
      start += feed.entries;
      const total = feed.totalResults ?? start;
      if (start >= total) break;
      if (feed.entries === 0) {
        // A known arXiv hiccup: an empty page although more results exist. Retrying later works.
        return fail({ kind: 'bad-body', retryable: true, url, message: `arXiv returned an empty page at result ${start} of ${total}: try again later` });
      }
    }
    for (const w of all.warnings) this.logger.warn('skipped a malformed arXiv entry', { from, to, problem: w });
    return ok({ ...all, items: rankListingsByDay(all.items) });
  }

  private async getPage(url: string): Promise<SourceResult<ArxivFeed>> {
    await this.waitTurn();
    const res = await getXml(url, this.opts);
    // The gap counts from the end of a request, so a slow answer never shortens the pause.
    this.lastRequestAt = Date.now();
    if (!res.ok) {
      // arXiv explains a rejected query in an Atom error entry with HTTP 400.
      const body = res.error.body;
      if (res.error.kind === 'http' && body) {
        const parsed = parseArxivAtom(body);
        if (parsed.kind === 'api-error') return fail({ ...res.error, body: undefined, message: `arXiv rejected the query: ${parsed.message}` });
      }
      return fail({ ...res.error, body: undefined });
    }
    const parsed = parseArxivAtom(res.value);
    if (parsed.kind === 'api-error') return fail({ kind: 'http', status: 200, retryable: false, url, message: `arXiv rejected the query: ${parsed.message}` });
    if (parsed.kind === 'not-a-feed') return fail({ kind: 'bad-body', retryable: false, url, message: `${url} did not return an Atom feed: ${parsed.message}` });
    return ok(parsed.feed);
  }

  private async waitTurn(): Promise<void> {
    if (this.lastRequestAt !== null) {
      const wait = this.lastRequestAt + this.gapMs - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }
}
