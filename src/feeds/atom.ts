import type { FeedEntry, FeedSource } from '../store/feeds.ts';
import { safeHttpUrl } from '../domain/paper.ts';

/**
 * A channel's posted papers as an Atom 1.0 feed (RFC 4287): one entry per paper posted, newest
 * post first, with title, authors, abstract and links (arXiv, PDF, Hugging Face, code). Pure:
 * the HTTP handler and `paperboy feed` print the same text.
 */

export interface AtomOptions {
  /** The feed's own URL (rel="self"), when known. */
  selfUrl: string | null;
}

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/F): dropped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const el = (name: string, text: string, attrs = '') => `<${name}${attrs}>${xmlText(text)}</${name}>`;
const link = (href: string, rel: string, extra: Record<string, string> = {}) =>
  `<link rel="${rel}" href="${xmlText(href)}"${Object.entries(extra)
    .map(([k, v]) => ` ${k}="${xmlText(v)}"`)
    .join('')}/>`;

/** The feed's stable id: the channel, never the token (a reset keeps the feed's identity). */
export function feedId(f: Pick<FeedSource, 'team' | 'channel'>): string {
  return `urn:paperboy:${encodeURIComponent(f.team.platform)}:${encodeURIComponent(f.team.external_id)}:${encodeURIComponent(f.channel.external_id)}`;
}

/** Atom's dates are RFC 3339 (the store's ISO strings, normalized); null for a date that does not parse. */
function rfc3339(iso: string): string | null {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

export function renderAtom(f: FeedSource, opts: AtomOptions): string {
  const name = f.channel.name ?? f.channel.external_id;
  const updated = rfc3339(f.entries[0]?.postedAt ?? f.since) ?? rfc3339(f.since) ?? new Date(0).toISOString();
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  ${el('id', feedId(f))}`,
    `  ${el('title', `Paperboy: #${name}`)}`,
    `  ${el('subtitle', `Papers posted to #${name}${f.team.name ? ` (${f.team.name})` : ''}, newest first`)}`,
    `  ${el('updated', updated)}`,
    `  <author><name>Paperboy</name></author>`,
    `  ${el('generator', 'Paperboy')}`,
    ...(opts.selfUrl ? [`  ${link(opts.selfUrl, 'self', { type: 'application/atom+xml' })}`] : []),
    ...f.entries.map((e) => entry(feedId(f), e, updated)),
    '</feed>',
  ];
  return lines.join('\n') + '\n';
}

function entry(feed: string, e: FeedEntry, fallbackUpdated: string): string {
  const p = e.paper;
  const published = p.publishedAt ? rfc3339(p.publishedAt) : null;
  const links = [
    link(p.links.arxiv, 'alternate', { type: 'text/html', title: 'arXiv' }),
    link(p.links.pdf, 'related', { type: 'application/pdf', title: 'PDF' }),
    ...[
      [p.links.hf, 'Hugging Face'],
      [p.links.github, 'Code'],
      [p.links.project, 'Project page'],
    ].flatMap(([href, title]) => {
      const safe = safeHttpUrl(href);
      return safe ? [link(safe, 'related', { type: 'text/html', title: title! })] : [];
    }),
  ];
  const authors = p.authors.length > 0 ? p.authors : ['Unknown'];
  return [
    '  <entry>',
    // A paper is posted to a channel at most once: the channel and the paper identify the entry.
    `    ${el('id', `${feed}:${encodeURIComponent(p.id)}`)}`,
    `    ${el('title', p.title.replace(/\s+/g, ' ').trim(), ' type="text"')}`,
    `    ${el('updated', rfc3339(e.postedAt) ?? fallbackUpdated)}`,
    ...(published ? [`    ${el('published', published)}`] : []),
    ...authors.map((a) => `    <author>${el('name', a)}</author>`),
    ...links.map((l) => `    ${l}`),
    ...e.topics.map((t) => `    <category term="${xmlText(t)}" label="${xmlText(`topic: ${t}`)}"/>`),
    `    ${el('summary', p.abstract.replace(/\s+/g, ' ').trim() || p.title, ' type="text"')}`,
    '  </entry>',
  ].join('\n');
}
