import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordLoginError, startDiscord } from '../../adapters/discord/index.ts';
import { commands } from '../../commands/index.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { openStore } from '../../src/store/store.ts';
import { chatInputInteraction, FakeDiscord, Intent, Op } from '../support/fake-discord/index.ts';
import { APP_ID, GUILD, NOW, startHarness, TOKEN, type Harness } from './harness.ts';

describe('a connected client', () => {
  let h: Harness;
  beforeAll(async () => {
    // Heartbeats every 150 ms, so a few are exchanged during the test.
    h = await startHarness({ heartbeatIntervalMs: 150 });
  });
  afterEach(() => h.fake.assertNoUnmatched());
  afterAll(async () => h?.close());

  const ask = () => h.fake.answerTo(h.fake.interact(chatInputInteraction(h.where(), 'topics')));

  it('identifies with exactly the Guilds and GuildMessageReactions intents and no compression', () => {
    const identify = h.fake.gateway.received(Op.Identify);
    expect(identify).toHaveLength(1);
    const d = identify[0]!.d as { intents: number; compress: boolean; token: string };
    expect(d.intents).toBe(Intent.Guilds | Intent.GuildMessageReactions);
    expect(d.compress).toBe(false);
    expect(d.token).toBe(TOKEN);
  });

  it('keeps the connection alive with heartbeats the gateway acknowledges', async () => {
    await h.fake.waitFor('three heartbeats', () => h.fake.gateway.received(Op.Heartbeat).length >= 3);
    expect(h.fake.gateway.received(Op.Identify)).toHaveLength(1);
    expect(h.fake.gateway.connectedSockets).toBe(1);
  });

  it('resumes after the gateway closes the socket, gets what it missed, and keeps answering', async () => {
    expect((await ask()).via).toBe('reply');
    const closedAt = h.fake.gateway.log.length;
    h.fake.gateway.closeAll(4000);
    // Sent while the client is away: Discord replays it after RESUME.
    const missed = h.fake.interact(chatInputInteraction(h.where(), 'topics'));
    const resume = await h.fake.waitFor('a RESUME', () => h.fake.gateway.log.slice(closedAt).find((e) => e.dir === 'in' && e.frame?.op === Op.Resume));
    expect(resume.path).toMatch(/^\/resume/); // READY's resume_gateway_url, not the identify URL
    expect((resume.frame!.d as { session_id: string }).session_id).toBe('session-1');
    expect((await h.fake.answerTo(missed)).via).toBe('reply');
    expect((await ask()).via).toBe('reply');
    expect(h.fake.gateway.received(Op.Identify)).toHaveLength(1);
  });

  it('identifies again when Discord refuses to resume, and keeps answering', async () => {
    h.fake.gateway.forgetSessions = true;
    const closedAt = h.fake.gateway.log.length;
    h.fake.gateway.terminateAll();
    // discord.js waits for its identify throttle (up to 5 s after the previous IDENTIFY).
    await h.fake.waitFor('a second IDENTIFY', () => h.fake.gateway.log.slice(closedAt).some((e) => e.dir === 'in' && e.frame?.op === Op.Identify), 10_000);
    h.fake.gateway.forgetSessions = false;
    expect((await ask()).via).toBe('reply');
  }, 15_000);
});

describe('login', () => {
  async function deps(apiUrl: string, token = TOKEN) {
    const store = await openStore(':memory:');
    const logger = memoryLogger();
    const services = { postDigestNow: async () => ({ posted: 0 }), commands: () => commands };
    return { store, deps: { settings: { token, appId: APP_ID, apiUrl }, runtime: { store, clock: fixedClock(NOW), logger, services, commands }, logger } };
  }

  it('fails with a message naming DISCORD_TOKEN when Discord rejects the token, and leaves no connection', async () => {
    const fake = await FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: [GUILD] });
    const { store, deps: d } = await deps(fake.apiUrl, 'wrong-token');
    try {
      const err = await startDiscord(d).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiscordLoginError);
      expect((err as Error).message).toMatch(/rejected DISCORD_TOKEN/);
      expect(fake.callsTo('GET', /^\/gateway\/bot$/).map((c) => c.status)).toEqual([401]);
      expect(fake.gateway.connectedSockets).toBe(0);
    } finally {
      await fake.close();
      await store.close();
    }
  });

  it('fails with a message naming the unreachable API', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const api = `http://127.0.0.1:${port}/api`;
    const { store, deps: d } = await deps(api);
    try {
      const err = await startDiscord(d).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiscordLoginError);
      expect((err as Error).message).toBe(`Could not reach the Discord API at ${api} (ECONNREFUSED). Check the network, or DISCORD_API_URL if you set it.`);
    } finally {
      await store.close();
    }
  });

  it('stops cleanly: the gateway sees the socket close', async () => {
    const h = await startHarness();
    expect(h.fake.gateway.connectedSockets).toBe(1);
    await h.adapter.stop();
    await h.fake.waitFor('the socket to close', () => h.fake.gateway.connectedSockets === 0);
    await h.close();
  });
});
