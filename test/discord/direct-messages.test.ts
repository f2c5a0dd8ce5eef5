import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { openApp, type App } from '../../src/app.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { readIngestFile } from '../../src/ingest/files.ts';
import { ingestBatches } from '../../src/ingest/ingest.ts';
import { memoryLogger } from '../../src/logger.ts';
import { fixtureJson, fixturePath } from '../sources/fixture-files.ts';
import { ALICE, BOB, CHANNEL_ID, GUILD, startHarness, type Harness } from './harness.ts';

/*
 * Watched papers over the real discord.js REST client against the fake Discord: a code link
 * appearing on a saved paper (the recorded HF day, githubRepo set) reaches the saver as a
 * direct message (Create DM, then a post in the DM channel), once.
 */

const DAY = 'discord/daily_papers_2026-08-18.json';
type RawItem = { paper: { id: string; title: string; githubRepo?: string | null } };
const withCode = fixtureJson<RawItem[]>(DAY).filter((it) => it.paper.githubRepo);
const PAPER = withCode[0]!.paper;
const OTHER = withCode[1]!.paper;

let h: Harness;
let app: App;
const clock = fixedClock('2026-08-18T10:00:00Z');

beforeAll(async () => {
  h = await startHarness();
  app = await openApp({ dbPath: ':memory:', store: h.store, clock, logger: memoryLogger(), commands });
  app.posters.register(h.adapter.poster);
});
afterAll(async () => h?.close());
afterEach(() => h.fake.assertNoUnmatched());

/** The paper as it was before its authors linked their code (derived: the link removed), saved by `users`. */
async function savedWithoutCode(paperId: string, users: readonly string[]): Promise<void> {
  await h.store.db.updateTable('papers').set({ github_url: null }).where('id', '=', paperId).execute();
  const team = await h.store.teams.ensureTeam({ platform: 'discord', externalId: GUILD.id }, clock.now());
  for (const u of users) await h.store.saves.save(team.id, u, paperId, null, clock.now());
}

const ingestRecordedDay = () => ingestBatches(h.store, readIngestFile(fixturePath(DAY)), { now: () => clock.now() });

describe('a code link appearing on a saved paper', () => {
  beforeEach(() => h.fake.reset());

  it('is sent to each saver as a Discord DM, once, however often the day is ingested and the bot ticks', async () => {
    await savedWithoutCode(PAPER.id, [ALICE.id, BOB.id]);
    await ingestRecordedDay();
    await ingestRecordedDay();
    await app.delivery.tick();
    await app.delivery.tick();

    for (const user of [ALICE, BOB]) {
      const dms = h.fake.directMessagesTo(user.id);
      expect(dms).toHaveLength(1);
      expect(dms[0]!.content).toContain(PAPER.githubRepo!);
      expect(dms[0]!.content).toContain(PAPER.id);
      expect(dms[0]!.allowed_mentions).toEqual({ parse: [] });
      expect(dms[0]!.guild_id).toBeUndefined();
    }
    // Create DM once per person and one post each; nothing in the guild's channel.
    expect(h.fake.callsTo('POST', /^\/users\/@me\/channels$/).map((c) => c.body.recipient_id).sort()).toEqual([ALICE.id, BOB.id].sort());
    expect(h.fake.channelMessages(CHANNEL_ID)).toEqual([]);
    expect(await h.store.watch.countByState()).toEqual({ sent: 2 });
  });

  it('a person who accepts no DMs (403 50007): their notice is given up; the channel and the team stay enabled', async () => {
    h.fake.closedDms.add(ALICE.id);
    await savedWithoutCode(OTHER.id, [ALICE.id]);
    await ingestRecordedDay();
    await app.delivery.tick();
    expect(h.fake.directMessagesTo(ALICE.id)).toEqual([]);
    expect(h.fake.callsTo('POST', /^\/channels\/\d+\/messages$/).map((c) => c.status)).toEqual([403]);
    const team = (await h.store.teams.findTeam('discord', GUILD.id))!;
    expect(team.disabled_reason).toBeNull();
    expect((await h.store.watch.countByState()).failed).toBe(1);
  });
});

describe('a DM whose first try is in doubt (a crash after the post)', () => {
  it('is found in the DM channel and not sent again', async () => {
    h.fake.reset();
    const first = await h.adapter.poster.postDirect!(ALICE.id, { key: 'w-doubt', text: 'A paper on your reading list changed: v2.' });
    expect(first).toMatchObject({ ok: true });
    // The nonce window has long passed (a long crash): only the history read can tell.
    h.fake.options.nonceWindowMs = -60_000;
    try {
      const again = await h.adapter.poster.postDirect!(ALICE.id, { key: 'w-doubt', text: 'A paper on your reading list changed: v2.', inDoubt: true });
      expect(again).toEqual(first);
      expect(h.fake.directMessagesTo(ALICE.id)).toHaveLength(1);
    } finally {
      delete h.fake.options.nonceWindowMs;
    }
  });
});
