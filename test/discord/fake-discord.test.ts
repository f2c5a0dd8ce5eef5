import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, Intent, Op, reactionAdd, type GatewayFrame } from '../support/fake-discord/index.ts';
import { ALICE, APP_ID, CHANNEL_ID, GUILD, TOKEN } from './harness.ts';

/** The fake itself: if it were lenient, the adapter tests would prove less. */

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: [GUILD] });
});
afterAll(async () => fake.close());

async function connect(): Promise<{ ws: WebSocket; frames: GatewayFrame[]; closed: Promise<number> }> {
  const ws = new WebSocket(`${fake.gateway.url}?v=10&encoding=json`);
  const frames: GatewayFrame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve) => ws.once('open', resolve));
  await fake.waitFor('HELLO', () => frames.find((f) => f.op === Op.Hello));
  return { ws, frames, closed };
}

describe('fake gateway', () => {
  it('closes with 4004 on a wrong token', async () => {
    const { ws, closed } = await connect();
    ws.send(JSON.stringify({ op: Op.Identify, d: { token: 'nope', intents: 1, properties: {} } }));
    expect(await closed).toBe(4004);
  });

  it('sends READY and GUILD_CREATE, acknowledges heartbeats, and filters events by the IDENTIFY intents', async () => {
    fake.gateway.exclusiveShards = false; // two sessions of shard 0, as Discord tolerates
    const guildsOnly = await connect();
    const withReactions = await connect();
    guildsOnly.ws.send(JSON.stringify({ op: Op.Identify, d: { token: TOKEN, intents: Intent.Guilds, properties: {} } }));
    withReactions.ws.send(JSON.stringify({ op: Op.Identify, d: { token: TOKEN, intents: Intent.Guilds | Intent.GuildMessageReactions, properties: {} } }));
    for (const c of [guildsOnly, withReactions]) {
      await fake.waitFor('GUILD_CREATE', () => c.frames.find((f) => f.t === 'GUILD_CREATE'));
      expect(c.frames.find((f) => f.t === 'READY')).toBeDefined();
    }
    guildsOnly.ws.send(JSON.stringify({ op: Op.Heartbeat, d: 2 }));
    await fake.waitFor('heartbeat ACK', () => guildsOnly.frames.find((f) => f.op === Op.HeartbeatAck));

    fake.gateway.dispatch('MESSAGE_REACTION_ADD', reactionAdd({ guild: GUILD, channelId: CHANNEL_ID, user: ALICE }, '1450000000000000001', '👍', APP_ID));
    await fake.waitFor('the reaction on the socket that asked for it', () => withReactions.frames.find((f) => f.t === 'MESSAGE_REACTION_ADD'));
    expect(guildsOnly.frames.find((f) => f.t === 'MESSAGE_REACTION_ADD')).toBeUndefined();
    guildsOnly.ws.close();
    withReactions.ws.close();
    fake.gateway.exclusiveShards = true;
  });
});

describe('fake REST', () => {
  it('answers an unknown route 404 and makes the test fail loudly', async () => {
    const res = await fetch(`${fake.apiUrl}/v10/guilds/${GUILD.id}/members`, { headers: { authorization: `Bot ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(() => fake.assertNoUnmatched()).toThrow(/GET \/guilds\/\d+\/members/);
    expect(() => fake.assertNoUnmatched()).not.toThrow();
  });

  it('refuses bot routes without the bot token', async () => {
    const res = await fetch(`${fake.apiUrl}/v10/channels/${CHANNEL_ID}/messages`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });

  it('refuses a late or second interaction callback as Discord does', async () => {
    const i = fake.interact({ id: '1450000000000000002', token: 'tok', type: 2, guild_id: GUILD.id, channel: { id: CHANNEL_ID } });
    const url = `${fake.apiUrl}/v10/interactions/${i.id}/tok/callback`;
    const post = () => fetch(url, { method: 'POST', body: JSON.stringify({ type: 4, data: { content: 'hi' } }), headers: { 'content-type': 'application/json' } });
    expect((await post()).status).toBe(204);
    expect(await (await post()).json()).toMatchObject({ code: 40060 });
    const late = fake.interact({ id: '1450000000000000003', token: 'tok2', type: 2, guild_id: GUILD.id, channel: { id: CHANNEL_ID } });
    late.dispatchedAt -= 3001;
    const res = await fetch(`${fake.apiUrl}/v10/interactions/${late.id}/tok2/callback`, { method: 'POST', body: JSON.stringify({ type: 4, data: {} }), headers: { 'content-type': 'application/json' } });
    expect(await res.json()).toMatchObject({ code: 10062 });
  });
});
