import { commands } from '../../commands/index.ts';
import { openApp, type App } from '../../src/app.ts';
import { runCommand } from '../../src/commands/dispatch.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import type { SourceHealth } from '../../src/delivery/engine.ts';
import type { IngestItem } from '../../src/domain/paper.ts';
import { memoryLogger } from '../../src/logger.ts';
import { RecordingPoster } from '../support/recording-poster.ts';
import { hfDay } from '../support/core-harness.ts';
import { openTestStore } from '../support/test-store.ts';

export interface DeliveryHarness {
  app: App;
  clock: ReturnType<typeof fixedClock>;
  poster: RecordingPoster;
  health: { ready: boolean } & SourceHealth;
  logger: ReturnType<typeof memoryLogger>;
  /** A console channel opted in with this schedule (times, zone, weekdays as typed). */
  channel(name: string, schedule?: string): Promise<number>;
  /** Runs `/papers schedule` (times, zone, weekdays as typed) in the channel; returns the reply. */
  schedule(name: string, schedule: string): Promise<string>;
  /** Lists the recorded HF papers of `fixtureDay` as if HF had listed them on `asDay`. */
  list(fixtureDay: string, asDay: string): Promise<void>;
  /** Ticks every minute from now until `iso` (inclusive), as the cron job would. */
  tickUntil(iso: string, stepMinutes?: number): Promise<void>;
  digests(channelId: number): Promise<Array<{ digest_date: string; slot: string; kind: string; due_at: string; created_at: string; paper_count: number }>>;
  close(): Promise<void>;
}

export async function deliveryHarness(now: string): Promise<DeliveryHarness> {
  const clock = fixedClock(now);
  const logger = memoryLogger();
  const store = await openTestStore();
  const health = { ready: true, readyFor: async () => health.ready };
  const app = await openApp({ dbPath: ':memory:', store, clock, logger, commands, health, delivery: { retryBaseMs: 1000, retryMaxMs: 8000 } });
  const poster = new RecordingPoster('console');
  app.posters.register(poster);
  const team = await store.teams.ensureTeam({ platform: 'console', externalId: 'lab' }, clock.now());
  const h: DeliveryHarness = {
    app,
    clock,
    poster,
    health,
    logger,
    async channel(name, schedule) {
      const ch = await store.teams.ensureChannel(team.id, { externalId: name }, clock.now());
      if (schedule) await h.schedule(name, schedule);
      else await store.teams.activate(ch.id, clock.now());
      return ch.id;
    },
    async schedule(name, schedule) {
      const [times, timezone, weekdays] = schedule.split(' ');
      const r = await runCommand(
        {
          command: 'schedule',
          options: { times, timezone, weekdays },
          team: { platform: 'console', externalId: 'lab' },
          channel: { externalId: name },
          user: { id: 'admin', isManager: () => true },
          managerRequirement: 'a manager',
        },
        app.runtime,
      );
      if (r.error) throw new Error(r.text);
      return r.text;
    },
    async list(fixtureDay, asDay) {
      const items: IngestItem[] = hfDay(fixtureDay).items.map((it) => ({ ...it, listing: { ...it.listing!, day: asDay } }));
      await store.papers.upsertMany(items, clock.now());
    },
    async tickUntil(iso, stepMinutes = 1) {
      const end = new Date(iso).getTime();
      while (clock.now().getTime() < end) {
        clock.advance(stepMinutes * 60_000);
        await app.delivery.tick();
      }
    },
    digests: (channelId) =>
      store.db.selectFrom('digests').select(['digest_date', 'slot', 'kind', 'due_at', 'created_at', 'paper_count']).where('channel_id', '=', channelId).orderBy('id').execute(),
    close: () => app.close(),
  };
  return h;
}
