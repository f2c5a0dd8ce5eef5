import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPapers } from '../../src/search/search-papers.ts';
import { sqliteMigrations } from '../../src/store/sqlite/migrations.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { FIRST_RELEASE_MIGRATIONS, FIXTURE } from '../fixtures/store/make-store-0001.ts';
import { hfDay } from '../support/core-harness.ts';

/*
 * Issue 11, Operations: a store made by the first released migrations (the committed fixture,
 * built by make-store-0001.ts with 0001_initial only) migrates forward to today's schema with
 * its papers, search index, teams, channels, topics, schedules, votes, saves and delivery
 * history intact. Always on a copy: the fixture itself stays as the first release left it.
 */

const dir = mkdtempSync(join(tmpdir(), 'paperboy-upgrade-'));
const path = join(dir, 'old.db');
const papers = hfDay('2026-08-17').items.slice(0, 12).map((i) => i.paper);
let store: Store;

beforeAll(async () => {
  if (process.env.PAPERBOY_TEST_DIALECT === 'postgres') return;
  copyFileSync(FIXTURE, path);
  const raw = new BetterSqlite3(path, { readonly: true });
  const applied = raw.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all();
  raw.close();
  // The fixture really is a first-release store, so the test migrates something.
  expect(applied).toEqual(FIRST_RELEASE_MIGRATIONS);
  store = await openStore(path);
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

// A SQLite file is what is upgraded here; the postgres project (which runs test/store/*) has nothing to add.
describe.skipIf(process.env.PAPERBOY_TEST_DIALECT === 'postgres')('upgrade from the first release (SQLite)', () => {
  it('applies every later migration', async () => {
    const applied = await store.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never).execute();
    expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(sqliteMigrations).sort());
  });

  it('keeps the papers and finds them by search', async () => {
    for (const p of papers) {
      const got = await store.papers.get(p.id);
      expect(got?.title).toBe(p.title);
      expect(got?.authors).toEqual(p.authors);
      expect(got?.abstract).toBe(p.abstract);
    }
    const target = papers[0]!;
    const word = target.title.split(/\s+/).find((w) => /^[A-Za-z]{6,}$/.test(w))!;
    const { page } = await searchPapers(store, word, { limit: 20, offset: 0 });
    expect(page.ids).toContain(target.id);
  });

  it('keeps teams, channels, topics and schedules', async () => {
    const discord = await store.teams.findTeam('discord', '1400000000000000001');
    const slack = await store.teams.findTeam('slack', 'T0FIXTURE');
    expect(discord?.name).toBe('Lab');
    const papersChannel = await store.teams.findChannel(discord!.id, '1400000000000000101');
    expect(papersChannel?.max_papers).toBe(3);
    expect((await store.teams.findChannel(slack!.id, 'C0FIXTURE'))?.paused).toBe(1);
    expect((await store.teams.findChannel(slack!.id, 'C0GONE'))?.disabled_reason).toBe('channel_not_found');
    expect((await store.topics.list(papersChannel!.id)).map((t) => t.query).sort()).toEqual(['"language model" -vision', 'diffusion']);
    expect(await store.schedules.get(papersChannel!.id)).toMatchObject({ times: ['09:00', '17:30'], timezone: 'Europe/Berlin', weekdays: [1, 3, 5] });
  });

  it('keeps votes, saves and what was posted where', async () => {
    const discord = (await store.teams.findTeam('discord', '1400000000000000001'))!;
    const slack = (await store.teams.findTeam('slack', 'T0FIXTURE'))!;
    expect(await store.votes.count(discord.id, papers[0]!.id)).toBe(2);
    expect(await store.votes.count(slack.id, papers[1]!.id)).toBe(1);
    expect((await store.saves.find(slack.id, 'U3', papers[2]!.id))?.note).toBe("for Friday's reading group");
    const channel = (await store.teams.findChannel(discord.id, '1400000000000000101'))!;
    const sent = await store.outbox.deliveryOf(channel.id, papers[0]!.id);
    expect(sent).toMatchObject({ state: 'sent', message_id: '1400000000000009001' });
  });

  it('takes new writes after the upgrade', async () => {
    const slack = (await store.teams.findTeam('slack', 'T0FIXTURE'))!;
    await store.votes.toggle(slack.id, 'U9', papers[1]!.id, new Date('2026-08-21T10:00:00Z'));
    expect(await store.votes.count(slack.id, papers[1]!.id)).toBe(2);
  });
});
