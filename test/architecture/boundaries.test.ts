import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PLATFORM_SDKS = /^(discord\.js|@discordjs\/|@slack\/|ws$)/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

/** Imports that leave the allowed folders, or reach a platform SDK. */
function offenders(folder: string, allowed: string[]): string[] {
  return tsFiles(join(ROOT, folder)).flatMap((f) =>
    imports(f)
      .filter((spec) => {
        if (PLATFORM_SDKS.test(spec)) return true;
        if (!spec.startsWith('.')) return false;
        const target = resolve(f, '..', spec);
        return !allowed.some((dir) => target.startsWith(join(ROOT, dir) + '/'));
      })
      .map((spec) => `${relative(ROOT, f)} -> ${spec}`),
  );
}

/** Layers point one way: adapters -> commands -> src. The core never sees a platform SDK. */
describe('layer boundaries', () => {
  it('src/ imports no platform SDK, no adapter and no command', () => {
    expect(offenders('src', ['src'])).toEqual([]);
  });

  it('commands/ import only src/ (and each other)', () => {
    expect(offenders('commands', ['src', 'commands'])).toEqual([]);
  });

  it('notices a violation (the check itself works)', () => {
    expect(offenders('adapters', ['src', 'commands']).length).toBeGreaterThan(0);
  });
});
