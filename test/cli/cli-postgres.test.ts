import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../support/test-store.ts';

/**
 * The contract of issue 9: every CLI command works unchanged against a postgres:// URL. The
 * same commands run against a SQLite file and a fresh PostgreSQL database (the `postgres`
 * project only) must print the same thing.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/paperboy.js');
const SAMPLE = join(ROOT, 'data/sample/hf-daily-sample.jsonl.gz');
/** Nothing listens there: no test reaches the internet. */
const OFFLINE = { HF_API_URL: 'http://127.0.0.1:9', ARXIV_API_URL: 'http://127.0.0.1:9' };

let dir: string;
let pgUrl: string;
let sqliteFile: string;

async function paperboy(db: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, PAPERBOY_DB: db, PAPERBOY_LOG_LEVEL: 'error', ...OFFLINE },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Runs a command on both stores; expects the same exit code and output. */
async function same(args: string[]) {
  const [lite, pg] = await Promise.all([paperboy(sqliteFile, args), paperboy(pgUrl, args)]);
  expect(pg.stderr).toBe(lite.stderr);
  expect(pg).toEqual(lite);
  return pg;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-pg-'));
  sqliteFile = join(dir, 'paperboy.db');
  pgUrl = await createTestDatabase();
  const [lite, pg] = await Promise.all([paperboy(sqliteFile, ['ingest', '--file', SAMPLE]), paperboy(pgUrl, ['ingest', '--file', SAMPLE])]);
  expect(pg.stderr).toBe('');
  for (const r of [lite, pg]) expect(r.stdout).toMatch(/^20 days: 570 papers read, 569 new, 1 updated, 0 skipped \(\d+\.\d s\)\n$/);
}, 120_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (pgUrl) await dropTestDatabase(pgUrl);
});

describe('paperboy CLI with PAPERBOY_DB=postgres://...', () => {
  it('search --json finds an exact title first, as on SQLite', async () => {
    const r = await same(['search', 'TUA-Bench: A Benchmark for General-Purpose Terminal-Use Agents', '--json', '--limit', '1']);
    expect(JSON.parse(r.stdout)).toMatchObject([{ id: '2606.28480', publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
  });

  // Ranking differs by design (BM25 on SQLite, ts_rank_cd on PostgreSQL): the same matches, not the same order.
  it('search --json finds the papers SQLite finds for a ranked query', async () => {
    const [lite, pg] = await Promise.all([
      paperboy(sqliteFile, ['search', 'terminal agents benchmark', '--json', '--limit', '50']),
      paperboy(pgUrl, ['search', 'terminal agents benchmark', '--json', '--limit', '5']),
    ]);
    const found = (r: { stdout: string }) => (JSON.parse(r.stdout) as Array<{ id: string }>).map((p) => p.id);
    expect(found(pg)).toHaveLength(5);
    expect(found(lite)).toEqual(expect.arrayContaining(found(pg)));
  });

  it('a typo is corrected from the vocabulary, on stderr, as on SQLite', async () => {
    const [lite, pg] = await Promise.all([paperboy(sqliteFile, ['search', 'diffusoin video', '--limit', '3']), paperboy(pgUrl, ['search', 'diffusoin video', '--limit', '3'])]);
    expect(pg.code).toBe(0);
    expect(pg.stderr).toBe('showing results for diffusion video (typed: diffusoin video)\n');
    expect(pg.stderr).toBe(lite.stderr);
    expect(pg.stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('run and digest work and keep state between runs', async () => {
    const today = await same(['run', '/papers today 2026-06-30', '--team', 'lab', '--channel', 'ml', '--user', 'ada']);
    expect(today.stdout).toContain('1. LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing [2606.26740]');
    await same(['run', '/papers subscribe agents', '--team', 'lab', '--channel', 'agents']);
    const plan = await same(['digest', '--team', 'lab', '--channel', 'agents', '--date', '2026-06-30', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ digestDate: '2026-06-30', from: '2026-06-27' });
    expect(JSON.parse(plan.stdout).papers).toHaveLength(5);
  });

  it('a wrong URL is a clear error, not a stack trace', async () => {
    const bad = pgUrl.replace(/\/[^/]+$/, '/pb_test_no_such_database');
    const r = await paperboy(bad, ['search', 'agents']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pb_test_no_such_database');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('start runs the console bot on PostgreSQL', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--team', 'lab', '--channel', 'ml', '--user', 'ada'], {
      cwd: ROOT,
      env: { ...process.env, PAPERBOY_DB: pgUrl, PAPERBOY_LOG_LEVEL: 'error', ...OFFLINE },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end('/papers search TUA-Bench terminal agents\n');
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(out).toContain('TUA-Bench');
    expect(code).toBe(0);
  }, 60_000);
});
