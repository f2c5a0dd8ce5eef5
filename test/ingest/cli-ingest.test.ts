import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIngestCommand, INGEST_SUMMARY, planIngest, type IngestCommandDeps } from '../../src/cli/ingest.ts';
import { loadConfig } from '../../src/config.ts';
import { main } from '../../src/cli/main.ts';
import { SAMPLE_PATH } from '../../src/ingest/first-run.ts';
import { openStore } from '../../src/store/store.ts';
import { ATOM_HEADERS, JSON_HEADERS, startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { fixtureText } from '../sources/fixture-files.ts';

/*
 * `paperboy ingest` end to end, in process: through the real CLI entry (`main`, given a table
 * with this one command, as the registered CLI will be), against a temp database file and a
 * loopback server replaying recordings.
 */

const tmp = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer([
    { path: '/api/daily_papers', query: { date: '2026-08-17' }, headers: JSON_HEADERS, body: fixtureText('hf/daily_papers_2026-08-17.json') },
    { path: '/api/daily_papers', query: { date: '2026-08-18' }, status: 500, body: 'Internal Server Error' },
    { path: '/api/daily_papers', query: { date: '2026-08-19' }, headers: JSON_HEADERS, body: fixtureText('hf/daily_papers_2026-08-19.json') },
    { path: '/api/query', headers: ATOM_HEADERS, body: fixtureText('arxiv/api_query_search_all_testing_start0_max10.xml').replace(/<opensearch:totalResults>\d+/, '<opensearch:totalResults>10') },
  ]);
});
afterAll(() => server.close());

let dbPath: string;
let n = 0;
beforeEach(() => {
  dbPath = join(tmp, `run-${++n}.db`);
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function ingest(args: string[], opts: { env?: Record<string, string>; tty?: boolean } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const deps: IngestCommandDeps = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: opts.tty ?? false, columns: 100 },
    now: () => new Date('2026-08-21T12:00:00Z'),
    arxivGapMs: 0,
  };
  // main itself reports usage errors on the process's stderr
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const table = { ingest: { summary: INGEST_SUMMARY, load: async () => createIngestCommand(deps) } };
    const env = { HF_API_URL: server.url, ARXIV_API_URL: server.url, PAPERBOY_HTTP_TIMEOUT_MS: '2000', PAPERBOY_LOG_LEVEL: 'error', ...opts.env };
    const code = await main(['ingest', ...args], table, env);
    return { code, out, err };
  } finally {
    spy.mockRestore();
  }
}

async function countRows(path: string) {
  const store = await openStore(path);
  try {
    return { papers: await store.papers.count(), listings: (await store.db.selectFrom('listings').select('paper_id').execute()).length };
  } finally {
    await store.close();
  }
}

const SUMMARY = /^(\d+) days?: (\d+) papers read, (\d+) new, (\d+) updated, (\d+) skipped(, \d+ days? failed)? \(\d+\.\d s\)\n$/;

describe('paperboy ingest --file', () => {
  it('loads a .jsonl.gz into the --db file and prints one summary line', async () => {
    const first = await ingest(['--file', SAMPLE_PATH, '--db', dbPath]);
    expect(first).toMatchObject({ code: 0, err: '' });
    const [, days, read, inserted, updated, skipped] = SUMMARY.exec(first.out)!.map(Number);
    expect(days).toBeGreaterThan(1);
    expect(inserted! + updated! + skipped!).toBe(read);
    expect(await countRows(dbPath)).toEqual({ papers: inserted, listings: read });

    const again = await ingest(['--file', SAMPLE_PATH, '--db', dbPath]);
    expect(again.code).toBe(0);
    expect(SUMMARY.exec(again.out)!.slice(2, 5).map(Number)).toEqual([read, 0, read]);
    expect(await countRows(dbPath)).toEqual({ papers: inserted, listings: read });
  });

  it('uses PAPERBOY_DB when --db is not given', async () => {
    const r = await ingest(['--file', SAMPLE_PATH], { env: { PAPERBOY_DB: dbPath } });
    expect(r.code).toBe(0);
    expect(existsSync(dbPath)).toBe(true);
  });

  it('fails with exit 1 and a message on stderr for a missing file', async () => {
    const r = await ingest(['--file', join(tmp, 'nope.jsonl.gz'), '--db', dbPath]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^paperboy ingest: cannot read .*nope\.jsonl\.gz: ENOENT\n$/);
  });

  it('draws a progress bar only when stderr is a terminal, and clears it before the summary', async () => {
    const tty = await ingest(['--file', SAMPLE_PATH, '--db', dbPath], { tty: true });
    expect(tty.err).toMatch(/^\r\[[#-]+\] +\d+% \d+ days, \d+ papers/);
    expect(tty.err.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.out).toMatch(SUMMARY);
    const pipe = await ingest(['--file', SAMPLE_PATH, '--db', join(tmp, 'pipe.db')], { tty: false });
    expect(pipe.err).toBe('');
  });
});

describe('paperboy ingest (fetching)', () => {
  it('fetches one HF day', async () => {
    const r = await ingest(['--date', '2026-08-17', '--db', dbPath]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^1 day: 23 papers read, 23 new, 0 updated, 0 skipped \(/);
  });

  it('ingests the days that worked, reports the one that failed, and exits 1', async () => {
    const r = await ingest(['--from', '2026-08-17', '--to', '2026-08-19', '--db', dbPath]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('paperboy ingest: 2026-08-18 not ingested: HTTP 500 from');
    expect(r.err).toContain('1 day failed. Running the same command again is safe');
    expect(r.out).toMatch(/^2 days: 49 papers read, 49 new, 0 updated, 0 skipped, 1 day failed \(/);
    expect((await countRows(dbPath)).papers).toBe(49);
  });

  it('fetches arXiv by category with --source arxiv', async () => {
    const before = server.requests.length;
    const r = await ingest(['--source', 'arxiv', '--categories', 'cs.LG,cs.CL', '--date', '2026-08-17', '--db', dbPath]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^1 day: 10 papers read, 10 new/);
    const asked = server.requests.slice(before).map((q) => q.query.search_query);
    expect(asked).toEqual(['(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202608170000 TO 202608172359]']);
  });

  it('takes arXiv categories from PAPERBOY_ARXIV_CATEGORIES', async () => {
    const before = server.requests.length;
    const r = await ingest(['--source', 'arxiv', '--date', '2026-08-17', '--db', dbPath], { env: { PAPERBOY_ARXIV_CATEGORIES: 'stat.ML' } });
    expect(r.code).toBe(0);
    expect(server.requests.slice(before).map((q) => q.query.search_query)).toEqual(['cat:stat.ML AND submittedDate:[202608170000 TO 202608172359]']);
  });

  it('never asked the replay server for anything it does not serve', () => {
    expect(server.unmatched).toEqual([]);
  });
});

describe('paperboy ingest usage errors (exit 2)', () => {
  it.each([
    [[], /nothing to ingest/],
    [['--date', '2026-02-30'], /--date must be a date as YYYY-MM-DD/],
    [['--date', '2026-09-01'], /--date 2026-09-01 is in the future/],
    [['--to', '2026-08-18'], /--to needs --from/],
    [['--from', '2026-08-19', '--to', '2026-08-17'], /--from 2026-08-19 is after --to 2026-08-17/],
    [['--date', '2026-08-17', '--from', '2026-08-16'], /either --date D or --from D/],
    [['--date', '2026-08-17', '--source', 'rss'], /--source must be hf or arxiv/],
    [['--date', '2026-08-17', '--source', 'arxiv'], /--source arxiv needs categories/],
    [['--date', '2026-08-17', '--source', 'arxiv', '--categories', 'cs.LG OR all:x'], /is not an arXiv category/],
    [['--date', '2026-08-17', '--categories', 'cs.LG'], /--categories applies to --source arxiv only/],
    [['--file', 'x.jsonl', '--from', '2026-08-17'], /do not go with --file/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j', async (args, message) => {
    const r = await ingest([...args, '--db', dbPath]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).toContain('usage: paperboy ingest');
    expect(existsSync(dbPath)).toBe(false);
  });
});

describe('planIngest', () => {
  const config = loadConfig({ PAPERBOY_ARXIV_CATEGORIES: 'cs.LG, cs.CL' });
  const today = '2026-08-21';

  it('reads --from without --to as "through today"', () => {
    expect(planIngest({ from: '2026-08-19' }, config, today)).toEqual({ mode: 'fetch', source: 'hf', days: ['2026-08-19', '2026-08-20', '2026-08-21'] });
  });

  it('accepts tomorrow (UTC), which is already today east of Greenwich, but not the day after', () => {
    expect(planIngest({ date: '2026-08-22' }, config, today)).toMatchObject({ days: ['2026-08-22'] });
    expect(() => planIngest({ date: '2026-08-23' }, config, today)).toThrow(/in the future/);
  });

  it('takes --date with --file as the day for undated items', () => {
    expect(planIngest({ file: 'old.json', date: '2024-05-27' }, config, today)).toEqual({ mode: 'file', path: 'old.json', fallbackDay: '2024-05-27' });
  });

  it('uses the configured arXiv categories unless --categories is given', () => {
    expect(planIngest({ date: today, source: 'arxiv' }, config, today)).toMatchObject({ categories: ['cs.LG', 'cs.CL'] });
    expect(planIngest({ date: today, source: 'arxiv', categories: 'math.AP' }, config, today)).toMatchObject({ categories: ['math.AP'] });
  });
});
