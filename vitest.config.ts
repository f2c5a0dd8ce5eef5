import pg from 'pg';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `sqlite` runs every test file on SQLite (in-memory stores); `postgres` runs the
 * store, search, command, delivery, relevance and ingest suites again, each store a fresh
 * database on the PostgreSQL server PAPERBOY_TEST_PG (test/support/test-store.ts). Without a
 * server answering, `npm test` says the PostgreSQL suites were skipped; under CI (CI set, as
 * .ci/run does) they are required, and a missing server fails the run.
 */
const PG_URL = process.env.PAPERBOY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
const CI = Boolean(process.env.CI) && process.env.CI !== '0' && process.env.CI !== 'false';

/** Files that use a store and are not about SQLite's own index (plans, FTS5 integrity, its stems). */
const POSTGRES_SUITES = [
  // corpus-titles (9,124 title searches) stays SQLite-only: over 3 minutes on a busy 2-core machine. `npm run bench -- --only pg` compares exact titles too.
  'test/search/{query,pagination,hostile,relevance,vocabulary,author-variants}.test.ts',
  'test/commands/{commands,relevance-commands,similar,taste,limits}.test.ts',
  'test/delivery/*.test.ts',
  'test/relevance/term-vectors.test.ts',
  'test/ingest/{first-run,ingest,poller}.test.ts',
  'test/feeds/*.test.ts',
  'test/sources/arxiv-rss.test.ts',
  'test/store/*.test.ts',
  'test/cli/cli-postgres.test.ts',
  'test/slack/installs.test.ts',
  'test/watch/*.test.ts',
  'test/recap/*.test.ts',
];

async function postgresAnswers(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

const problem = await postgresAnswers();
if (problem !== null) {
    const where = PG_URL.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
    if (CI) throw new Error(`CI requires the PostgreSQL suites, but PostgreSQL at ${where} does not answer (${problem}). .ci/run starts one; or set PAPERBOY_TEST_PG.`);
    // Vitest reads this file once per project: say it once.
    if (!process.env.PAPERBOY_PG_SKIP_NOTED) console.warn(`\n*** PostgreSQL suites SKIPPED: nothing answers at ${where} (${problem}). Set PAPERBOY_TEST_PG to run them. ***\n`);
    process.env.PAPERBOY_PG_SKIP_NOTED = '1';
  }
export default defineConfig({
    test: {
      pool: 'forks',
      testTimeout: 20_000,
      hookTimeout: 20_000,
      projects: [
        { extends: true as const, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/cli/cli-postgres.test.ts'] } },
        ...(problem === null
          ? [{ extends: true as const, test: { name: 'postgres', include: POSTGRES_SUITES, env: { PAPERBOY_TEST_DIALECT: 'postgres', PAPERBOY_TEST_PG: PG_URL } } }]
          : []),
      ],
    },
});
