import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { checkHealth, type ConnectionState } from '../../src/ops/health.ts';
import { opsRoutes, startOpsServer } from '../../src/ops/http.ts';
import { OpsMetrics } from '../../src/ops/metrics.ts';
import { hfDay } from '../support/core-harness.ts';
import { openTestStore } from '../support/test-store.ts';

/* Issue 11, Operations: what /healthz answers (200, or 503 naming each problem) and what /metrics counts. */

const connection = (platform: string, up: boolean): ConnectionState => ({ platform, connected: () => up });

async function serve(health: () => ReturnType<typeof checkHealth>, metrics: OpsMetrics) {
  const server = await startOpsServer(opsRoutes({ health, metrics: () => metrics.render() }, memoryLogger()), 0, '127.0.0.1');
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };
  return { server, get };
}

describe('/healthz', () => {
  it('is 200 when the store answers and every adapter is connected, 503 naming each problem otherwise', async () => {
    const store = await openTestStore();
    const metrics = new OpsMetrics(store, fixedClock('2026-08-21T12:00:00Z'));
    const adapters = [connection('discord', true), connection('slack', true)];
    let closed = false;
    const { server, get } = await serve(() => checkHealth(store, adapters), metrics);
    try {
      expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
      adapters[0] = connection('discord', false);
      expect(await get('/healthz')).toMatchObject({ status: 503, body: 'discord is not connected\n' });
      await store.close();
      closed = true;
      const down = await get('/healthz');
      expect(down.status).toBe(503);
      expect(down.body.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^the store does not answer \(.+\)$/), 'discord is not connected']);
    } finally {
      await server.close();
      if (!closed) await store.close();
    }
  });
});

describe('/metrics', () => {
  it('counts posts by platform, command latency and polls, and reads disabled channels and due digests from the store', async () => {
    const store = await openTestStore();
    const now = new Date('2026-08-21T12:00:00Z');
    const metrics = new OpsMetrics(store, fixedClock(now.toISOString()));
    const team = await store.teams.ensureTeam({ platform: 'slack', externalId: 'T1' }, now);
    const gone = await store.teams.ensureChannel(team.id, { externalId: 'CGONE' }, now);
    await store.outbox.closeChannel(gone.id, 'channel_not_found', now);
    await store.sources.recordOk('hf', 42, new Date('2026-08-21T11:30:00Z'), new Date('2026-08-21T12:30:00Z'));
    const open = await store.teams.ensureChannel(team.id, { externalId: 'C1' }, now);
    const paper = hfDay('2026-08-21').items[0]!.paper;
    await store.papers.upsertMany([{ paper, listing: null }], now);
    await store.outbox.plan({ channelId: open.id, digestDate: '2026-08-21', slot: '09:00', dueAt: new Date('2026-08-21T09:00:00Z'), kind: 'scheduled', windowFrom: '2026-08-20', windowTo: '2026-08-21', header: true, papers: [{ paperId: paper.id, rank: 1, topics: [] }] }, now);
    metrics.postSettled('discord', true);
    metrics.postSettled('discord', true);
    metrics.postSettled('slack', false);
    metrics.commandFinished('search', 0.2);
    metrics.sourcePolled('hf', 'ok', 42);
    const { server, get } = await serve(() => checkHealth(store, []), metrics);
    try {
      const m = await get('/metrics');
      expect(m.status).toBe(200);
      expect(m.type).toContain('text/plain');
      const lines = m.body.split('\n');
      expect(lines).toContain('paperboy_posts_sent_total{platform="discord"} 2');
      expect(lines).toContain('paperboy_posts_failed_total{platform="slack"} 1');
      expect(lines).toContain('paperboy_command_duration_seconds_count{command="search"} 1');
      expect(lines).toContain('paperboy_command_duration_seconds_bucket{le="0.25",command="search"} 1');
      expect(lines).toContain('paperboy_ingest_polls_total{source="hf",outcome="ok"} 1');
      expect(lines).toContain('paperboy_ingest_papers_total{source="hf"} 42');
      expect(lines).toContain(`paperboy_ingest_last_success_timestamp_seconds{source="hf"} ${Date.parse('2026-08-21T11:30:00Z') / 1000}`);
      expect(lines).toContain('paperboy_ingest_last_papers{source="hf"} 42');
      expect(lines).toContain('paperboy_channels_disabled 1');
      expect(lines).toContain('paperboy_digests_due_unsent 1');
      expect(lines.some((l) => l.startsWith('paperboy_process_cpu_seconds_total'))).toBe(true);
      // The event-loop lag is still sampled (less often than prom-client's default, to spare idle wake-ups).
      expect(lines.some((l) => /^paperboy_nodejs_eventloop_lag_p99_seconds \d/.test(l))).toBe(true);
      expect(lines.filter((l) => l && !l.startsWith('#')).every((l) => l.startsWith('paperboy_'))).toBe(true);
      expect((await get('/elsewhere')).status).toBe(404);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
