import { describe, expect, it } from 'vitest';
import { PROPERTIES, shareCases } from './properties.ts';

/**
 * The fuzz properties at a small count, so `npm test` keeps them honest; `npm run fuzz` runs
 * 100,000 cases (test/fuzz/main.ts). A fixed seed: a failure here reproduces.
 */
const CASES = Number(process.env.PAPERBOY_FUZZ_CASES ?? 3_000);
const shares = shareCases(CASES);

describe(`fuzz: ${CASES} cases over ${PROPERTIES.length} properties`, () => {
  PROPERTIES.forEach((p, i) => {
    it(p.name, { timeout: 60_000 }, async () => {
      const r = await p.check(shares[i]!, 20261129 + i);
      if (r.skipped) return console.warn(`fuzz: ${p.name} skipped: ${r.skipped}`);
      expect(r.failure).toBeNull();
      expect(r.cases).toBe(shares[i]);
    });
  });
});
