import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';

/*
 * Issue 9: SQLite stays one bot process. A second `paperboy start` on the same file refuses,
 * naming the running one; a bot killed with SIGKILL leaves nothing that blocks the next start;
 * the CLI keeps working beside a running bot. Real processes, as a person would start them.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/paperboy.js');
/** Nothing listens there: the first run falls back to the bundled sample at once, the poller fails fast. */
const NOWHERE = 'http://127.0.0.1:9';

let dir: string;
let db: string;
const started: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

function paperboy(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PAPERBOY_DB: db, PAPERBOY_LOG_LEVEL: 'error', HF_API_URL: NOWHERE, ARXIV_API_URL: NOWHERE },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** A console bot (no platform tokens), running once it has greeted the terminal. */
async function startBot(): Promise<Run> {
  const bot = paperboy(['start', '--team', 'lab']);
  const deadline = Date.now() + 60_000;
  while (!bot.out().includes('Paperboy console:')) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited (${bot.child.exitCode}):\n${bot.err()}`);
    if (Date.now() > deadline) throw new Error(`the bot did not start:\n${bot.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return bot;
}

async function instancePids(): Promise<number[]> {
  const store = await openStore(db);
  try {
    return (await store.instances.all()).map((i) => i.pid);
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-single-bot-'));
  db = join(dir, 'paperboy.db');
});
afterEach(async () => {
  for (const c of started.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one bot per SQLite file', () => {
  it('a second start refuses, naming the running bot; the CLI works beside it; after a SIGKILL a new start runs', async () => {
    const first = await startBot();
    expect(await instancePids()).toEqual([first.child.pid]);

    const second = paperboy(['start', '--team', 'lab']);
    expect(await second.exited).toBe(1);
    expect(second.err()).toContain(`another Paperboy bot is already running on ${db}: pid ${first.child.pid} on host ${hostname()}`);
    expect(second.err()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(second.out()).not.toContain('Paperboy console:');

    const search = paperboy(['search', 'agents', '--json', '--limit', '1']);
    expect(await search.exited).toBe(0);
    expect((JSON.parse(search.out()) as unknown[]).length).toBe(1);

    first.child.kill('SIGKILL');
    await first.exited;
    const third = await startBot();
    // The dead bot's registration is gone: only the running one is named from now on.
    expect(await instancePids()).toEqual([third.child.pid]);

    // A clean exit lets go too.
    third.child.stdin!.end('exit\n');
    expect(await third.exited).toBe(0);
    expect(await instancePids()).toEqual([]);
    const fourth = await startBot();
    expect(await instancePids()).toEqual([fourth.child.pid]);
  }, 180_000);
});
