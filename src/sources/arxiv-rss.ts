import { z } from 'zod';
import { normalizeSpace, parseArxivId, type IngestItem } from '../domain/paper.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { fail, getXml, ok, type HttpOptions, type SourceResult } from './http.ts';
import type { ParsedItems } from './parsed.ts';
import { arxivPaper, arxivXmlParser, isArxivCategory, Text } from './arxiv.ts';
import { announcesWithdrawal, githubRepoIn } from '../watch/signals.ts';

/*
 * arXiv's daily announcements (rss.arxiv.org, RSS 2.0): exactly what arXiv announced in the
 * followed categories on one day, each item with an `arxiv:announce_type`:
 *  - `new` and `cross` (a paper submitted elsewhere, cross-listed here) are that day's papers,
 *    listed once each (a paper in two followed categories appears once, whichever way it came);
 *  - `replace` and `replace-cross` are new versions of papers announced before: their text is
 *    refreshed but they are never listed as new.
 * The listing day is the announcement day (the channel's pubDate, in arXiv's own time zone).
 */

const parser = arxivXmlParser(['rss.channel.item', 'rss.channel.item.category']);

const Item = z.object({
  title: Text,
  link: Text.optional(),
  guid: Text.optional(),
  description: Text.optional(),
  category: z.array(Text).optional(),
  announce_type: Text,
  creator: Text.optional(),
});

export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';
const LISTED: ReadonlySet<string> = new Set(['new', 'cross']);
const VERSIONS: ReadonlySet<string> = new Set(['replace', 'replace-cross']);

export interface ArxivAnnouncement extends ParsedItems {
  /** The announcement day, or null when the feed does not say. */
  day: string | null;
  /** The version each announced paper is at (`…v3`), new and replaced alike. */
  versions: Map<string, number>;
  /** Papers announced as replacements (new versions): in `items` without a listing. */
  replaced: string[];
}

export type RssParse = { kind: 'feed'; feed: ArxivAnnouncement } | { kind: 'not-a-feed'; message: string };

/** True for an RSS document (what `ingest --file` and the client check before parsing). */
export function looksLikeRss(head: string): boolean {
  return /<rss[\s>]/.test(head.slice(0, 4096));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The calendar day of an RFC 822 date as written (`Thu, 24 Sep 2026 00:00:00 -0400` → 2026-09-24): arXiv's own day. */
export function rfc822Day(s: string | undefined): string | null {
  const m = /(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})/.exec(s ?? '');
  const month = m ? MONTHS.indexOf(m[2]!) : -1;
  if (!m || month < 0) return null;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

/** Parses one announcement feed. Pure: the client, the file reader and tests share it. */
export function parseArxivRss(xml: string): RssParse {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    return { kind: 'not-a-feed', message: `not well-formed XML (${e instanceof Error ? e.message : String(e)})` };
  }
  const channel = (doc as { rss?: { channel?: unknown } } | null)?.rss?.channel;
  if (!channel || typeof channel !== 'object') return { kind: 'not-a-feed', message: 'no RSS <channel> element' };
  const c = channel as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const day = rfc822Day(text(c.pubDate)) ?? rfc822Day(text(c.lastBuildDate));

  const listed = new Map<string, IngestItem>();
  const refreshed = new Map<string, IngestItem>();
  const versions = new Map<string, number>();
  const warnings: string[] = [];
  (Array.isArray(c.item) ? (c.item as unknown[]) : []).forEach((raw, i) => {
    const r = toItem(raw, day);
    if (typeof r === 'string') return void warnings.push(`item ${i + 1}: ${r}`);
    versions.set(r.item.paper.id, Math.max(r.version, versions.get(r.item.paper.id) ?? 0));
    if (LISTED.has(r.type)) {
      if (!listed.has(r.item.paper.id)) listed.set(r.item.paper.id, r.item);
      refreshed.delete(r.item.paper.id);
    } else if (!listed.has(r.item.paper.id)) {
      refreshed.set(r.item.paper.id, { ...r.item, listing: null });
    }
  });
  let rank = 0;
  for (const it of listed.values()) if (it.listing) it.listing.rank = ++rank;
  return {
    kind: 'feed',
    feed: { day, items: [...listed.values(), ...refreshed.values()], skipped: warnings.length, warnings, versions, replaced: [...refreshed.keys()] },
  };
}

const ABSTRACT_PREFIX = /^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*(?:Abstract:\s*)?/;

function toItem(raw: unknown, day: string | null): { item: IngestItem; type: AnnounceType; version: number } | string {
  const parsed = Item.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return issue ? `${issue.path.join('.') || 'item'}: ${issue.message}` : 'not an RSS item';
  }
  const e = parsed.data;
  const type = e.announce_type.trim();
  if (!LISTED.has(type) && !VERSIONS.has(type)) return `unknown announce_type ${JSON.stringify(type)}`;
  const id = parseArxivId(e.link ?? '') ?? parseArxivId((e.guid ?? '').replace(/^oai:arXiv\.org:/i, ''));
  if (!id) return `no arXiv id in <link> ${JSON.stringify(e.link ?? '')}`;
  const title = normalizeSpace(e.title);
  if (!title) return `${id}: no title`;
  const version = Number(/v(\d+)\s*$/.exec(e.guid ?? '')?.[1] ?? /^\s*arXiv:\S+?v(\d+)\s/.exec(e.description ?? '')?.[1] ?? 1);
  const abstract = (e.description ?? '').replace(ABSTRACT_PREFIX, '');
  const paper = arxivPaper({
    id,
    title,
    abstract,
    authors: (e.creator ?? '').split(/\s*,\s*/).map((a) => a.replace(/^and\s+/, '')),
    // A first version was submitted just before this announcement; a later one's first date is not in the feed.
    publishedAt: version === 1 && day ? `${day}T00:00:00.000Z` : null,
    categories: [...new Set((e.category ?? []).map((c) => c.trim()).filter(Boolean))],
    // The feed carries no comment: a repository is seen only where the abstract names one.
    github: githubRepoIn(abstract),
  });
  const arxiv = { version, withdrawn: announcesWithdrawal(abstract) };
  return { item: { paper, listing: day ? { source: 'arxiv', day, rank: 0 } : null, arxiv }, type: type as AnnounceType, version };
}

export interface ArxivRssClientOptions extends HttpOptions {
  /** rss.arxiv.org, or a replay server in tests. */
  baseUrl: string;
  logger?: Logger;
}

/** Reads the day's announcements for followed categories: one request for all of them (`/rss/cs.LG+cs.CL`). */
export class ArxivRssClient {
  private readonly base: string;
  private readonly logger: Logger;

  constructor(private readonly opts: ArxivRssClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.logger = opts.logger ?? silentLogger;
  }

  feedUrl(categories: readonly string[]): string {
    return `${this.base}/rss/${categories.join('+')}`;
  }

  async fetchLatest(categories: readonly string[]): Promise<SourceResult<ArxivAnnouncement>> {
    const bad = categories.find((c) => !isArxivCategory(c));
    if (categories.length === 0 || bad !== undefined) {
      throw new RangeError(bad !== undefined ? `"${bad}" is not an arXiv category (e.g. cs.LG)` : 'no arXiv categories given');
    }
    const url = this.feedUrl(categories);
    const res = await getXml(url, this.opts);
    if (!res.ok) return fail({ ...res.error, body: undefined });
    const parsed = parseArxivRss(res.value);
    if (parsed.kind === 'not-a-feed') return fail({ kind: 'bad-body', retryable: false, url, message: `${url} did not return arXiv's RSS: ${parsed.message}` });
    for (const w of parsed.feed.warnings) this.logger.warn('skipped a malformed arXiv announcement', { url, problem: w });
    return ok(parsed.feed);
  }
}
