import { performance } from 'node:perf_hooks';
import { scriptArgs, usageExit } from '../../src/cli/script-args.ts';
import { PROPERTIES, shareCases } from './properties.ts';

/*
 * `npm run fuzz [-- --cases N] [--seed S] [--only WORD]`: every fuzz property, N cases in all
 * (100,000 by default) shared by weight; prints each property's case count and failure, then
 * a summary; exits 1 when any property failed.
 */

const USAGE = 'npm run fuzz -- [--cases N] [--seed S] [--only WORD]';
const values = scriptArgs('fuzz', { cases: { type: 'string', default: '100000' }, seed: { type: 'string' }, only: { type: 'string' } }, USAGE);
const total = Number(values.cases);
if (!Number.isInteger(total) || total < 1) usageExit('fuzz', `--cases wants a positive whole number, not ${values.cases}`, USAGE);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(seed)) usageExit('fuzz', `--seed wants a whole number, not ${values.seed}`, USAGE);
const props = PROPERTIES.filter((p) => !values.only || p.name.toLowerCase().includes(values.only.toLowerCase()));
const shares = shareCases(total, props);

console.log(`fuzz: ${total.toLocaleString('en-US')} cases over ${props.length} properties, seed ${seed}`);
const started = performance.now();
let ran = 0;
let failed = 0;
for (const [i, p] of props.entries()) {
  const t0 = performance.now();
  const r = await p.check(shares[i]!, seed + i);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  ran += r.cases;
  if (r.skipped) console.log(`  SKIP  ${p.name}: ${r.skipped}`);
  else if (r.failure) {
    failed++;
    console.log(`  FAIL  ${p.name}: ${r.cases.toLocaleString('en-US')} cases, ${secs} s\n${r.failure.replace(/^/gm, '        ')}`);
  } else console.log(`  ok    ${p.name}: ${r.cases.toLocaleString('en-US')} cases, 0 failures, ${secs} s`);
}
const duration = ((performance.now() - started) / 1000).toFixed(1);
console.log(`fuzz: ${ran.toLocaleString('en-US')} cases, ${failed} failing ${failed === 1 ? 'property' : 'properties'}, ${duration} s (seed ${seed})`);
process.exit(failed > 0 ? 1 : 0);
