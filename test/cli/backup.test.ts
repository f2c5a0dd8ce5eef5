import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPapers } from '../../src/search/search-papers.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { hfDay } from '../support/core-harness.ts';

/*
 * Issue 11, Operations: `paperboy backup FILE` copies the SQLite store through SQLite's online
 * backup API, consistent while another connection keeps writing (as a running bot does); on
 * PostgreSQL it declines politely and names pg_dump.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/paperboy.js');

let dir: string;
let db: string;

function paperboy(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PAPERBOY_DB: db, PAPERBOY_LOG_LEVEL: 'error', ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const countTeams = async (store: Store) => Number((await store.db.selectFrom('teams').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-'));
  db = join(dir, 'paperboy.db');
  const store = await openStore(db);
  for (const day of ['2026-08-20', '2026-08-21']) await store.papers.upsertMany(hfDay(day).items, new Date('2026-08-21T12:00:00Z'));
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paperboy backup', () => {
  it('copies the store while another connection keeps writing; the copy is whole and opens', async () => {
    const writer = await openStore(db);
    const before = await countTeams(writer);
    let writing = true;
    let written = 0;
    // A bot's steady trickle of writes (its own connection, WAL mode) for as long as the backup runs.
    const trickle = (async () => {
      while (writing) {
        await writer.teams.ensureTeam({ platform: 'console', externalId: `team-${written++}` }, new Date());
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const file = join(dir, 'backups', 'copy.db');
    const r = await paperboy(['backup', file]);
    writing = false;
    await trickle;
    const afterBackup = await countTeams(writer);
    await writer.close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backed up .+ to .+copy\.db \(\d+\.\d MB, \d+\.\d s\)\n$/);
    expect(afterBackup, 'writes went on during the backup').toBeGreaterThan(before);

    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
    const copy = await openStore(file);
    try {
      const teams = await countTeams(copy);
      expect(teams).toBeGreaterThanOrEqual(before);
      expect(teams).toBeLessThanOrEqual(afterBackup);
      const papers = Number((await copy.db.selectFrom('papers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(papers).toBe(new Set([...hfDay('2026-08-20').items, ...hfDay('2026-08-21').items].map((i) => i.paper.id)).size);
      // The full-text index came along: the copy answers a search.
      const { page } = await searchPapers(copy, 'diffusion', { limit: 5, offset: 0 });
      expect(page.ids.length).toBeGreaterThan(0);
    } finally {
      await copy.close();
    }
  }, 60_000);

  it('never overwrites a file, and needs one file name', async () => {
    const existing = join(dir, 'backups', 'copy.db');
    expect(existsSync(existing)).toBe(true);
    const again = await paperboy(['backup', existing]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    const none = await paperboy(['backup']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give one file');
  }, 60_000);

  it('on PostgreSQL, says to use pg_dump in one line and exits non-zero, without printing the URL', async () => {
    const r = await paperboy(['backup', join(dir, 'pg.db')], { PAPERBOY_DB: 'postgres://paperboy:s3cret-pw@127.0.0.1:5432/paperboy' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^paperboy backup: the store is a PostgreSQL database; back it up with pg_dump .*\n$/);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(existsSync(join(dir, 'pg.db'))).toBe(false);
  }, 60_000);
});
