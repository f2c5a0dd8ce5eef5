import { readFileSync } from 'node:fs';
import { commands } from '../../commands/index.ts';
import { ConsolePoster } from '../../adapters/console/poster.ts';
import { DEFAULT_IDENTITY, type ConsoleIdentity } from '../../adapters/console/identity.ts';
import { runLine } from '../../adapters/console/run-line.ts';
import { openApp, type App } from '../../src/app.ts';
import type { Reply } from '../../src/commands/types.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import type { ChannelLimits } from '../../src/domain/limits.ts';
import { memoryLogger } from '../../src/logger.ts';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';
import { openTestStore } from './test-store.ts';

export const HF_FIXTURE_DAYS = ['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'] as const;

/** The recorded HF day, parsed (no network, no store). */
export function hfDay(day: string) {
  const json: unknown = JSON.parse(readFileSync(new URL(`../fixtures/hf/daily_papers_${day}.json`, import.meta.url), 'utf8'));
  return parseHfDailyPapers(json, day);
}

export interface CoreHarness {
  app: App;
  clock: ReturnType<typeof fixedClock>;
  logger: ReturnType<typeof memoryLogger>;
  posted: string[];
  /** Runs a line as typed in the console, as `who` (default: the local manager). */
  say(line: string, who?: Partial<ConsoleIdentity>): Promise<Reply>;
  close(): Promise<void>;
}

/** A real in-memory store with the recorded HF days ingested, the real commands, a fixed clock. */
export async function coreHarness(opts: { now?: string; days?: readonly string[]; publicUrl?: string; limits?: ChannelLimits } = {}): Promise<CoreHarness> {
  const clock = fixedClock(opts.now ?? '2026-08-21T12:00:00Z');
  const logger = memoryLogger();
  const store = await openTestStore();
  for (const day of opts.days ?? HF_FIXTURE_DAYS) await store.papers.upsertMany(hfDay(day).items, clock.now());
  const app = await openApp({ dbPath: ':memory:', clock, logger, commands, store, ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}), ...(opts.limits ? { limits: opts.limits } : {}) });
  const posted: string[] = [];
  app.posters.register(new ConsolePoster((t) => posted.push(t)));
  return {
    app,
    clock,
    logger,
    posted,
    say: (line, who = {}) => runLine(line, { ...DEFAULT_IDENTITY, ...who }, app.runtime),
    close: () => app.close(),
  };
}
