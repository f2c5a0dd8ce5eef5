import { afterEach, describe, expect, it } from 'vitest';
import { seededRng, trialSeeds } from '../crash/prng.ts';
import { landedOnDiscord, landedOnSlack } from '../crash/landed.ts';
import { deliveryProblems, SLACK_TEAM } from '../crash/world.ts';
import { discordStorm, slackStorm, startStormWorld, STORM, type StormCounts, type StormWorld } from './storm-world.ts';

/*
 * Issue 5, "Storms": a channel deleted mid-run (Discord 10003 Unknown Channel, Slack
 * channel_not_found) is disabled with its reason kept and told once where the platform lets
 * us, and every other channel is delivered, while a lighter storm blows. The seed is
 * printed; replay with PAPERBOY_STORM_SEEDS=<seed>.
 */

const SIZE = { discordChannels: 24, slackChannels: 8 };
const seeds = trialSeeds('PAPERBOY_STORM_SEEDS', 1);

let w: StormWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const NOTICE = "I've stopped posting digests here";

describe('a channel deleted mid-run', () => {
  it.each(seeds)('seed %i: is disabled with its reason kept and told once; every other channel is delivered', async (seed) => {
    console.log(`deleted-channel seed ${seed} (replay: PAPERBOY_STORM_SEEDS=${seed} npx vitest run test/storms)`);
    const rng = seededRng(seed);
    w = await startStormWorld(SIZE);
    const { discord, slack, world, app } = w;
    const goneOnDiscord = world.guild.channels[rng.int(world.guild.channels.length)]!.id;
    const goneOnSlack = world.slackChannels[rng.int(world.slackChannels.length)]!;
    // Each is deleted right after a message first lands there: its digest is left half posted.
    const landedBeforeDeletion = new Map<string, number>();
    discord.beforeAnswer = (call, answer) => {
      if (call.method === 'POST' && call.path === `/channels/${goneOnDiscord}/messages` && answer.status === 200 && !landedBeforeDeletion.has(goneOnDiscord)) {
        discord.deleteChannel(goneOnDiscord);
        landedBeforeDeletion.set(goneOnDiscord, discord.channelMessages(goneOnDiscord).length);
      }
    };
    slack.beforeAnswer = (call, status) => {
      if (call.method === 'chat.postMessage' && call.params.channel === goneOnSlack && status === 200 && !landedBeforeDeletion.has(goneOnSlack)) {
        slack.channelErrors.set(goneOnSlack, 'channel_not_found');
        landedBeforeDeletion.set(goneOnSlack, slack.channel(goneOnSlack).length);
      }
    };
    // A lighter storm: this test is about the dead channel.
    const counts: StormCounts = { rateLimited: 0, serverErrors: 0, afterEffect: 0, bursts: 0 };
    discord.chaos = discordStorm(rng, { ...STORM, rateLimited: 0.1, burstChance: 0.01 }, counts);
    slack.chaos = slackStorm(rng, { ...STORM, rateLimited: 0.1, burstChance: 0.01 }, counts);

    await w.runUntilSettled({ timeoutMs: 50_000 });
    discord.chaos = null;
    slack.chaos = null;

    const problems = await deliveryProblems(world, w, app.store, new Set([goneOnDiscord, goneOnSlack]));
    expect(problems.slice(0, 20), `seed ${seed}: ${problems.length} problems`).toEqual([]);

    const gone = [
      { platform: 'discord', id: goneOnDiscord, code: '10003', landed: landedOnDiscord(discord, goneOnDiscord) },
      { platform: 'slack', id: goneOnSlack, code: 'channel_not_found', landed: landedOnSlack(slack, goneOnSlack) },
    ];
    for (const g of gone) {
      const team = (await app.store.teams.findTeam(g.platform, g.platform === 'discord' ? world.guild.id : SLACK_TEAM))!;
      const channel = (await app.store.teams.findChannel(team.id, g.id))!;
      expect(channel.disabled_reason, `${g.platform} ${g.id}`).toContain(g.code);
      expect(channel.disabled_at).not.toBeNull();
      // Kept, not deleted: the digest and what it planned stay, the unsent marked failed with the reason.
      const [digest] = await app.store.db.selectFrom('digests').selectAll().where('channel_id', '=', channel.id).execute();
      const rows = await app.store.outbox.deliveriesOf(digest!.id);
      expect(rows.length).toBe(digest!.paper_count);
      expect(rows.filter((r) => r.state === 'failed').every((r) => r.last_error?.includes(g.code))).toBe(true);
      expect(rows.some((r) => r.state === 'failed')).toBe(true);
      // Nothing landed after the deletion, and what landed before is still counted once.
      expect(g.landed.headers.length + g.landed.papers.length, `${g.platform} ${g.id}`).toBe(landedBeforeDeletion.get(g.id));
      expect(new Set(g.landed.papers.map((p) => p.paperId)).size).toBe(g.landed.papers.length);
    }
    // Told once: one notice tried per deleted channel (a deleted channel cannot receive it). The
    // libraries may repeat that one request after a 429; its nonce or key says it is one notice.
    const discordNotices = discord.callsTo('POST', new RegExp(`^/channels/${goneOnDiscord}/messages$`)).filter((c) => String(c.body?.content ?? '').startsWith(NOTICE));
    const slackNotices = slack.callsTo('chat.postMessage').filter((c) => c.params.channel === goneOnSlack && String(c.params.text).startsWith(NOTICE));
    expect(new Set(discordNotices.map((c) => c.body.nonce)).size).toBe(1);
    expect(new Set(slackNotices.map((c) => JSON.stringify(c.params.metadata))).size).toBe(1);
    // Once disabled, nothing more is sent there, however many ticks run.
    const before = discord.calls.length + slack.calls.length;
    for (let i = 0; i < 3; i++) {
      w.clock.advance(3600_000);
      await app.delivery.tick();
    }
    expect(discord.calls.length + slack.calls.length).toBe(before);
  }, 60_000);
});
