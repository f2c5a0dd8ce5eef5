import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botScopes } from '../../adapters/slack/manifest.ts';
import { boltLogger } from '../../adapters/slack/bolt-logger.ts';
import { createClient, POST_RETRY } from '../../adapters/slack/client.ts';
import { DELIVERY_EVENT_TYPE, SlackPoster } from '../../adapters/slack/poster.ts';
import { renderReply } from '../../adapters/slack/render.ts';
import { DEFAULT_DELIVERY_SETTINGS, DeliveryEngine } from '../../src/delivery/engine.ts';
import { Posters } from '../../src/delivery/posters.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { storeOnlyHealth } from '../../src/ingest/poller.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { FakeSlack } from '../support/fake-slack/fake-slack.ts';
import { pngHeader } from '../support/png.ts';
import { seedPapers, TOKEN } from './harness.ts';

/*
 * The weekly recap on Slack, through the delivery engine, the real WebClient and the fake
 * Slack: with the files:write scope (as Slack lists it in x-oauth-scopes) the chart is uploaded
 * the way filesUploadV2 does it and shared in the channel; without it the recap carries its
 * figures as a text table. Titles are recorded papers'; one is made hostile.
 */

const CHANNEL = 'C0RECAP';
const HOSTILE = '<!channel> Attention & <@U0BOSS> is all you need';

let fake: FakeSlack;
let store: Store;
let engine: DeliveryEngine;
const clock = fixedClock('2026-08-17T12:00:00Z');
const logger = memoryLogger();

async function setUp(scopes: string[]): Promise<void> {
  fake = await FakeSlack.start({ token: TOKEN, scopes });
  store = await openStore(':memory:');
  const ids = await seedPapers(store);
  const team = await store.teams.ensureTeam({ platform: 'slack', externalId: fake.teamId }, clock.now());
  const channel = await store.teams.ensureChannel(team.id, { externalId: CHANNEL }, clock.now());
  await store.db.updateTable('papers').set({ title: HOSTILE }).where('id', '=', ids[1]!).execute();
  for (const user of ['U1', 'U2']) await store.votes.set(team.id, user, ids[0]!, true, new Date('2026-08-18T10:00:00Z'));
  await store.votes.set(team.id, 'U1', ids[1]!, true, new Date('2026-08-19T10:00:00Z'));
  await store.saves.save(team.id, 'U3', ids[1]!, null, new Date('2026-08-19T11:00:00Z'));
  await store.recaps.setSchedule(channel.id, 5, '16:00', clock.now());
  const posters = new Posters();
  posters.register(new SlackPoster(createClient(TOKEN, { apiUrl: fake.apiUrl, logger: boltLogger(logger) }, POST_RETRY), { clock, logger }));
  engine = new DeliveryEngine({ store, posters, clock, logger, health: storeOnlyHealth, settings: DEFAULT_DELIVERY_SETTINGS, instanceId: 'test-bot' });
}

beforeEach(() => clock.set('2026-08-17T12:00:00Z'));
afterEach(async () => {
  fake.assertClean();
  await fake.close();
  await store.close();
});

async function postRecap(): Promise<void> {
  clock.set('2026-08-21T16:00:30Z');
  await engine.tick();
  await engine.tick();
}

/** All text of a message's blocks. */
const blockText = (blocks: unknown): string => JSON.stringify(blocks);

describe('the weekly recap on Slack', () => {
  it('with files:write: one recap message (with its delivery key), then the chart uploaded as a PNG and shared in the channel', async () => {
    await setUp([...botScopes()]);
    expect(botScopes()).toContain('files:write');
    await postRecap();

    const posts = fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const recap = fake.channel(CHANNEL)[0]!;
    expect(recap.metadata?.event_type).toBe(DELIVERY_EVENT_TYPE);
    const text = blockText(recap.blocks);
    expect(text).toContain('Weekly recap · 15–21 Aug 2026');
    expect(text).not.toContain('```'); // the chart says it: no table
    // The hostile title is shown as text: no mention, no broadcast.
    expect(text).toContain('&lt;!channel&gt; Attention &amp; &lt;@U0BOSS&gt; is all you need');
    expect(text).not.toMatch(/<!channel>|<@U0BOSS>/);

    // filesUploadV2: files.getUploadURLExternal, the bytes to its upload_url, files.completeUploadExternal.
    const [asked] = fake.callsTo('files.getUploadURLExternal');
    expect(asked!.params).toMatchObject({ filename: 'paperboy-recap-2026-W34.png' });
    const file = [...fake.uploads.values()][0]!;
    expect(file.data!.length).toBe(Number(asked!.params.length));
    expect(pngHeader(file.data!)).toEqual({ width: 960, height: 540, bitDepth: 8, colorType: 6 });
    expect(file.alt_text).toMatch(/per day and per topic/);
    expect(file.completed).toEqual({ title: 'paperboy-recap-2026-W34.png', channel: CHANNEL });
    // Shared in the channel right after the recap.
    expect(fake.channel(CHANNEL).map((m) => m.files?.[0]?.name ?? 'recap')).toEqual(['recap', 'paperboy-recap-2026-W34.png']);
  });

  it('without files:write: the recap carries a text table, and nothing is uploaded', async () => {
    await setUp(botScopes().filter((s) => s !== 'files:write'));
    await postRecap();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    expect(fake.callsTo('files.completeUploadExternal')).toHaveLength(0);
    const text = blockText(fake.channel(CHANNEL)[0]!.blocks);
    const table = /```([^`]*)```/.exec(text)?.[1]?.replace(/\\n/g, '\n');
    expect(table).toBeDefined();
    expect(table!.split('\n').find((l) => l.startsWith('Tue 18 Aug'))).toMatch(/\s0\s+2\s+0$/);
    expect(table!.split('\n').find((l) => l.startsWith('Wed 19 Aug'))).toMatch(/\s0\s+1\s+1$/);
    expect(table!.split('\n').find((l) => l.startsWith('Total'))).toMatch(/\s0\s+3\s+1$/);
    expect(table).toMatch(/not posted here\s+0\s+3\s+1/);
  });

  it('a scope Slack refuses anyway (missing_scope on upload) leaves the recap posted, once', async () => {
    await setUp([...botScopes()]);
    fake.script('files.getUploadURLExternal', { error: 'missing_scope' });
    await postRecap();
    expect(fake.channel(CHANNEL)).toHaveLength(1);
    const rows = await store.db.selectFrom('deliveries').select('state').where('kind', '=', 'recap').execute();
    expect(rows).toEqual([{ state: 'sent' }]);
    expect(logger.entries.some((e) => e.msg.includes('recap chart') && JSON.stringify(e).includes('files:write'))).toBe(true);
  });

  it('previews with the table in the private reply (a response URL carries no file)', async () => {
    fake = await FakeSlack.start({ token: TOKEN });
    store = await openStore(':memory:');
    const m = renderReply({ title: 'Weekly recap', text: 'summary', table: 'Day   Posted\nMon <b> 1', ephemeral: true });
    expect(blockText(m.blocks)).toContain('```Day   Posted\\nMon &lt;b&gt; 1```');
  });
});
