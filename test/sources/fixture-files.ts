import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A recorded payload from test/fixtures (see the SOURCES.md beside each folder). */
export function fixtureText(rel: string): string {
  return readFileSync(root + rel, 'utf8');
}

export function fixtureJson<T = unknown>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T;
}

export function fixturePath(rel: string): string {
  return root + rel;
}

/** A deep copy, so a test can change a recording without touching the others' copy. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
