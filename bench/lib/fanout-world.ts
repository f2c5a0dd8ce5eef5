import { readFileSync } from 'node:fs';
import pg from 'pg';
import { planDigest } from '../../src/digest/plan.ts';
import { silentLogger } from '../../src/logger.ts';
import { queryKey } from '../../src/search/query.ts';
import { parseTopic } from '../../src/search/topic-matching.ts';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';
import type { Store } from '../../src/store/store.ts';
import type { FakeGuild } from '../../test/support/fake-discord/index.ts';

/*
 * The fan-out world: N channels on one platform, each following one topic that matches more
 * than five of today's papers, five papers per digest, every schedule due this minute. The
 * bots run on the wall clock (`paperboy start`), so papers are listed today and the slot is
 * the current UTC minute.
 */

export const DISCORD_TOKEN = 'fanout-bench-bot-token';
export const DISCORD_APP_ID = '1700000000000000001';
export const SLACK_TOKEN = 'xoxb-fanout-bench';
export const SLACK_TEAM = 'TFANOUT';
export const PAPERS_PER_DIGEST = 5;
/** Discord allows 500 channels per server; a hosted bot serves many servers. */
export const CHANNELS_PER_GUILD = 100;
const TOPIC = 'model';
const FIXTURE = new URL('../../test/fixtures/hf/daily_papers_2026-08-21.json', import.meta.url);

export type Platform = 'discord' | 'slack';

export interface FanoutWorld {
  platform: Platform;
  guilds: FakeGuild[];
  /** Platform channel ids. */
  channels: string[];
  /** The five papers every digest holds. */
  papers: string[];
}

export function describeChannels(platform: Platform, n: number): Pick<FanoutWorld, 'guilds' | 'channels'> {
  if (platform === 'slack') return { guilds: [], channels: Array.from({ length: n }, (_, i) => `CFAN${String(i).padStart(6, '0')}`) };
  const guilds: FakeGuild[] = [];
  for (let g = 0; g * CHANNELS_PER_GUILD < n; g++) {
    const size = Math.min(CHANNELS_PER_GUILD, n - g * CHANNELS_PER_GUILD);
    guilds.push({
      id: String(1700000000000100000n + BigInt(g)),
      name: `Fan-out ${g}`,
      channels: Array.from({ length: size }, (_, i) => ({ id: String(1700000010000000000n + BigInt(g * CHANNELS_PER_GUILD + i)), name: `papers-${i}` })),
    });
  }
  return { guilds, channels: guilds.flatMap((g) => g.channels.map((c) => c.id)) };
}

/** Writes the world into an empty store; `now` is the wall clock the bots will run on. */
export async function seedFanout(store: Store, platform: Platform, n: number, now: Date): Promise<FanoutWorld> {
  const { guilds, channels } = describeChannels(platform, n);
  const today = now.toISOString().slice(0, 10);
  // A recorded HF day, listed today.
  const day = parseHfDailyPapers(JSON.parse(readFileSync(FIXTURE, 'utf8')), today);
  const items = day.items.map((item) => ({ ...item, listing: item.listing && { ...item.listing, day: today } }));
  const seededAt = new Date(now.getTime() - 24 * 3600_000);
  await store.papers.upsertMany(items, seededAt);
  // The slot is this minute (or the last one, so it has surely come when the bots look).
  const slotAt = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
  const schedule = { times: [slotAt.toISOString().slice(11, 16)], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7] };
  const topic = parseTopic(TOPIC);
  const teams = platform === 'slack' ? [{ externalId: SLACK_TEAM, channels }] : guilds.map((g) => ({ externalId: g.id, channels: g.channels.map((c) => c.id) }));
  let first: { id: number; teamId: number } | null = null;
  for (const t of teams) {
    const team = await store.teams.ensureTeam({ platform, externalId: t.externalId }, seededAt);
    for (const externalId of t.channels) {
      const row = await store.teams.ensureChannel(team.id, { externalId }, seededAt);
      await store.schedules.set(row.id, schedule, seededAt);
      await store.topics.add(row.id, TOPIC, queryKey(topic), 'UFANOUT', seededAt);
      await store.teams.setMaxPapers(row.id, PAPERS_PER_DIGEST);
      await store.teams.activate(row.id, seededAt);
      first ??= { id: row.id, teamId: team.id };
    }
  }
  const plan = await planDigest(store, { ...first!, maxPapers: PAPERS_PER_DIGEST }, today, null, silentLogger);
  if (plan.picked.length !== PAPERS_PER_DIGEST) throw new Error(`the fan-out topic "${TOPIC}" picks ${plan.picked.length} papers, not ${PAPERS_PER_DIGEST}`);
  return { platform, guilds, channels, papers: plan.picked.map((p) => p.paperId) };
}

/** A fresh, empty PostgreSQL database for `url` (dropped first if it exists). */
export async function recreatePgDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^pb_fanout_\w+$/.test(name)) throw new Error(`refusing to recreate ${name}: fan-out bench databases are named pb_fanout_*`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

export async function dropPgDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
