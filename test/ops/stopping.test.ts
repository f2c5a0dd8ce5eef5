import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/*
 * Issue 11, Operations: what a shutting-down bot does with the work it is offered. The whole
 * SIGTERM path, with real processes, is test/ops/shutdown.test.ts.
 */

let h: CoreHarness | undefined;
afterEach(async () => {
  await h?.close().catch(() => undefined);
  h = undefined;
});

describe('a bot that is stopping', () => {
  it('answers a command politely instead of running it, and times it like any command', async () => {
    h = await coreHarness();
    const { app } = h;
    expect((await h!.say('/papers subscribe agents')).error).toBeUndefined();
    app.stopAccepting();
    const reply = await h!.say('/papers unsubscribe agents');
    expect(reply).toMatchObject({ ephemeral: true, error: { kind: 'user', code: 'shutting_down' } });
    expect(reply.text).toMatch(/restarting.*try again/i);
    // Nothing ran: the topic is still there.
    app.runtime.accepting = () => true;
    expect((await h!.say('/papers topics')).text).toContain('agents');
  });

  it('plans and claims nothing once the delivery engine is stopped; the queue is left for the next start', async () => {
    const dueDigest = async (stopped: boolean) => {
      h = await coreHarness({ now: '2026-08-21T08:00:00Z' });
      await h.say('/papers schedule 09:00 UTC mon,tue,wed,thu,fri,sat,sun');
      h.clock.set('2026-08-21T09:01:00Z');
      if (stopped) h.app.delivery.stop();
      const report = await h.app.delivery.tick();
      const posted = h.posted.length;
      await h.close();
      return { report, posted };
    };
    // The same world, running: the digest is planned and posted.
    const running = await dueDigest(false);
    expect(running.report.planned).toBe(1);
    expect(running.posted).toBeGreaterThan(0);
    const stopped = await dueDigest(true);
    expect(stopped.report).toMatchObject({ planned: 0, sent: 0 });
    expect(stopped.posted).toBe(0);
  });
});
