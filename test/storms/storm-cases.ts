import { afterEach, expect, it } from 'vitest';
import { seededRng, trialSeeds } from '../crash/prng.ts';
import type { WorldSize } from '../crash/world.ts';
import { startStormWorld, weatherStorm, type StormWorld } from './storm-world.ts';

/**
 * Issue 5, "Storms", for one platform's channels: 3 posts in 10 answered 429 with Retry-After,
 * bursts of 5xx on any call (some after the post was made). Counted on the fakes, every
 * digest lands once: one header, each planned paper once, nothing else. Seeds are printed;
 * replay with PAPERBOY_STORM_SEEDS=<seed>.
 */
export function stormCases(platform: string, size: WorldSize, trials = 2): void {
  let w: StormWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it.each(trialSeeds('PAPERBOY_STORM_SEEDS', trials))(`${platform}, seed %i: 3 posts in 10 rate limited, 5xx bursts: every digest lands once`, async (seed) => {
    console.log(`${platform} storm seed ${seed} (replay: PAPERBOY_STORM_SEEDS=${seed} npx vitest run test/storms)`);
    w = await startStormWorld(size);
    const { counts, ticks, posts, problems } = await weatherStorm(w, seededRng(seed));
    console.log(`${platform} storm seed ${seed}: ${posts} post requests, ${JSON.stringify(counts)}, ${ticks} ticks`);
    expect(problems.slice(0, 20), `seed ${seed}: ${problems.length} problems`).toEqual([]);
    // The storm really blew: posts were refused, and 5xx came, one at least hiding a post that was made.
    expect(counts.rateLimited).toBeGreaterThan(0);
    expect(counts.afterEffect).toBeGreaterThan(0);
    // Nothing was given up on: no channel disabled, nothing failed.
    expect(await w.app.store.teams.deliverableChannels()).toHaveLength(size.discordChannels + size.slackChannels);
    expect(Object.keys(await w.app.store.outbox.countByState())).toEqual(['sent']);
    w.discord.assertNoUnmatched();
    w.slack.assertClean();
  }, 60_000);
}
