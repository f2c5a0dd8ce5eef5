import { planDigest } from '../../src/digest/plan.ts';
import { silentLogger } from '../../src/logger.ts';
import type { Schedule } from '../../src/store/schedules.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { hfDay } from '../support/core-harness.ts';
import type { FakeDiscord, FakeGuild } from '../support/fake-discord/index.ts';
import type { FakeSlack } from '../support/fake-slack/index.ts';
import { digestProblems, landedOnDiscord, landedOnSlack } from './landed.ts';

/*
 * The world a crash or storm trial delivers into: teams on Discord and Slack, channels opted
 * in with schedules whose slot has just come, and the recorded HF papers of the last days.
 */

export const DISCORD_TOKEN = 'crash-test-bot-token';
export const DISCORD_APP_ID = '1500000000000000001';
export const SLACK_TOKEN = 'xoxb-crash-test';
export const SLACK_TEAM = 'TCRASH';
/** A Friday; every schedule below has its slot at 09:00 UTC. */
export const DIGEST_DAY = '2026-08-21';
export const SLOT_AT = new Date('2026-08-21T09:00:00Z');

/** One scheduled time, in several zones, that is 09:00 UTC on the digest day. */
const SCHEDULES: Schedule[] = [
  { times: ['09:00'], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7] },
  { times: ['11:00'], timezone: 'Europe/Berlin', weekdays: [5] },
  { times: ['05:00'], timezone: 'America/New_York', weekdays: [1, 2, 3, 4, 5] },
  { times: ['08:00', '19:00'], timezone: 'Australia/Sydney', weekdays: [5] },
];

export interface PlannedChannel {
  platform: 'discord' | 'slack';
  externalId: string;
  /** The papers its digest must hold, as a crash-free run plans them. */
  expectedPapers: string[];
}

export interface World {
  guild: FakeGuild;
  slackChannels: string[];
  channels: PlannedChannel[];
}

export interface WorldSize {
  discordChannels: number;
  slackChannels: number;
}

export function describeWorld(size: WorldSize): Pick<World, 'guild' | 'slackChannels'> {
  const guild: FakeGuild = {
    id: '1500000000000000100',
    name: 'Crash Lab',
    channels: Array.from({ length: size.discordChannels }, (_, i) => ({ id: String(1500000000000100000n + BigInt(i)), name: `papers-${i}` })),
  };
  const slackChannels = Array.from({ length: size.slackChannels }, (_, i) => `CCRASH${String(i).padStart(4, '0')}`);
  return { guild, slackChannels };
}

/** `seedWorldInto` on a new SQLite file, closed afterwards (bots open it themselves). */
export async function seedWorld(path: string, size: WorldSize): Promise<World> {
  const store = await openStore(path);
  try {
    return await seedWorldInto(store, size);
  } finally {
    await store.close();
  }
}

/**
 * Writes the world into `store`: papers listed on the three days before the digest, every
 * channel opted in the day before with a schedule due at SLOT_AT and a digest of 2 or 3
 * papers. Returns each channel's expected digest.
 */
export async function seedWorldInto(store: Store, size: WorldSize): Promise<World> {
  const { guild, slackChannels } = describeWorld(size);
  const seededAt = new Date('2026-08-20T00:00:00Z');
  for (const day of ['2026-08-19', '2026-08-20', DIGEST_DAY]) await store.papers.upsertMany(hfDay(day).items, seededAt);
  const discord = await store.teams.ensureTeam({ platform: 'discord', externalId: guild.id, name: guild.name }, seededAt);
  const slack = await store.teams.ensureTeam({ platform: 'slack', externalId: SLACK_TEAM }, seededAt);
  const channels: PlannedChannel[] = [];
  const all = [
    ...guild.channels.map((c) => ({ platform: 'discord' as const, teamId: discord.id, externalId: c.id })),
    ...slackChannels.map((id) => ({ platform: 'slack' as const, teamId: slack.id, externalId: id })),
  ];
  for (const [i, c] of all.entries()) {
    const row = await store.teams.ensureChannel(c.teamId, { externalId: c.externalId }, seededAt);
    await store.schedules.set(row.id, SCHEDULES[i % SCHEDULES.length]!, seededAt);
    await store.teams.activate(row.id, seededAt);
    const maxPapers = 2 + (i % 2);
    await store.teams.setMaxPapers(row.id, maxPapers);
    const plan = await planDigest(store, { id: row.id, teamId: c.teamId, maxPapers }, DIGEST_DAY, null, silentLogger);
    channels.push({ platform: c.platform, externalId: c.externalId, expectedPapers: plan.picked.map((p) => p.paperId) });
  }
  return { guild, slackChannels, channels };
}

/** Everything wrong with what reached the fakes (channels in `skip` aside), checked against the world's plan and the store's records. */
export async function deliveryProblems(world: World, fakes: { discord: FakeDiscord; slack: FakeSlack }, store: Store, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const problems: string[] = [];
  for (const c of world.channels) {
    if (skip.has(c.externalId)) continue;
    const where = `${c.platform} ${c.externalId}`;
    const landed = c.platform === 'discord' ? landedOnDiscord(fakes.discord, c.externalId) : landedOnSlack(fakes.slack, c.externalId);
    problems.push(...digestProblems(where, landed, c.expectedPapers));
    // The store must agree with the platform: one digest, and each post recorded with the id it got.
    const row = await store.db
      .selectFrom('channels as ch')
      .innerJoin('teams as t', 't.id', 'ch.team_id')
      .select('ch.id')
      .where('t.platform', '=', c.platform)
      .where('ch.external_id', '=', c.externalId)
      .executeTakeFirstOrThrow();
    const digests = await store.db.selectFrom('digests').selectAll().where('channel_id', '=', row.id).execute();
    if (digests.length !== 1) {
      problems.push(`${where}: ${digests.length} digests in the store`);
      continue;
    }
    const digest = digests[0]!;
    const header = await store.outbox.headerOf(digest.id);
    if (header?.state !== 'sent' || !landed.headers.includes(header.message_id ?? '')) {
      problems.push(`${where}: header ${header?.state} as ${header?.message_id}, on the platform ${landed.headers.join(',')}`);
    }
    for (const d of await store.outbox.deliveriesOf(digest.id)) {
      const onPlatform = landed.papers.find((p) => p.paperId === d.paper_id)?.messageId;
      if (d.state !== 'sent' || d.message_id !== onPlatform) problems.push(`${where}: paper ${d.paper_id} ${d.state} as ${d.message_id}, on the platform ${onPlatform}${d.last_error ? ` (${d.last_error}, ${d.attempts} attempts)` : ''}`);
    }
  }
  return problems;
}
