import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_SETTINGS, DeliveryEngine } from '../../src/delivery/engine.ts';
import { Posters } from '../../src/delivery/posters.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { storeOnlyHealth } from '../../src/ingest/poller.ts';
import { chatInputInteraction, Perm, type CommandOption } from '../support/fake-discord/index.ts';
import { pngHeader } from '../support/png.ts';
import { ALICE, BOB, CHANNEL_ID, GUILD, PAPER_ID, startHarness, type Harness } from './harness.ts';

/*
 * The weekly recap on Discord, through the real adapter and discord.js REST: the chart arrives
 * at the fake Discord as a multipart upload (payload_json + files[0]), a PNG of the chart's
 * size, shown by the recap's embed; the preview is ephemeral and carries it too.
 */

let h: Harness;
const clock = fixedClock('2026-08-18T09:00:00Z');
let engine: DeliveryEngine;

beforeAll(async () => {
  h = await startHarness();
  const team = await h.store.teams.ensureTeam({ platform: 'discord', externalId: GUILD.id }, clock.now());
  await h.store.teams.ensureChannel(team.id, { externalId: CHANNEL_ID }, clock.now());
  // The team's week: votes and a save on recorded papers (HF Daily Papers, 17 and 18 Aug 2026).
  const [second] = (await h.store.papers.listedOn('2026-08-18')).filter((id) => id !== PAPER_ID);
  for (const user of ['u1', 'u2', 'u3']) await h.store.votes.set(team.id, user, PAPER_ID, true, new Date('2026-08-19T10:00:00Z'));
  await h.store.votes.set(team.id, 'u1', second!, true, new Date('2026-08-20T10:00:00Z'));
  await h.store.saves.save(team.id, 'u2', second!, 'for Friday', new Date('2026-08-20T11:00:00Z'));
  const posters = new Posters();
  posters.register(h.adapter.poster);
  engine = new DeliveryEngine({ store: h.store, posters, clock, logger: h.logger, health: storeOnlyHealth, settings: DEFAULT_DELIVERY_SETTINGS, instanceId: 'test-bot' });
});
afterEach(() => h.fake.assertNoUnmatched());
afterAll(async () => h?.close());

const recapPosts = () => h.fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL_ID}/messages$`)).filter((c) => c.body?.embeds?.[0]?.title?.startsWith('Weekly recap'));

async function run(options: CommandOption[], permissions: string, user = ALICE) {
  return h.fake.answerTo(h.fake.interact(chatInputInteraction(h.where(user, permissions), 'recap', options)));
}

describe('/papers recap on Discord', () => {
  it('previews privately, with the chart attached', async () => {
    const answer = await run([], Perm.member, BOB);
    expect(answer.ephemeral).toBe(true);
    expect(answer.message.attachments.map((a: any) => a.filename)).toEqual([expect.stringMatching(/^paperboy-recap-2026-W\d+\.png$/)]);
    const upload = h.fake.calls.filter((c) => c.files.length > 0).at(-1)!;
    expect(upload.files[0]!.type).toBe('image/png');
    expect(pngHeader(upload.files[0]!.data)).toMatchObject({ width: 960, height: 540 });
  });

  it('refuses on/off to members, privately, and takes them from managers', async () => {
    const refused = await run([{ name: 'action', type: 3, value: 'on' }, { name: 'day', type: 3, value: 'fri' }, { name: 'time', type: 3, value: '16:00' }], Perm.member, BOB);
    expect(refused.ephemeral).toBe(true);
    expect(refused.message.content).toMatch(/Manage Channels/);
    const ok = await run([{ name: 'action', type: 3, value: 'on' }, { name: 'day', type: 3, value: 'fri' }, { name: 'time', type: 3, value: '16:00' }], Perm.manageChannels);
    expect(ok.ephemeral).toBe(false);
    expect(ok.message.content).toContain('Fridays at 16:00 UTC');
  });

  it('posts the weekly recap once, with its chart as a PNG attachment the embed shows', async () => {
    clock.set('2026-08-21T16:00:30Z');
    await engine.tick();
    await engine.tick();
    const posts = recapPosts();
    expect(posts).toHaveLength(1);
    const call = posts[0]!;
    // multipart/form-data: the message as payload_json, the chart as files[0].
    expect(String(call.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.files.map((f) => [f.field, f.name, f.type])).toEqual([['files[0]', 'paperboy-recap-2026-W34.png', 'image/png']]);
    expect(pngHeader(call.files[0]!.data)).toEqual({ width: 960, height: 540, bitDepth: 8, colorType: 6 });
    const embed = call.body.embeds[0];
    expect(embed.title).toBe('Weekly recap · 15–21 Aug 2026');
    expect(embed.image.url).toBe('attachment://paperboy-recap-2026-W34.png');
    expect(embed.description).toMatch(/1\\?\. .*\(arXiv 2608\\?\.14391\): 3 votes, 0 saves/);
    expect(embed.description).toContain('4 votes and 1 save by the team');
    expect(call.body.allowed_mentions).toEqual({ parse: [] });
    const message = [...h.fake.messages.values()].find((m) => m.embeds[0]?.title === embed.title)!;
    expect(message.attachments).toMatchObject([{ filename: 'paperboy-recap-2026-W34.png', content_type: 'image/png', size: call.files[0]!.data.length }]);
    const rows = await h.store.db.selectFrom('deliveries').select(['state', 'message_id']).where('kind', '=', 'recap').execute();
    expect(rows).toEqual([{ state: 'sent', message_id: message.id }]);
  });

  it('a retry after an unknown outcome finds the recap by its key and does not post it again', async () => {
    const before = recapPosts().length;
    await h.store.db.updateTable('deliveries').set({ state: 'planned' }).where('kind', '=', 'recap').execute();
    clock.set('2026-08-21T16:05:00Z');
    await engine.tick();
    expect(recapPosts()).toHaveLength(before);
    const rows = await h.store.db.selectFrom('deliveries').select(['state', 'attempts']).where('kind', '=', 'recap').execute();
    expect(rows).toEqual([{ state: 'sent', attempts: 2 }]);
  });
});
