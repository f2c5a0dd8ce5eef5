import { addDays } from '../../src/domain/clock.ts';
import { planDigest } from '../../src/digest/plan.ts';
import { silentLogger } from '../../src/logger.ts';
import { teamTaste } from '../../src/relevance/taste.ts';
import type { Store } from '../../src/store/store.ts';
import type { Rng } from './prng.ts';
import { percentiles, type Percentiles } from './stats.ts';

export interface TasteFigure {
  positives: number;
  delivered: number;
  /** Examples the model was fitted on (positives, delivered and listed-beside negatives). */
  examples: number;
  /** teamTaste() when the signals changed: read signals and vectors, fit, store. */
  fitMs: number;
  /** The same in CPU time of this process (the machine may be shared: wall time then says little). */
  fitCpuMs: number;
  /** teamTaste() when they did not: read signals, load the stored model. */
  reuseMs: number;
  /** A 3-day digest plan of a channel following everything, without and with taste (model reused). */
  planWithout: Percentiles;
  planWith: Percentiles;
  candidates: number;
}

const PLATFORM = 'bench-taste';

/**
 * A synthetic team per size: `positives` papers voted for (random papers of the last year) and
 * `delivered` papers posted to its channel and left untouched. Its rows are removed afterwards
 * (teams cascade to votes, channels, deliveries and the model), so the cached store stays as built.
 */
export async function measureTaste(store: Store, rng: Rng, sizes: ReadonlyArray<{ positives: number; delivered: number }>, lastDay: string): Promise<TasteFigure[]> {
  await store.db.deleteFrom('teams').where('platform', '=', PLATFORM).execute();
  const yearAgo = addDays(lastDay, -365);
  const pool = (await store.papers.listedBetween(yearAgo, lastDay)).map((l) => l.paperId);
  const figures: TasteFigure[] = [];
  const now = new Date(`${lastDay}T12:00:00Z`);
  for (const size of sizes) {
    const team = await store.teams.ensureTeam({ platform: PLATFORM, externalId: `t${size.positives}` }, now);
    const channel = await store.teams.ensureChannel(team.id, { externalId: 'c' }, now);
    const picked = new Set<string>();
    while (picked.size < Math.min(pool.length, size.positives + size.delivered)) picked.add(pool[rng.int(pool.length)]!);
    const ids = [...picked];
    for (const id of ids.slice(0, size.positives)) await store.votes.set(team.id, 'u1', id, true, now);
    await store.db.transaction().execute(async (trx) => {
      for (const [i, id] of ids.slice(size.positives).entries()) {
        await trx
          .insertInto('deliveries')
          .values({ channel_id: channel.id, digest_date: addDays(lastDay, -(i % 365)), paper_id: id, rank: 1, state: 'sent', message_id: `m${i}`, created_at: now.toISOString(), updated_at: now.toISOString() })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
    await store.vectors.stats(); // loaded once per ingest in a running bot: not a fit's cost
    const cpu0 = process.cpuUsage();
    let t0 = performance.now();
    const taste = await teamTaste(store, team.id, now);
    const fitMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const fitCpuMs = (cpu.user + cpu.system) / 1000;
    t0 = performance.now();
    await teamTaste(store, team.id, now);
    const reuseMs = performance.now() - t0;
    const plan = (taste: boolean) => planDigest(store, { id: channel.id, teamId: team.id, maxPapers: 5 }, lastDay, null, silentLogger, { taste });
    const without: number[] = [];
    const withTaste: number[] = [];
    let candidates = 0;
    for (let i = 0; i < 6; i++) {
      for (const [on, samples] of [[false, without], [true, withTaste]] as const) {
        const t = performance.now();
        const p = await plan(on);
        if (i > 0) samples.push(performance.now() - t); // the first is a warm-up
        candidates = p.picked.length + p.cut.length;
      }
    }
    figures.push({
      positives: size.positives,
      delivered: size.delivered,
      examples: (taste.model?.positives ?? 0) + (taste.model?.negatives ?? 0),
      fitMs,
      fitCpuMs,
      reuseMs,
      planWithout: percentiles(without),
      planWith: percentiles(withTaste),
      candidates,
    });
  }
  await store.db.deleteFrom('teams').where('platform', '=', PLATFORM).execute();
  return figures;
}
