import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/logger.ts';
import { HfClient, parseHfDailyPapers } from '../../src/sources/hf.ts';
import { JSON_HEADERS, startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { clone, fixtureJson } from './fixture-files.ts';

type RawItem = { paper: Record<string, unknown> & { id: string; upvotes: number; authors: Array<{ name: string; hidden: boolean }> } } & Record<string, unknown>;
const day = (d: string) => fixtureJson<RawItem[]>(`hf/daily_papers_${d}.json`);

describe('parseHfDailyPapers across the format eras', () => {
  it.each(['2024-05-27', '2025-03-14', '2025-06-02', '2026-08-17'])('keeps every item of %s', (d) => {
    const raw = day(d);
    const r = parseHfDailyPapers(raw, d);
    expect(r.skipped).toBe(0);
    expect(r.items.map((i) => i.paper.id)).toEqual(raw.map((i) => i.paper.id));
    for (const { paper } of r.items) {
      expect(paper.title).not.toMatch(/\s{2}|\n/);
      expect(paper.abstract.length).toBeGreaterThan(50);
      expect(paper.abstract).not.toContain('\n');
      expect(paper.authors.length).toBeGreaterThan(0);
      expect(paper.links.arxiv).toBe(`https://arxiv.org/abs/${paper.id}`);
      expect(paper.links.hf).toBe(`https://huggingface.co/papers/${paper.id}`);
      expect(paper.thumbnailUrl).toMatch(/^https:\/\//);
      expect(paper.source).toBe('hf');
    }
  });

  it('reads the 2024 format: mediaUrl as thumbnail, hard-wrapped titles collapsed', () => {
    const raw = day('2024-05-27');
    expect(raw[0]!.paper.title).toContain('\n');
    const [first] = parseHfDailyPapers(raw, '2024-05-27').items;
    expect(first!.paper.title).toBe((raw[0]!.title as string).replace(/\s+/g, ' '));
    expect(first!.paper.thumbnailUrl).toBe(raw[0]!.mediaUrl);
  });

  it('lists items on paper.submittedOnDailyAt, not on the top-level publishedAt or the fallback', () => {
    const raw = day('2026-08-17');
    expect((raw[0]!.publishedAt as string).slice(0, 10)).not.toBe('2026-08-17');
    const r = parseHfDailyPapers(raw, '1999-01-01');
    expect(new Set(r.items.map((i) => i.listing?.day))).toEqual(new Set(['2026-08-17']));
    // mid-2025: submittedOnDailyAt carries a time of day; the listing is its UTC day
    const mid = parseHfDailyPapers(day('2025-06-02'), '1999-01-01');
    expect(new Set(mid.items.map((i) => i.listing?.day))).toEqual(new Set(['2025-06-02']));
  });

  it('falls back to the given day when the data predates submittedOnDailyAt, and lists nothing without one', () => {
    const raw = day('2025-03-14');
    expect(raw.every((i) => !('submittedOnDailyAt' in i.paper))).toBe(true);
    expect(parseHfDailyPapers(raw, '2025-03-14').items.every((i) => i.listing?.day === '2025-03-14')).toBe(true);
    expect(parseHfDailyPapers(raw, null).items.every((i) => i.listing === null)).toBe(true);
  });

  it('ranks by position and takes upvotes, comments, org, links and AI fields from where HF keeps them', () => {
    const raw = day('2026-08-17');
    const r = parseHfDailyPapers(raw, '2026-08-17');
    expect(r.items.map((i) => i.listing?.rank)).toEqual(raw.map((_, i) => i + 1));
    r.items.forEach(({ paper }, i) => {
      const src = raw[i]!;
      expect(paper.upvotes).toBe(src.paper.upvotes);
      expect(paper.comments).toBe(src.numComments);
      expect(paper.links.github).toBe((src.paper.githubRepo as string | undefined) ?? null);
      expect(paper.aiSummary).toBe((src.paper.ai_summary as string | undefined) ?? null);
      expect(paper.keywords).toEqual((src.paper.ai_keywords as string[] | undefined) ?? []);
      const org = (src.organization as { fullname: string } | undefined)?.fullname ?? null;
      expect(paper.org).toBe(org);
    });
    expect(r.items.some((i) => i.paper.org !== null)).toBe(true);
    expect(r.items.some((i) => i.paper.links.project !== null)).toBe(true);
  });

  it('skips and counts malformed items and keeps the rest in their places', () => {
    const raw: unknown[] = clone(day('2026-08-17'));
    const broken = raw as RawItem[];
    delete (broken[1]!.paper as Partial<RawItem['paper']>).id; // missing id
    (broken[4]!.paper as Record<string, unknown>).upvotes = 'many'; // wrong type
    (broken[6]!.paper as Record<string, unknown>).authors = 'Alice and Bob'; // wrong type
    broken[8]!.paper.id = 'not-an-arxiv-id';
    raw.push(42, null, { paper: 'nope' });
    const r = parseHfDailyPapers(raw, '2026-08-17');
    expect(r.skipped).toBe(7);
    expect(r.warnings).toHaveLength(7);
    expect(r.warnings[0]).toMatch(/^item 2 \(no id\): paper\.id/);
    expect(r.warnings.some((w) => w.startsWith('item 5') && w.includes('upvotes'))).toBe(true);
    expect(r.items).toHaveLength(raw.length - 7);
    expect(r.items.map((i) => i.listing?.rank).slice(0, 3)).toEqual([1, 3, 4]);
  });

  it('drops an enrichment field of the wrong type or a non-http link but keeps the paper', () => {
    const raw = clone(day('2026-08-17')).slice(0, 2);
    raw[0]!.paper.githubRepo = 12345;
    raw[0]!.paper.ai_keywords = 'not a list';
    raw[1]!.paper.projectPage = 'javascript:alert(1)';
    raw[1]!.thumbnail = 'file:///etc/passwd';
    const r = parseHfDailyPapers(raw, '2026-08-17');
    expect(r.skipped).toBe(0);
    expect(r.items[0]!.paper.links.github).toBeNull();
    expect(r.items[0]!.paper.keywords).toEqual([]);
    expect(r.items[1]!.paper.links.project).toBeNull();
    expect(r.items[1]!.paper.thumbnailUrl).toBeNull();
  });

  it('leaves out authors who chose to be hidden', () => {
    const raw = clone(day('2026-08-17')).slice(0, 1);
    const authors = raw[0]!.paper.authors;
    authors[0]!.hidden = true;
    const [item] = parseHfDailyPapers(raw, '2026-08-17').items;
    expect(item!.paper.authors).toEqual(authors.slice(1).map((a) => a.name.trim()));
  });

  it('says so when the body is not a list at all', () => {
    const r = parseHfDailyPapers({ error: 'Invalid date' }, '2026-08-17');
    expect(r.items).toEqual([]);
    expect(r.warnings[0]).toContain('expected a JSON array');
  });
});

describe('HfClient', () => {
  let server: ReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const client = (s: ReplayServer, extra: Partial<ConstructorParameters<typeof HfClient>[0]> = {}) =>
    new HfClient({ baseUrl: `${s.url}/`, timeoutMs: 2000, ...extra });

  it('fetches one day with the date, a page size and the page number', async () => {
    const raw = day('2026-08-17');
    server = await startReplayServer([{ path: '/api/daily_papers', query: { date: '2026-08-17' }, headers: JSON_HEADERS, body: JSON.stringify(raw) }]);
    const r = await client(server).fetchDay('2026-08-17');
    expect(r.ok && r.value.items.map((i) => i.paper.id)).toEqual(raw.map((i) => i.paper.id));
    expect(server.requests.map((q) => q.query)).toEqual([{ date: '2026-08-17', limit: '100', p: '0' }]);
    expect(server.unmatched).toEqual([]);
  });

  it('follows pages while they come back full, ranking across pages', async () => {
    const raw = day('2026-08-17'); // 23 items, served as pages of 10
    server = await startReplayServer([0, 1, 2].map((p) => ({ path: '/api/daily_papers', query: { p: String(p) }, headers: JSON_HEADERS, body: JSON.stringify(raw.slice(p * 10, p * 10 + 10)) })));
    const r = await client(server, { pageSize: 10 }).fetchDay('2026-08-17');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.items.map((i) => i.paper.id)).toEqual(raw.map((i) => i.paper.id));
    expect(r.value.items.map((i) => i.listing?.rank)).toEqual(raw.map((_, i) => i + 1));
    expect(server.requests.map((q) => q.query.p)).toEqual(['0', '1', '2']);
  });

  it('stops when a page repeats what it already has', async () => {
    const raw = day('2026-08-17').slice(0, 10);
    server = await startReplayServer([{ path: '/api/daily_papers', headers: JSON_HEADERS, body: JSON.stringify(raw) }]);
    const r = await client(server, { pageSize: 10 }).fetchDay('2026-08-17');
    expect(r.ok && r.value.items).toHaveLength(10);
    expect(server.requests).toHaveLength(2);
  });

  it('returns an empty day (a weekend) as an empty result', async () => {
    server = await startReplayServer([{ path: '/api/daily_papers', headers: JSON_HEADERS, body: '[]' }]);
    expect(await client(server).fetchDay('2026-08-16')).toEqual({ ok: true, value: { items: [], skipped: 0, warnings: [] } });
  });

  it('logs each skipped item once as a warning', async () => {
    const raw: unknown[] = clone(day('2026-08-17')).slice(0, 3);
    raw.push({ paper: { title: 'no id' } });
    server = await startReplayServer([{ path: '/api/daily_papers', headers: JSON_HEADERS, body: JSON.stringify(raw) }]);
    const logger = memoryLogger();
    const r = await client(server, { logger }).fetchDay('2026-08-17');
    expect(r.ok && r.value.skipped).toBe(1);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });

  it.each([
    ['a 500', { status: 500, body: 'oops' }, { kind: 'http', status: 500, retryable: true }],
    ['a 404', { status: 404, body: 'Not Found' }, { kind: 'http', status: 404, retryable: false }],
    ['an HTML page', { headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Hugging Face</title>' }, { kind: 'bad-body' }],
    ['garbage', { headers: JSON_HEADERS, body: '\u0000\u0001garbage' }, { kind: 'bad-body' }],
    ['a JSON object', { headers: JSON_HEADERS, body: '{"error":"Invalid date"}' }, { kind: 'bad-body' }],
  ])('turns %s into an error value', async (_what, response, expected) => {
    server = await startReplayServer([{ path: '/api/daily_papers', ...response }]);
    const r = await client(server).fetchDay('2026-08-17');
    expect(r).toMatchObject({ ok: false, error: expected });
  });

  it('turns a stalled server into a timeout', async () => {
    server = await startReplayServer([{ path: '/api/daily_papers', hang: true }]);
    const r = await client(server, { timeoutMs: 150 }).fetchDay('2026-08-17');
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout', retryable: true } });
  });
});
