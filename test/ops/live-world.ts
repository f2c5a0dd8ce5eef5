import { createServer } from 'node:net';
import { planDigest } from '../../src/digest/plan.ts';
import { silentLogger } from '../../src/logger.ts';
import { latestDueSlot } from '../../src/schedule/due.ts';
import { openStore } from '../../src/store/store.ts';
import { describeWorld, SLACK_TEAM, type PlannedChannel, type World, type WorldSize } from '../crash/world.ts';
import { hfDay } from '../support/core-harness.ts';

/*
 * The crash world (test/crash/world.ts), for a bot on the real clock: `paperboy start` runs on
 * the system clock, so the recorded papers are listed again today and yesterday, and every
 * channel's digest slot is two minutes ago. The bot then finds every digest due at start.
 */

const RECORDED_DAYS = ['2026-08-20', '2026-08-21'];

export async function seedLiveWorld(path: string, size: WorldSize, now = new Date()): Promise<World> {
  const { guild, slackChannels } = describeWorld(size);
  const yesterday = new Date(now.getTime() - 86_400_000);
  const slotAt = new Date(Math.floor((now.getTime() - 120_000) / 60_000) * 60_000);
  const schedule = { times: [slotAt.toISOString().slice(11, 16)], timezone: 'UTC', weekdays: [1, 2, 3, 4, 5, 6, 7] };
  const slot = latestDueSlot(schedule, now, yesterday);
  if (!slot) throw new Error('the schedule has no due slot');
  const store = await openStore(path);
  try {
    for (const [i, day] of RECORDED_DAYS.entries()) {
      const listedOn = (i === 0 ? yesterday : now).toISOString().slice(0, 10);
      const items = hfDay(day).items.map((it) => ({ ...it, listing: it.listing && { ...it.listing, day: listedOn } }));
      await store.papers.upsertMany(items, yesterday);
    }
    const discord = await store.teams.ensureTeam({ platform: 'discord', externalId: guild.id, name: guild.name }, yesterday);
    const slack = await store.teams.ensureTeam({ platform: 'slack', externalId: SLACK_TEAM }, yesterday);
    const all = [
      ...guild.channels.map((c) => ({ platform: 'discord' as const, teamId: discord.id, externalId: c.id })),
      ...slackChannels.map((id) => ({ platform: 'slack' as const, teamId: slack.id, externalId: id })),
    ];
    const channels: PlannedChannel[] = [];
    for (const [i, c] of all.entries()) {
      const row = await store.teams.ensureChannel(c.teamId, { externalId: c.externalId }, yesterday);
      await store.schedules.set(row.id, schedule, yesterday);
      await store.teams.activate(row.id, yesterday);
      const maxPapers = 2 + (i % 2);
      await store.teams.setMaxPapers(row.id, maxPapers);
      const plan = await planDigest(store, { id: row.id, teamId: c.teamId, maxPapers }, slot.localDate, null, silentLogger);
      if (plan.picked.length === 0) throw new Error(`channel ${c.externalId} would get an empty digest`);
      channels.push({ platform: c.platform, externalId: c.externalId, expectedPapers: plan.picked.map((p) => p.paperId) });
    }
    return { guild, slackChannels, channels };
  } finally {
    await store.close();
  }
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
