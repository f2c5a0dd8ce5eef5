import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { boltLogger } from '../../adapters/slack/bolt-logger.ts';
import { createClient, POST_RETRY } from '../../adapters/slack/client.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { openApp, type App } from '../../src/app.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { readIngestFile } from '../../src/ingest/files.ts';
import { ingestBatches } from '../../src/ingest/ingest.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { fixturePath, fixtureText } from '../sources/fixture-files.ts';
import { FakeSlack } from '../support/fake-slack/fake-slack.ts';
import { PEOPLE, TEAM, TOKEN } from './harness.ts';

/*
 * Watched papers over the real Slack WebClient against the fake Slack: a new version of a saved
 * paper (the recorded arXiv announcement's `replace` item) reaches the saver as a direct message
 * (chat.postMessage to their user id, which Slack puts in the app's DM with them), once.
 */

const RSS = 'arxiv/rss_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_trimmed.xml';
const REPLACED = '2009.13987';
const tmp = mkdtempSync(join(tmpdir(), 'paperboy-slack-dm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** The recorded feed as it read while the paper was at v2 (derived from the recording). */
const atV2 = join(tmp, 'rss-v2.xml');
writeFileSync(atV2, fixtureText(RSS).replaceAll(`${REPLACED}v3`, `${REPLACED}v2`));

const clock = fixedClock('2026-09-24T10:00:00Z');
const logger = memoryLogger();
let fake: FakeSlack;
let store: Store;
let app: App;

beforeEach(async () => {
  clock.set('2026-09-23T10:00:00Z');
  fake = await FakeSlack.start({ token: TOKEN, teamId: TEAM });
  for (const p of Object.values(PEOPLE)) fake.users.set(p.id, p);
  store = await openStore(':memory:');
  app = await openApp({ dbPath: ':memory:', store, clock, logger, commands });
  app.posters.register(new SlackPoster(createClient(TOKEN, { apiUrl: fake.apiUrl, logger: boltLogger(logger) }, POST_RETRY), { clock, logger }));
  await ingestBatches(store, readIngestFile(atV2), { now: () => clock.now() });
  const team = await store.teams.ensureTeam({ platform: 'slack', externalId: TEAM }, clock.now());
  await store.saves.save(team.id, PEOPLE.member!.id, REPLACED, 'for Friday', clock.now());
  clock.set('2026-09-24T10:00:00Z');
});
afterEach(async () => {
  fake.assertClean();
  await fake.close();
  await store.close();
});

const ingestRecorded = () => ingestBatches(store, readIngestFile(fixturePath(RSS)), { now: () => clock.now() });

describe('a new version of a saved paper, on Slack', () => {
  it('is one DM to the saver (chat.postMessage to their user id), however often the feed is read and the bot ticks', async () => {
    await ingestRecorded();
    await ingestRecorded();
    await app.delivery.tick();
    await app.delivery.tick();
    const dms = fake.directMessagesTo(PEOPLE.member!.id);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.text).toContain('Random Polytope Descriptors');
    expect(dms[0]!.text).toContain('v3');
    expect(fake.callsTo('chat.postMessage').map((c) => c.params.channel)).toEqual([PEOPLE.member!.id]);
    expect(await store.watch.countByState()).toEqual({ sent: 1 });
  });

  it('a rate limit is waited out and the DM sent once', async () => {
    await ingestRecorded();
    fake.script('chat.postMessage', { error: 'ratelimited' });
    await app.delivery.tick();
    expect(fake.directMessagesTo(PEOPLE.member!.id)).toHaveLength(0);
    clock.advance(10 * 60_000);
    await app.delivery.tick();
    expect(fake.directMessagesTo(PEOPLE.member!.id)).toHaveLength(1);
  });

  it('a response lost after Slack took the message: not sent again (one notice missed rather than two sent)', async () => {
    await ingestRecorded();
    fake.script('chat.postMessage', { lose: true });
    await app.delivery.tick();
    clock.advance(60 * 60_000);
    await app.delivery.tick();
    expect(fake.directMessagesTo(PEOPLE.member!.id)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await store.watch.countByState()).toEqual({ failed: 1 });
  });
});
