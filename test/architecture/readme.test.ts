import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { cliTable } from '../../adapters/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** The README is the first thing a user reads: it must not drift from the code. */
describe('README', () => {
  it('lists every /papers command', () => {
    for (const c of commands) expect(readme, c.name).toContain(`\`/papers ${c.name}`);
  });

  it('documents every environment variable the configuration reads', () => {
    const config = readFileSync(resolve(ROOT, 'src/config.ts'), 'utf8');
    const names = [...config.matchAll(/^\s+([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(readme, name).toContain(`\`${name}\``);
  });

  it('shows every CLI command', () => {
    for (const name of Object.keys(cliTable)) expect(readme, name).toContain(`npx paperboy ${name}`);
  });

  it('gives the two commands: npm install + npm start, and npm test (which .ci/run calls)', () => {
    expect(readme).toContain('npm install\nnpm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(resolve(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
