import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runConsoleSession } from '../../adapters/console/session.ts';
import { DEFAULT_IDENTITY } from '../../adapters/console/identity.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness();
});
afterEach(async () => {
  await h.close();
});

async function session(lines: string[], identity = DEFAULT_IDENTITY): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const done = runConsoleSession({ runtime: h.app.runtime, identity, input, output });
  input.end(lines.join('\n') + '\n');
  await done;
  return text;
}

it('a scripted console session reads like a conversation', async () => {
  const transcript = await session([
    '/papers help',
    '/papers today',
    'search coding agents',
    '/papers show 2608.19799',
    '/papers vote 2608.19799',
    '/papers save 2608.19799 "compare with our harness"',
    '/papers saved',
    '/papers subscribe "coding agents"',
    '/papers schedule 09:00 Europe/Berlin mon-fri',
    '/papers digest',
    '/papers digest post',
    '/papers export',
    '/papers frobnicate',
    'exit',
    '/papers today',
  ]);
  // Every command got an answer, in order, and the session ended at `exit`.
  expect(transcript.match(/^> /gm)).toHaveLength(13);
  expect(transcript).not.toContain('> /papers today\n\n'.repeat(2));
  expect(transcript).toContain('== Papers of 2026-08-21 ==');
  expect(transcript).toContain('1. EnvHarness: Awakening Static Worlds for Agent Learning [2608.19880]');
  expect(transcript).toContain('Upvoted 2608.19799 (1 team vote).');
  expect(transcript).toContain('Note: compare with our harness');
  expect(transcript).toContain('Digest scheduled at 09:00 Europe/Berlin, Mon–Fri. Next: Mon 24 Aug, 09:00 Europe/Berlin.');
  expect(transcript).toContain('Posted 2 papers here.');
  expect(transcript).toMatch(/--- paperboy-saved\.bib ---\n@misc\{/);
  expect(transcript).toContain("I don't know `/papers frobnicate`.");
  expect(transcript).not.toMatch(/SqliteError|TypeError|at .*\.ts:\d+/);
  // The whole transcript is kept beside the test: a reviewer can read what a user sees.
  await expect(transcript).toMatchFileSnapshot('./transcript.snap.txt');
});

it('a member is told politely what they may not do', async () => {
  const transcript = await session(['/papers pause'], { ...DEFAULT_IDENTITY, manager: false, user: 'guest' });
  expect(transcript).toContain('Sorry, `/papers pause` changes this channel for everyone, so it needs the manager role');
});
