import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/paperboy.js');
const SAMPLE = join(ROOT, 'data/sample/hf-daily-sample.jsonl.gz');

let dir: string;
let db: string;

/** Runs the real CLI, as other tools do, and returns what it printed and its exit code. */
async function paperboy(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, PAPERBOY_DB: db, PAPERBOY_LOG_LEVEL: 'error', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
  db = join(dir, 'paperboy.db');
  const r = await paperboy(['ingest', '--file', SAMPLE]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^20 days: 570 papers read, 569 new, 1 updated, 0 skipped \(\d+\.\d s\)\n$/);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paperboy CLI', () => {
  it('search --json prints a JSON array, best first, with id and title', async () => {
    const r = await paperboy(['search', 'TUA-Bench: A Benchmark for General-Purpose Terminal-Use Agents', '--json', '--limit', '3']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; title: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(3);
    expect(rows[0]).toMatchObject({ id: '2606.28480', title: 'TUA-Bench: A Benchmark for General-Purpose Terminal-Use Agents' });
  });

  it('--db overrides PAPERBOY_DB', async () => {
    const r = await paperboy(['search', 'agents', '--json', '--db', join(dir, 'empty.db')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it("feed prints a channel's Atom feed, under the URL /papers feed gives", async () => {
    // The sample's days are long past, so this channel has posted nothing: a valid, empty feed (test/feeds covers entries).
    const r = await paperboy(['feed', '--channel', 'feedtest', '--team', 'lab'], { PAPERBOY_PUBLIC_URL: 'https://bot.example.org' });
    expect(r.code).toBe(0);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'entry' }).parse(r.stdout).feed;
    expect(feed.title).toBe('Paperboy: #feedtest');
    expect(feed.link['@_href']).toMatch(/^https:\/\/bot\.example\.org\/feeds\/[\w-]{32}\.atom$/);
    expect(feed.entry).toBeUndefined();
    // The URL the command gives is the feed's own.
    const shown = await paperboy(['run', '/papers feed', '--team', 'lab', '--channel', 'feedtest'], { PAPERBOY_PUBLIC_URL: 'https://bot.example.org' });
    expect(shown.stdout).toContain(feed.link['@_href']);
    const missing = await paperboy(['feed', '--channel', 'C404', '--platform', 'slack', '--team', 'T1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no slack channel C404 in team T1');
    expect((await paperboy(['feed'])).code).toBe(2);
  });

  it('run executes one /papers command as a console user and prints the reply', async () => {
    const r = await paperboy(['run', '/papers today 2026-06-30', '--team', 'lab', '--channel', 'ml', '--user', 'ada']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('== Papers of 2026-06-30 ==');
    expect(r.stdout).toContain('1. LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing [2606.26740]');
  });

  it('state persists between runs, per team', async () => {
    expect((await paperboy(['run', '/papers save 2606.26740 for the reading group', '--team', 'lab', '--user', 'ada'])).code).toBe(0);
    const saved = await paperboy(['run', '/papers saved', '--team', 'lab', '--user', 'ada']);
    expect(saved.stdout).toContain('Note: for the reading group');
    const other = await paperboy(['run', '/papers saved team', '--team', 'other']);
    expect(other.stdout).toContain('Nobody in this team has saved a paper yet.');
  });

  it('digest --json shows what a channel would get', async () => {
    await paperboy(['run', '/papers subscribe agents', '--team', 'lab', '--channel', 'agents']);
    const r = await paperboy(['digest', '--team', 'lab', '--channel', 'agents', '--date', '2026-06-30', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { digestDate: string; from: string; papers: Array<{ rank: number; id: string; topics: string[] }> };
    expect(plan).toMatchObject({ digestDate: '2026-06-30', from: '2026-06-27' });
    expect(plan.papers.length).toBe(5);
    expect(plan.papers.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(plan.papers.every((p) => p.topics.includes('agents'))).toBe(true);
  });

  it('exit codes: 2 for bad usage, 1 for failure, messages on stderr', async () => {
    const badFlag = await paperboy(['search', 'x', '--limit', 'many']);
    expect(badFlag).toMatchObject({ code: 2, stdout: '' });
    expect(badFlag.stderr).toContain('--limit must be a whole number');
    const unknown = await paperboy(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const misuse = await paperboy(['run', '/papers top year']);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('must be one of `day`, `week`, `month`');
    const missing = await paperboy(['run', '/papers show 1234.56789']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("I don't have 1234.56789 yet");
    const noFile = await paperboy(['ingest', '--file', join(dir, 'nope.json')]);
    expect(noFile.code).not.toBe(0);
    expect(noFile.stderr).toMatch(/nope\.json/);
  });

  it('--help on the CLI and on a command', async () => {
    const top = await paperboy(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['start', 'ingest', 'search', 'run', 'digest']) expect(top.stdout).toContain(`  ${name}`);
    const ingest = await paperboy(['ingest', '--help']);
    expect(ingest.stdout).toContain('usage: paperboy ingest');
  });
});
