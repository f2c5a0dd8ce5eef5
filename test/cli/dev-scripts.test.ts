import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm run bench|eval|fuzz` with a wrong flag: what is wrong and how to call it, exit 2, no stack trace. */
function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [`bin/paperboy-${script}.js`, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('developer scripts', () => {
  it.each(['bench', 'eval', 'fuzz'])('%s --help prints its usage and exits 0', (script) => {
    const r = run(script, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage: npm run ${script} -- \\[--`));
  });

  it.each([
    ['bench', ['--bogus'], "Unknown option '--bogus'"],
    ['bench', ['--only', 'nope'], '--only: unknown section nope'],
    ['bench', ['--tuning', '{oops'], '--tuning wants a JSON object'],
    ['eval', ['--sample', '0'], '--sample wants a positive whole number'],
    ['fuzz', ['--cases', 'many'], '--cases wants a positive whole number, not many'],
  ])('%s %j says what is wrong, with the usage, and exits 2', (script, args, problem) => {
    const r = run(script, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${script}: ${problem}`);
    expect(r.err).toContain(`usage: npm run ${script} --`);
    expect(r.err).not.toMatch(/\n\s+at /);
  }, 60_000);
});
