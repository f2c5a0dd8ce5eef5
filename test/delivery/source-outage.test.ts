import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { openApp } from '../../src/app.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { SourcePoller } from '../../src/ingest/poller.ts';
import { polledSources } from '../../src/ingest/sources.ts';
import { memoryLogger } from '../../src/logger.ts';
import { RecordingPoster } from '../support/recording-poster.ts';
import { startReplayServer, type ReplayServer } from '../support/replay-server.ts';
import { openTestStore } from '../support/test-store.ts';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const day21 = readFileSync(new URL('../fixtures/hf/daily_papers_2026-08-21.json', import.meta.url), 'utf8');

/**
 * HF goes down, answers garbage, then an empty list, through the morning of a digest: the
 * poller retries with backoff and never throws, the digest waits rather than go out empty,
 * and it is posted once HF answers with papers.
 */
it('a source outage during the day delays the digest; it never goes out empty because of it', async () => {
  server = await startReplayServer();
  const phase = { now: 'down' as 'down' | 'garbage' | 'empty' | 'up' };
  const hf = (status: number, body: string, type = 'application/json') => ({ status, body, headers: { 'content-type': type } });
  const answer = () =>
    phase.now === 'down' ? hf(503, 'Service Unavailable', 'text/plain') : phase.now === 'garbage' ? hf(200, '<html>oops</html>', 'text/html') : phase.now === 'empty' ? hf(200, '[]') : hf(200, day21);
  // One route per phase, swapped in as the morning goes on.
  const setPhase = (p: typeof phase.now) => {
    phase.now = p;
    server!.route({ path: '/api/daily_papers', ...answer() });
  };
  setPhase('down');

  const clock = fixedClock('2026-08-21T08:00:00Z');
  const logger = memoryLogger();
  const store = await openTestStore();
  const sources = polledSources({ hfBaseUrl: server.url, arxivBaseUrl: server.url, arxivCategories: [], timeoutMs: 2000, pollIntervalMs: 30 * 60_000 }, logger);
  const poller = new SourcePoller({ store, sources, clock, logger, settings: { intervalMs: 30 * 60_000, retryBaseMs: 60_000 } });
  const app = await openApp({ dbPath: ':memory:', store, clock, logger, commands, health: poller });
  const poster = new RecordingPoster();
  app.posters.register(poster);
  const team = await store.teams.ensureTeam({ platform: 'console', externalId: 'lab' }, clock.now());
  const channel = await store.teams.ensureChannel(team.id, { externalId: 'ml' }, clock.now());
  await store.teams.activate(channel.id, clock.now());
  await store.schedules.set(channel.id, { times: ['09:00'], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5] }, clock.now());

  const tickUntil = async (iso: string) => {
    while (clock.now() < new Date(iso)) {
      clock.advance(60_000);
      await poller.pollDue();
      await app.delivery.tick();
    }
  };

  await tickUntil('2026-08-21T09:30:00Z');
  setPhase('garbage');
  await tickUntil('2026-08-21T10:00:00Z');
  setPhase('empty'); // HF answers, but has listed nothing yet
  await tickUntil('2026-08-21T10:30:00Z');
  const beforePapers = await store.db.selectFrom('digests').selectAll().execute();
  const pollsWhileFailing = server.requests.length;

  setPhase('up');
  await tickUntil('2026-08-21T12:00:00Z');

  // While down or garbled, the poller backed off (1, 2, 4... minutes) rather than hammer HF.
  expect(pollsWhileFailing).toBeGreaterThan(3);
  expect(pollsWhileFailing).toBeLessThan(40);
  expect(logger.entries.some((e) => e.msg === 'paper source failed; will retry')).toBe(true);
  // Down, garbled or empty, HF never let a digest be recorded empty; once it answered with
  // papers, the digest went out once, with them.
  expect(beforePapers).toEqual([]);
  const digests = await store.db.selectFrom('digests').selectAll().execute();
  expect(digests.map((d) => [d.digest_date, d.slot, d.paper_count])).toEqual([['2026-08-21', '09:00', 5]]);
  expect(poster.papersIn('ml')).toHaveLength(5);
  expect(poster.headersIn('ml')).toHaveLength(1);
  await app.close();
});
