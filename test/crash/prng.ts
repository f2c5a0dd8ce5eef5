export { seededRng, type Rng } from '../../bench/lib/prng.ts';

/**
 * Seeds for a suite's trials: the ones listed in `variable` (comma-separated, to replay a
 * failure), else `count` fresh ones, so every run explores new points.
 */
export function trialSeeds(variable: string, count: number, env: Record<string, string | undefined> = process.env): number[] {
  const listed = env[variable]?.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n));
  if (listed && listed.length > 0) return listed;
  const base = Math.floor(Math.random() * 1e9);
  return Array.from({ length: count }, (_, i) => base + i);
}
