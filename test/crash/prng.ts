/** A small seeded PRNG (mulberry32): the same seed makes the same choices, so a failing trial replays. */
export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), chance: (p) => next() < p };
}

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
