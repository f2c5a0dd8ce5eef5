import { afterEach, describe, expect, it } from 'vitest';
import { ArxivClient, isArxivCategory, parseArxivAtom, type ArxivFeed } from '../../src/sources/arxiv.ts';
import { ATOM_HEADERS, startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { fixtureText } from './fixture-files.ts';

const CURRENT = fixtureText('arxiv/api_query_search_all_testing_start0_max10.xml');
const LEGACY = fixtureText('arxiv/api_query_search_au_del_maestro_legacy_format_2016.xml');
const ERROR_400 = fixtureText('arxiv/api_query_id_list_abc_invalid_id_error.xml');
const NO_RESULTS = fixtureText('arxiv/api_query_id_list_0000.0000_no_results.xml');
const TITLED_ZERO = fixtureText('arxiv/api_query_id_list_2104.12255v1.xml');

function feedOf(xml: string): ArxivFeed {
  const r = parseArxivAtom(xml);
  if (r.kind !== 'feed') throw new Error(`expected a feed, got ${r.kind}: ${r.message}`);
  return r.feed;
}

/** The raw `<entry>` blocks of a recording, for building pages from it. */
function entriesOf(xml: string): string[] {
  return xml.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
}

/**
 * A page derived from the 10-entry recording: its header with the opensearch counts rewritten,
 * and a slice of its entries. Only the counts and the selection differ from what arXiv sent.
 */
function derivedPage(entries: string[], total: number, start: number): string {
  const head = CURRENT.slice(0, CURRENT.indexOf('<entry>'))
    .replace(/<opensearch:totalResults>\d+</, `<opensearch:totalResults>${total}<`)
    .replace(/<opensearch:startIndex>\d+</, `<opensearch:startIndex>${start}<`)
    .replace(/<opensearch:itemsPerPage>\d+</, `<opensearch:itemsPerPage>${entries.length}<`);
  return `${head}${entries.join('\n')}\n</feed>\n`;
}

describe('parseArxivAtom', () => {
  it('reads the current format: versionless ids, primary category first, timestamps, counts', () => {
    const feed = feedOf(CURRENT);
    const ids = [...CURRENT.matchAll(/<id>http:\/\/arxiv\.org\/abs\/([^<]+)v\d+<\/id>/g)].map((m) => m[1]);
    expect(feed.items.map((i) => i.paper.id)).toEqual(ids);
    expect(feed.totalResults).toBe(214881);
    expect(feed.entries).toBe(10);
    const first = feed.items[0]!.paper;
    expect(first.categories).toEqual(['cs.SE', 'cs.LG']);
    expect(first.publishedAt).toBe('2022-02-24T15:05:19.000Z');
    expect(first.links).toEqual({ arxiv: `https://arxiv.org/abs/${first.id}`, pdf: `https://arxiv.org/pdf/${first.id}`, hf: null, github: null, project: null });
    expect(feed.items[0]!.listing).toEqual({ source: 'arxiv', day: '2022-02-24', rank: 1 });
    for (const { paper } of feed.items) {
      expect(paper.source).toBe('arxiv');
      expect(paper.authors.length).toBeGreaterThan(0);
      expect(paper.abstract).not.toContain('\n');
    }
  });

  it('reads the 2016 format: wrapped titles and abstracts flattened, old-style ids kept', () => {
    const feed = feedOf(LEGACY);
    expect(feed.items).toHaveLength(10);
    expect(feed.totalResults).toBe(31);
    expect(feed.items.map((i) => i.paper.id)).toContain('cond-mat/0412498');
    for (const { paper } of feed.items) {
      expect(paper.title).not.toMatch(/\n|\s{2}/);
      expect(paper.abstract).not.toMatch(/\n|^\s|\s{2}/);
    }
    expect(feed.items[0]!.paper.abstract).toMatch(/^As helium-4 is cooled below 2\.17 K it undergoes a phase transition to a fundamentally/);
  });

  it('keeps a title of "0" as text', () => {
    expect(feedOf(TITLED_ZERO).items[0]!.paper).toMatchObject({ id: '2104.12255', title: '0' });
  });

  it('returns no items for a query without results', () => {
    expect(feedOf(NO_RESULTS)).toMatchObject({ items: [], skipped: 0, totalResults: 0, entries: 0 });
  });

  it("recognises arXiv's error entry", () => {
    expect(parseArxivAtom(ERROR_400)).toEqual({ kind: 'api-error', message: 'incorrect id format for abc' });
  });

  it('calls anything else not a feed', () => {
    expect(parseArxivAtom('<!DOCTYPE html><html><body>503</body></html>').kind).toBe('not-a-feed');
    expect(parseArxivAtom('Rate exceeded.').kind).toBe('not-a-feed');
    expect(parseArxivAtom('').kind).toBe('not-a-feed');
  });

  it('skips an entry without a usable id and keeps the others', () => {
    const entries = entriesOf(CURRENT);
    const broken = entries[1]!.replace(/<id>[^<]*<\/id>/, '<id>http://example.org/nothing</id>');
    const feed = feedOf(derivedPage([entries[0]!, broken, entries[2]!], 3, 0));
    expect(feed.items).toHaveLength(2);
    expect(feed.skipped).toBe(1);
    expect(feed.warnings[0]).toMatch(/^entry 2:/);
  });
});

// Found by `npm run fuzz`: Date accepts years outside 0000-9999, and the listing day came out as `-000001-01`.
describe('parseArxivAtom dates', () => {
  it.each(['-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'not a date'])('keeps an entry published %s, with no date and no listing day', (published) => {
    const xml = TITLED_ZERO.replace(/<published>[^<]*<\/published>/, `<published>${published}</published>`);
    const [item] = feedOf(xml).items;
    expect(item!.paper.id).toBe('2104.12255');
    expect(item!.paper.publishedAt).toBeNull();
    expect(item!.listing).toBeNull();
  });
});

describe('ArxivClient', () => {
  let server: ReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const client = (s: ReplayServer, extra: Partial<ConstructorParameters<typeof ArxivClient>[0]> = {}) =>
    new ArxivClient({ baseUrl: s.url, timeoutMs: 2000, requestGapMs: 0, ...extra });

  it('builds the category and submitted-date query', () => {
    expect(ArxivClient.query(['cs.LG'], '2026-08-17', '2026-08-17')).toBe('cat:cs.LG AND submittedDate:[202608170000 TO 202608172359]');
    expect(ArxivClient.query(['cs.LG', 'cs.CL'], '2026-08-17', '2026-08-18')).toBe('(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202608170000 TO 202608182359]');
  });

  it('pages through all results with start and max_results', async () => {
    const entries = entriesOf(CURRENT);
    server = await startReplayServer([0, 4, 8].map((start) => ({ path: '/api/query', query: { start: String(start) }, headers: ATOM_HEADERS, body: derivedPage(entries.slice(start, start + 4), 10, start) })));
    const r = await client(server, { pageSize: 4 }).fetchDay('2026-08-17', ['cs.LG', 'cs.CL']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.items.map((i) => i.paper.id)).toEqual(feedOf(CURRENT).items.map((i) => i.paper.id));
    expect(server.requests.map((q) => q.query)).toEqual(
      [0, 4, 8].map((start) => ({
        search_query: '(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202608170000 TO 202608172359]',
        sortBy: 'submittedDate',
        sortOrder: 'ascending',
        start: String(start),
        max_results: '4',
      })),
    );
    expect(server.unmatched).toEqual([]);
    // ranks restart on each listing day and count across pages
    const ranksOnDay = (d: string) => r.value.items.filter((i) => i.listing?.day === d).map((i) => i.listing?.rank);
    for (const d of new Set(r.value.items.map((i) => i.listing!.day))) expect(ranksOnDay(d)).toEqual(ranksOnDay(d).map((_, k) => k + 1));
  });

  it('waits the configured gap between requests', async () => {
    const entries = entriesOf(CURRENT);
    server = await startReplayServer([0, 5].map((start) => ({ path: '/api/query', query: { start: String(start) }, headers: ATOM_HEADERS, body: derivedPage(entries.slice(start, start + 5), 10, start) })));
    const r = await client(server, { pageSize: 5, requestGapMs: 120 }).fetchDay('2026-08-17', ['cs.LG']);
    expect(r.ok).toBe(true);
    const [a, b] = server.requests;
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(115); // timer slack only
  });

  it('reports a day with no submissions as empty', async () => {
    server = await startReplayServer([{ path: '/api/query', headers: ATOM_HEADERS, body: NO_RESULTS }]);
    expect(await client(server).fetchDay('2026-08-16', ['cs.LG'])).toEqual({ ok: true, value: { items: [], skipped: 0, warnings: [] } });
    expect(server.requests).toHaveLength(1);
  });

  it("passes on arXiv's own message for a rejected query (HTTP 400)", async () => {
    server = await startReplayServer([{ path: '/api/query', status: 400, headers: ATOM_HEADERS, body: ERROR_400 }]);
    const r = await client(server).fetchDay('2026-08-17', ['cs.LG']);
    expect(r).toMatchObject({ ok: false, error: { kind: 'http', status: 400, retryable: false } });
    if (!r.ok) expect(r.error.message).toBe('arXiv rejected the query: incorrect id format for abc');
  });

  it('treats an empty page before the end as a retryable glitch', async () => {
    const entries = entriesOf(CURRENT);
    server = await startReplayServer([
      { path: '/api/query', query: { start: '0' }, headers: ATOM_HEADERS, body: derivedPage(entries.slice(0, 5), 10, 0) },
      { path: '/api/query', query: { start: '5' }, headers: ATOM_HEADERS, body: derivedPage([], 10, 5) },
    ]);
    const r = await client(server, { pageSize: 5 }).fetchDay('2026-08-17', ['cs.LG']);
    expect(r).toMatchObject({ ok: false, error: { kind: 'bad-body', retryable: true } });
  });

  it.each([
    ['a 503', { status: 503, body: 'Service Unavailable' }, { kind: 'http', status: 503, retryable: true }],
    ['an HTML page', { headers: { 'content-type': 'text/html' }, body: '<html><body>maintenance</body></html>' }, { kind: 'bad-body' }],
    ['plain text', { body: 'Rate exceeded.' }, { kind: 'bad-body' }],
  ])('turns %s into an error value', async (_what, response, expected) => {
    server = await startReplayServer([{ path: '/api/query', ...response }]);
    expect(await client(server).fetchDay('2026-08-17', ['cs.LG'])).toMatchObject({ ok: false, error: expected });
  });

  it('refuses category names that could change the query', () => {
    expect(['cs.LG', 'stat.ML', 'hep-th', 'astro-ph.CO', 'q-bio.NC', 'math.AP'].every(isArxivCategory)).toBe(true);
    expect(['cs.LG OR all:x', 'cs.LG)', '', 'CS', 'cs.', '*'].some(isArxivCategory)).toBe(false);
  });
});
