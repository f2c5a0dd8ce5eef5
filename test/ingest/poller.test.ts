import { afterEach, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.ts';
import { SourcePoller, type PolledSource } from '../../src/ingest/poller.ts';
import { polledSources } from '../../src/ingest/sources.ts';
import { memoryLogger } from '../../src/logger.ts';
import { startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { fixtureText } from '../sources/fixture-files.ts';
import { openTestStore } from '../support/test-store.ts';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const atom = { headers: { 'content-type': 'application/atom+xml' } };

it('polls HF for today and yesterday and the configured arXiv categories\' announcements, every interval, backing off a failing source alone', async () => {
  server = await startReplayServer([
    { path: '/api/daily_papers', body: fixtureText('hf/daily_papers_2026-08-21.json'), headers: { 'content-type': 'application/json' } },
    { path: '/rss/cs.LG+cs.CL', body: fixtureText('arxiv/rss_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_trimmed.xml'), headers: { 'content-type': 'application/rss+xml' } },
  ]);
  const clock = fixedClock('2026-08-21T08:00:00Z');
  const logger = memoryLogger();
  const store = await openTestStore();
  const sources = polledSources({ hfBaseUrl: server.url, arxivBaseUrl: server.url, arxivRssUrl: server.url, arxivCategories: ['cs.LG', 'cs.CL'], timeoutMs: 2000, pollIntervalMs: 30 * 60_000 }, logger);
  const poller = new SourcePoller({ store, sources, clock, logger, settings: { intervalMs: 30 * 60_000, retryBaseMs: 60_000 } });
  await poller.pollDue();

  // arXiv: one announcement feed for all the categories; its API is for backfills only.
  expect(server.requests.filter((r) => r.path.startsWith('/rss/')).map((r) => r.path)).toEqual(['/rss/cs.LG+cs.CL']);
  expect(server.requests.filter((r) => r.path === '/api/query')).toEqual([]);
  expect(server.requests.filter((r) => r.path === '/api/daily_papers').map((r) => r.query.date)).toEqual(['2026-08-20', '2026-08-21']);
  expect((await store.sources.get('hf'))?.failures).toBe(0);
  expect((await store.sources.get('arxiv'))?.lastItems).toBeGreaterThan(0);
  expect(await poller.readyFor()).toBe(true);

  // Within the interval nothing is asked again.
  clock.advance(10 * 60_000);
  const before = server.requests.length;
  await poller.pollDue();
  expect(server.requests.length).toBe(before);

  // arXiv fails: it backs off on its own schedule, HF keeps its interval, and digests wait.
  server.route({ path: '/rss/cs.LG+cs.CL', status: 503, body: 'down', headers: { 'content-type': 'text/plain' } });
  clock.advance(21 * 60_000);
  await poller.pollDue();
  const arxiv = await store.sources.get('arxiv');
  expect(arxiv?.failures).toBe(1);
  expect(new Date(arxiv!.nextPollAt!).getTime() - clock.now().getTime()).toBeLessThanOrEqual(2 * 60_000 * 1.2);
  expect((await store.sources.get('hf'))?.failures).toBe(0);
  expect(await poller.readyFor()).toBe(false);
  await store.close();
}, 30_000);

it('several instances ticking at once poll each source once per interval; one that died mid-poll is covered after its claim runs out', async () => {
  const clock = fixedClock('2026-08-21T08:00:00Z');
  const logger = memoryLogger();
  const store = await openTestStore();
  const fetched: string[] = [];
  let hang = false;
  const source: PolledSource = {
    name: 'hf',
    fetchDay: async (day) => {
      fetched.push(day);
      if (hang) return new Promise<never>(() => undefined); // this instance dies here
      await new Promise((r) => setTimeout(r, 20));
      return { ok: true, value: { items: [], skipped: 0, warnings: [] } };
    },
  };
  const settings = { intervalMs: 30 * 60_000, retryBaseMs: 60_000, claimMs: 5 * 60_000 };
  const instances = [1, 2, 3].map(() => new SourcePoller({ store, sources: [source], clock, logger, settings }));

  await Promise.all(instances.map((p) => p.pollDue()));
  expect(fetched).toEqual(['2026-08-20', '2026-08-21']);
  for (const p of instances) await p.pollDue();
  expect(fetched).toHaveLength(2);

  // Next interval: the first instance to look claims the poll and dies in it.
  clock.advance(30 * 60_000);
  hang = true;
  void instances[0]!.pollDue();
  await new Promise((r) => setTimeout(r, 50));
  hang = false;
  await Promise.all(instances.slice(1).map((p) => p.pollDue()));
  expect(fetched).toHaveLength(3); // the others see it claimed
  clock.advance(5 * 60_000);
  await Promise.all(instances.slice(1).map((p) => p.pollDue()));
  expect(fetched).toHaveLength(5); // claim ran out: one of them polls both days
  expect((await store.sources.get('hf'))?.lastOkAt).toBe(clock.now().toISOString());
  await store.close();
});
