import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.ts';
import { detectFormat, readIngestFile } from '../../src/ingest/files.ts';
import { ingestBatches } from '../../src/ingest/ingest.ts';
import { SourcePoller } from '../../src/ingest/poller.ts';
import { polledSources } from '../../src/ingest/sources.ts';
import { memoryLogger } from '../../src/logger.ts';
import { parseArxivRss, rfc822Day } from '../../src/sources/arxiv-rss.ts';
import type { Store } from '../../src/store/store.ts';
import { startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { openTestStore } from '../support/test-store.ts';
import { fixturePath, fixtureText } from './fixture-files.ts';

/**
 * arXiv's daily announcements (issue 12, item 3) on the recorded rss.arxiv.org feed of
 * 2026-09-24 (cs.LG+cs.AI+cs.CL+stat.ML): one `new`, one `new` in cs.LG and cs.AI, one `cross`
 * (2205.06398v2 from stat.ME), one `replace` (2009.13987v3).
 */
const FILE = 'arxiv/rss_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_trimmed.xml';
const RSS = fixtureText(FILE);
const DAY = '2026-09-24';
const NEW = ['2609.26811', '2609.26820'];
const CROSS = '2205.06398';
const REPLACED = '2009.13987';

/** The same day's cs.AI feed as arXiv would serve it, derived from the recording: 2609.26820 (new in cs.LG, also in cs.AI) and a cross-list of 2205.06398. */
function secondCategoryFeed(): string {
  const items = [...RSS.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
  const multi = items.find((i) => i.includes(NEW[1]!))!;
  const cross = items.find((i) => i.includes(CROSS))!;
  return RSS.replace(/<item>[\s\S]*<\/item>/, [multi.replace('<arxiv:announce_type>new<', '<arxiv:announce_type>cross<'), cross].join('\n    '));
}

let store: Store;
let dir: string;
beforeEach(async () => {
  store = await openTestStore();
});
afterEach(() => store.close());
dir = mkdtempSync(join(tmpdir(), 'paperboy-rss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const listed = async (day: string) =>
  (await store.db.selectFrom('listings').select(['paper_id', 'rank']).where('source', '=', 'arxiv').where('day', '=', day).orderBy('rank').execute()).map((r) => r.paper_id);

describe('parsing the announcement feed', () => {
  it('lists new and cross papers on the announcement day, once, and keeps replacements out of the listing', () => {
    const r = parseArxivRss(RSS);
    expect(r.kind).toBe('feed');
    if (r.kind !== 'feed') return;
    const f = r.feed;
    expect(f.day).toBe(DAY);
    expect(f.skipped).toBe(0);
    const listings = f.items.filter((i) => i.listing).map((i) => [i.paper.id, i.listing!.day, i.listing!.rank]);
    expect(listings).toEqual([
      [NEW[0], DAY, 1],
      [NEW[1], DAY, 2],
      [CROSS, DAY, 3],
    ]);
    expect(f.replaced).toEqual([REPLACED]);
    expect(f.items.find((i) => i.paper.id === REPLACED)!.listing).toBeNull();
    expect(Object.fromEntries(f.versions)).toEqual({ [NEW[0]!]: 1, [NEW[1]!]: 1, [CROSS]: 2, [REPLACED]: 3 });

    const multi = f.items.find((i) => i.paper.id === NEW[1])!.paper;
    expect(multi.authors).toEqual(['Naser Mansour', 'Sidahmed Benabderrahmane', 'Ameer Rahwan']);
    expect(multi.categories).toEqual(['cs.LG', 'cs.AI']);
    expect(multi.abstract).toMatch(/^Physiological time series such as electrocardiograms/);
    expect(multi.publishedAt).toBe(`${DAY}T00:00:00.000Z`);
    expect(multi.links.arxiv).toBe(`https://arxiv.org/abs/${NEW[1]}`);
    // A cross-list of a paper first submitted in 2022: its first date is not in the feed.
    expect(f.items.find((i) => i.paper.id === CROSS)!.paper.publishedAt).toBeNull();
  });

  it('reads the day as arXiv writes it, in its own time zone', () => {
    expect(rfc822Day('Thu, 24 Sep 2026 00:00:00 -0400')).toBe('2026-09-24');
    expect(rfc822Day('Mon, 5 Jan 2026 23:30:00 -0500')).toBe('2026-01-05');
    expect(rfc822Day('yesterday')).toBeNull();
  });

  it('refuses what is not a feed, and skips a malformed item with a reason', () => {
    expect(parseArxivRss('<html><body>busy</body></html>').kind).toBe('not-a-feed');
    const broken = RSS.replace('<arxiv:announce_type>cross</arxiv:announce_type>', '<arxiv:announce_type>withdrawn-ish</arxiv:announce_type>');
    const r = parseArxivRss(broken);
    expect(r.kind === 'feed' && r.feed.warnings).toEqual(['item 3: unknown announce_type "withdrawn-ish"']);
  });
});

describe('ingest --file', () => {
  it('detects the RSS format and stores the day: new and cross listed, the replacement refreshed but not listed', async () => {
    expect((await detectFormat(fixturePath(FILE))).format).toBe('arxiv-rss');
    // The replaced paper was stored before (announced long ago), listed on its own day.
    const parsed = parseArxivRss(RSS);
    if (parsed.kind !== 'feed') throw new Error('fixture');
    const old = parsed.feed.items.find((i) => i.paper.id === REPLACED)!;
    await store.papers.upsertMany([{ paper: { ...old.paper, title: 'Random Polytope Descriptors (v1 title)', publishedAt: '2020-09-29T00:00:00.000Z' }, listing: { source: 'arxiv', day: '2020-09-29', rank: 1 } }], new Date('2020-09-30T00:00:00Z'));

    const counts = await ingestBatches(store, readIngestFile(fixturePath(FILE)));
    expect(counts).toMatchObject({ skipped: 0 });
    expect(await listed(DAY)).toEqual([...NEW, CROSS]);
    const replaced = (await store.papers.get(REPLACED))!;
    expect(replaced.title).toBe('Random Polytope Descriptors');
    expect(replaced.publishedAt).toBe('2020-09-29T00:00:00.000Z');
    const days = await store.db.selectFrom('listings').select('day').where('paper_id', '=', REPLACED).execute();
    expect(days.map((d) => d.day)).toEqual(['2020-09-29']);
  });

  it('merges a paper cross-listed in two followed categories into one paper, listed once', async () => {
    const second = join(dir, 'rss_cs.AI_2026-09-24.xml');
    writeFileSync(second, secondCategoryFeed());
    await ingestBatches(store, readIngestFile(fixturePath(FILE)));
    await ingestBatches(store, readIngestFile(second));
    expect((await listed(DAY)).sort()).toEqual([...NEW, CROSS].sort());
    expect(await store.papers.count()).toBe(4);
  });
});

describe('the poller', () => {
  let server: ReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the announcements of PAPERBOY_ARXIV_CATEGORIES from one feed per poll, never the API', async () => {
    server = await startReplayServer([{ path: '/rss/cs.LG+cs.AI+cs.CL+stat.ML', body: RSS, headers: { 'content-type': 'application/rss+xml; charset=utf-8' } }]);
    const clock = fixedClock('2026-09-24T12:00:00Z');
    const logger = memoryLogger();
    const config = { hfBaseUrl: server.url, arxivBaseUrl: server.url, arxivRssUrl: server.url, arxivCategories: ['cs.LG', 'cs.AI', 'cs.CL', 'stat.ML'], timeoutMs: 2000, pollIntervalMs: 30 * 60_000 };
    const arxivOnly = polledSources(config, logger).filter((s) => s.name === 'arxiv');
    const poller = new SourcePoller({ store, sources: arxivOnly, clock, logger, settings: { intervalMs: 30 * 60_000, retryBaseMs: 60_000 } });
    await poller.pollDue();
    expect(server.requests.map((r) => r.path)).toEqual(['/rss/cs.LG+cs.AI+cs.CL+stat.ML']);
    expect(server.unmatched).toEqual([]);
    expect(await listed(DAY)).toEqual([...NEW, CROSS]);
    expect((await store.sources.get('arxiv'))?.lastItems).toBe(4);

    // The next poll reads the same announcement again: nothing is listed twice.
    clock.advance(31 * 60_000);
    await poller.pollDue();
    expect(server.requests).toHaveLength(2);
    expect(await listed(DAY)).toEqual([...NEW, CROSS]);
  });
});
