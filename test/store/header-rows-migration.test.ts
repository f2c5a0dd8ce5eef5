import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { registerFtsFunctions } from '../../src/store/sqlite/fts-rows.ts';
import { inlineMigrations, sqliteMigrations } from '../../src/store/sqlite/migrations.ts';
import { postgresMigratedTo, TEST_DIALECT } from '../support/test-store.ts';

/*
 * Upgrade: digest headers lived in digests.header_* columns; the migration (SQLite 0006,
 * PostgreSQL 0004) turns each into a delivery row of kind 'header', in the state it was in, a
 * header in flight keeping its lease and attempts, and the paper rows survive the SQLite rebuild.
 */

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function storeBefore(): Promise<{ db: Kysely<any>; migrator: Migrator }> {
  if (TEST_DIALECT === 'sqlite') {
    const raw = new BetterSqlite3(':memory:');
    raw.pragma('foreign_keys = ON');
    registerFtsFunctions(raw);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    cleanup = () => db.destroy();
    const migrator = new Migrator({ db, provider: inlineMigrations(sqliteMigrations) });
    expect((await migrator.migrateTo('0005_leases_instances')).error).toBeUndefined();
    return { db, migrator };
  }
  const { db, migrator, drop } = await postgresMigratedTo('0003_search_doc_in_row');
  cleanup = drop;
  return { db, migrator };
}

describe('headers become delivery rows on upgrade', () => {
  it('moves every header with its state, lease and attempts; keeps the paper rows', async () => {
    const { db, migrator } = await storeBefore();
    const at = '2026-08-21T09:00:00.000Z';
    await sql`INSERT INTO teams (id, platform, external_id, created_at) VALUES (1, 'slack', 'T1', ${at})`.execute(db);
    await sql`INSERT INTO channels (id, team_id, external_id, created_at) VALUES (1, 1, 'C1', ${at})`.execute(db);
    await sql`INSERT INTO papers (id, title, title_key, abstract, authors, authors_text, arxiv_url, pdf_url, source, first_seen_at, updated_at)
      VALUES ('2608.00001', 'A paper', 'a paper', 'About it.', '[]', '', 'https://arxiv.org/abs/2608.00001', 'https://arxiv.org/pdf/2608.00001', 'hf', ${at}, ${at})`.execute(db);
    const digest = (id: number, slot: string, header: string, extra: Record<string, unknown> = {}) => ({
      id, channel_id: 1, digest_date: '2026-08-21', slot, due_at: at, kind: 'scheduled', window_from: '2026-08-20', window_to: '2026-08-21', paper_count: 1,
      header_state: header, header_attempts: 0, created_at: at, ...extra,
    });
    await db.insertInto('digests').values([
      digest(1, '08:00', 'sent', { header_message_id: 'M-h1', header_attempts: 1 }),
      digest(2, '09:00', 'sending', { header_attempts: 2, header_lease_owner: 'box:1', header_lease_until: '2026-08-21T09:01:00.000Z' }),
      digest(3, '10:00', 'none'),
    ]).execute();
    await db.insertInto('deliveries').values({
      channel_id: 1, digest_id: 1, digest_date: '2026-08-21', paper_id: '2608.00001', rank: 1, state: 'sent', message_id: 'M-p1', attempts: 1, topics: '["agents"]', created_at: at, updated_at: at,
    }).execute();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    const rows = await db.selectFrom('deliveries').select(['digest_id', 'kind', 'paper_id', 'rank', 'state', 'message_id', 'attempts', 'lease_owner', 'topics']).orderBy('digest_id').orderBy('rank').execute();
    expect(rows.map((r) => ({ ...r, lease_owner: r.lease_owner ?? null }))).toEqual([
      { digest_id: 1, kind: 'header', paper_id: null, rank: 0, state: 'sent', message_id: 'M-h1', attempts: 1, lease_owner: null, topics: '[]' },
      { digest_id: 1, kind: 'paper', paper_id: '2608.00001', rank: 1, state: 'sent', message_id: 'M-p1', attempts: 1, lease_owner: null, topics: '["agents"]' },
      { digest_id: 2, kind: 'header', paper_id: null, rank: 0, state: 'sending', message_id: null, attempts: 2, lease_owner: 'box:1', topics: '[]' },
    ]);
    const digestColumns = (await db.introspection.getTables()).find((t) => t.name === 'digests')!.columns.map((c) => c.name);
    expect(digestColumns.filter((c) => c.startsWith('header_'))).toEqual([]);
    // Two headers on one day fit beside each other (a header has no paper; NULLs are distinct).
    await db.insertInto('deliveries').values({ channel_id: 1, digest_id: 3, digest_date: '2026-08-21', kind: 'header', rank: 0, state: 'planned', created_at: at, updated_at: at }).execute();
  });
});
