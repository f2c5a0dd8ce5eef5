import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePapers } from '../../src/ingest/first-run.ts';
import { HfClient, parseHfDailyPapers } from '../../src/sources/hf.ts';
import { type Store } from '../../src/store/store.ts';
import { JSON_HEADERS, startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { fixtureText } from '../sources/fixture-files.ts';
import { openTestStore } from '../support/test-store.ts';

let store: Store;
let server: ReplayServer | undefined;
const said: string[] = [];
const say = (line: string) => said.push(line);
const now = () => new Date('2026-08-18T10:00:00Z');

beforeEach(async () => {
  store = await openTestStore();
  said.length = 0;
});
afterEach(async () => {
  await store.close();
  await server?.close();
  server = undefined;
});

const hfAt = (url: string) => new HfClient({ baseUrl: url, timeoutMs: 1000 });

describe('ensurePapers', () => {
  it('does nothing when the store already has papers', async () => {
    const { items } = parseHfDailyPapers(JSON.parse(fixtureText('hf/daily_papers_2026-08-17.json')), '2026-08-17');
    await store.papers.upsertMany(items, now());
    const asked: string[] = [];
    const outcome = await ensurePapers({ store, fetchHfDay: async (d) => (asked.push(d), { ok: true, value: { items: [], skipped: 0, warnings: [] } }), now, say });
    expect(outcome).toEqual({ kind: 'had-papers', papers: items.length });
    expect(asked).toEqual([]);
    expect(said).toEqual([]);
  });

  it('with no network, says so in one line and loads the bundled sample', async () => {
    const closed = await startReplayServer();
    const url = closed.url;
    await closed.close();
    const outcome = await ensurePapers({ store, fetchHfDay: (d) => hfAt(url).fetchDay(d), now, say });
    expect(outcome.kind).toBe('sample');
    if (outcome.kind !== 'sample') return;
    expect(outcome.counts.inserted).toBeGreaterThan(100);
    expect(await store.papers.count()).toBe(outcome.counts.inserted);
    expect(await store.papers.listedOn(outcome.counts.lastDay!)).not.toEqual([]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^No network: could not reach 127\.0\.0\.1:\d+: showing a bundled sample instead, \d+ papers from \d+ recorded days \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)\.$/);
    expect(said[0]).not.toContain('\n');
  });

  it('when Hugging Face answers with errors, says that instead and still loads the sample', async () => {
    server = await startReplayServer([{ path: '/api/daily_papers', status: 503, body: 'Service Unavailable' }]);
    const outcome = await ensurePapers({ store, fetchHfDay: (d) => hfAt(server!.url).fetchDay(d), now, say });
    expect(outcome.kind).toBe('sample');
    expect(said[0]).toMatch(/^Hugging Face is not answering properly \(HTTP 503/);
    expect(server.requests).toHaveLength(1); // no point trying six more days
  });

  it('fetches the latest day Hugging Face has papers for, looking back past an empty day', async () => {
    server = await startReplayServer([
      { path: '/api/daily_papers', query: { date: '2026-08-18' }, headers: JSON_HEADERS, body: '[]' },
      { path: '/api/daily_papers', query: { date: '2026-08-17' }, headers: JSON_HEADERS, body: fixtureText('hf/daily_papers_2026-08-17.json') },
    ]);
    const outcome = await ensurePapers({ store, fetchHfDay: (d) => hfAt(server!.url).fetchDay(d), now, say });
    expect(outcome).toMatchObject({ kind: 'fetched', day: '2026-08-17' });
    expect(server.requests.map((r) => r.query.date)).toEqual(['2026-08-18', '2026-08-17']);
    expect(server.unmatched).toEqual([]);
    expect(await store.papers.listedOn('2026-08-17')).toHaveLength(23);
    expect(said).toEqual(['The database was empty: fetched 23 papers that Hugging Face listed on 2026-08-17.']);
  });
});
