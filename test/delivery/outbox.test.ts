import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.ts';
import { RecordingPoster } from '../support/recording-poster.ts';
import { deliveryHarness, type DeliveryHarness } from './harness.ts';

let h: DeliveryHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function say(line: string, channel = 'lab') {
  const [command, ...rest] = line.split(' ');
  const spec = h!.app.runtime.commands.find((c) => c.name === command)!;
  const options = spec.options[0] && rest.length ? { [spec.options[0].name]: rest.join(' ') } : {};
  return runCommand(
    { command: command!, options, team: { platform: 'console', externalId: 'lab' }, channel: { externalId: channel }, user: { id: 'admin', isManager: () => true }, managerRequirement: 'a manager' },
    h!.app.runtime,
  );
}

describe('digest contents', () => {
  it('posts a header then the top papers of the window, each once, best first', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    await h.list('2026-08-20', '2026-08-20');
    await h.list('2026-08-21', '2026-08-21');
    await h.channel('lab', '09:00 UTC mon-fri');
    await h.tickUntil('2026-08-21T09:05:00Z');
    const papers = h.poster.papersIn('lab');
    expect(papers).toHaveLength(5);
    expect(papers[0]).toBe('2608.19880'); // 163 upvotes, the day's best
    expect(h.poster.headersIn('lab')).toEqual(['Paperboy · Fri 21 Aug | 5 new papers listed 2026-08-18 to 2026-08-21. Vote with the buttons or 👍, save with 🔖.']);
    expect(h.poster.posts[0]!.message.kind).toBe('header');

    // Monday: the window starts at Friday's digest; nothing posted on Friday comes again.
    await h.list('2026-08-17', '2026-08-24');
    await h.tickUntil('2026-08-24T09:05:00Z', 5);
    const monday = h.poster.papersIn('lab').slice(5);
    expect(monday).toHaveLength(5);
    expect(monday.filter((id) => papers.includes(id))).toEqual([]);
  });

  it('a paper matching several topics is posted once, ranked above single matches', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    await h.list('2026-08-21', '2026-08-21');
    await h.channel('lab', '09:00 UTC daily');
    await say('subscribe agents');
    await say('subscribe benchmark');
    await h.tickUntil('2026-08-21T09:01:00Z');
    const posted = h.poster.posts.flatMap((p) => (p.message.kind === 'paper' ? [p.message.card] : []));
    expect(new Set(posted.map((c) => c.paper.id)).size).toBe(posted.length);
    const topicsOf = posted.map((c) => (c.note ?? '').split(', ').length);
    expect(topicsOf).toEqual([...topicsOf].sort((a, b) => b - a));
    expect(posted[0]!.note).toBe('Topic: agents, benchmark');
  });

  it('nothing is posted to a channel that never opted in', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    await h.list('2026-08-21', '2026-08-21');
    await say('search agents', 'random');
    await h.tickUntil('2026-08-21T10:00:00Z', 5);
    expect(h.poster.posts).toEqual([]);
  });
});

describe('downtime', () => {
  it('down 08:55-10:20 with a 09:00 schedule: posted once at start, labelled with its date', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const ch = await h.channel('lab', '09:00 UTC mon-fri');
    await h.tickUntil('2026-08-21T08:55:00Z');
    h.clock.set('2026-08-21T10:20:00Z'); // the process was down
    await h.app.delivery.recover();
    await h.tickUntil('2026-08-21T12:00:00Z');
    expect((await h.digests(ch)).map((d) => d.kind)).toEqual(['late']);
    expect(h.poster.headersIn('lab')).toHaveLength(1);
    expect(h.poster.headersIn('lab')[0]).toContain('The digest for 2026-08-21, due at 09:00 and posted late');
    expect(h.poster.papersIn('lab')).toHaveLength(5);
  });

  it('down three days: one catch-up per channel, never a burst', async () => {
    h = await deliveryHarness('2026-08-17T08:00:00Z');
    const a = await h.channel('a', '09:00 UTC daily');
    const b = await h.channel('b', '09:00,17:00 Europe/Berlin daily');
    for (const day of ['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20']) await h.list(day, day);
    h.clock.set('2026-08-20T12:00:00Z'); // down from Monday 08:00 to Thursday noon
    await h.tickUntil('2026-08-20T12:10:00Z');
    for (const ch of [a, b]) {
      const digests = await h.digests(ch);
      expect(digests.map((d) => d.kind)).toEqual(['catch-up']);
    }
    expect(h.poster.headersIn('b')[0]).toContain('one catch-up');
    expect(h.poster.headersIn('a')[0]).toContain('listed 2026-08-17 to 2026-08-20');
    // Each channel got one header and at most its limit of papers, all from the last 3 days.
    for (const name of ['a', 'b']) {
      expect(h.poster.headersIn(name)).toHaveLength(1);
      expect(h.poster.papersIn(name).length).toBeLessThanOrEqual(5);
    }
  });

  it('a digest planned before a long outage is folded into the catch-up: one header, no repeats', async () => {
    h = await deliveryHarness('2026-08-17T08:59:00Z');
    for (const day of ['2026-08-17', '2026-08-18', '2026-08-19']) await h.list(day, day);
    // A Discord channel while Discord is unreachable: its Monday digest is planned, never sent.
    const team = await h.app.store.teams.ensureTeam({ platform: 'discord', externalId: 'G1' }, h.clock.now());
    const ch = await h.app.store.teams.ensureChannel(team.id, { externalId: 'C1' }, h.clock.now());
    await h.app.store.teams.activate(ch.id, h.clock.now());
    await h.tickUntil('2026-08-17T09:05:00Z');
    expect(await h.app.store.outbox.countByState(ch.id)).toEqual({ planned: 5 });
    // Three days later Discord is back.
    const discord = new RecordingPoster('discord');
    h.app.posters.register(discord);
    h.clock.set('2026-08-20T12:00:00Z');
    await h.tickUntil('2026-08-20T12:05:00Z');
    expect((await h.digests(ch.id)).map((d) => d.kind)).toEqual(['scheduled', 'catch-up']);
    expect(discord.headersIn('C1')).toHaveLength(1);
    expect(discord.headersIn('C1')[0]).toContain('catch-up');
    const posted = discord.papersIn('C1');
    expect(posted).toHaveLength(5);
    expect(new Set(posted).size).toBe(5);
  });

  it('opting in or resuming never posts what was missed before', async () => {
    h = await deliveryHarness('2026-08-21T18:00:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const ch = await h.channel('lab', '09:00 UTC daily');
    await h.tickUntil('2026-08-21T18:30:00Z');
    expect(await h.digests(ch)).toEqual([]);
  });
});

describe('source outage', () => {
  it('no digest is marked done with zero papers while a source is failing', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    const ch = await h.channel('lab', '09:00 UTC daily');
    h.health.ready = false; // HF down, nothing ingested for today
    await h.tickUntil('2026-08-21T09:30:00Z');
    expect(await h.digests(ch)).toEqual([]);
    h.health.ready = true;
    await h.list('2026-08-21', '2026-08-21');
    await h.tickUntil('2026-08-21T09:31:00Z');
    expect((await h.digests(ch)).map((d) => [d.kind, d.paper_count])).toEqual([['late', 5]]);
  });

  it('a healthy empty day is recorded once, posting nothing', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z');
    const ch = await h.channel('lab', '09:00 UTC daily');
    await h.tickUntil('2026-08-21T10:00:00Z');
    expect((await h.digests(ch)).map((d) => d.paper_count)).toEqual([0]);
    expect(h.poster.posts).toEqual([]);
  });
});

describe('failures', () => {
  it('transient failures are retried with backoff; the channel keeps its order', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    await h.channel('lab', '09:00 UTC daily');
    let failures = 3;
    h.poster.script = (_c, m) => (m.kind === 'paper' && failures-- > 0 ? { ok: false, action: 'retry', reason: '503 from platform' } : null);
    await h.tickUntil('2026-08-21T09:00:00Z');
    expect(h.poster.headersIn('lab')).toHaveLength(1);
    expect(h.poster.papersIn('lab')).toEqual([]);
    expect(await h.app.store.outbox.countByState()).toEqual({ planned: 5 });
    await h.tickUntil('2026-08-21T09:10:00Z');
    expect(h.poster.papersIn('lab')).toHaveLength(5);
    expect(await h.app.store.outbox.countByState()).toEqual({ sent: 5 });
  });

  it('a failing header backs off like a paper, and its papers wait behind it', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    await h.channel('lab', '09:00 UTC daily');
    const tries: string[] = [];
    h.poster.script = (_c, m) => {
      if (m.kind !== 'header') return null;
      tries.push(h!.clock.now().toISOString().slice(11, 16));
      return tries.length <= 3 ? { ok: false, action: 'retry', reason: 'rate limited', retryAfterMs: 5 * 60_000 } : null;
    };
    await h.tickUntil('2026-08-21T09:20:00Z');
    // Each retry waits the 5 minutes the platform asked for, though the ticker runs every minute.
    expect(tries).toEqual(['09:00', '09:05', '09:10', '09:15']);
    expect(h.poster.posts[0]!.message.kind).toBe('header');
    expect(h.poster.papersIn('lab')).toHaveLength(5);
  });

  it('a dead channel is disabled with its reason, the others delivered; resume re-enables', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const dead = await h.channel('dead', '09:00 UTC daily');
    await h.channel('alive', '09:00 UTC daily');
    h.poster.script = (c) => (c === 'dead' ? { ok: false, action: 'disable-channel', reason: 'Unknown Channel (10003)' } : null);
    await h.tickUntil('2026-08-21T09:05:00Z');
    expect(h.poster.papersIn('alive')).toHaveLength(5);
    const row = await h.app.store.teams.getChannel(dead);
    expect(row?.disabled_reason).toBe('Unknown Channel (10003)');
    const status = await say('status', 'dead');
    expect(status.text).toContain('Posting here stopped on 2026-08-21: Unknown Channel (10003)');
    const resumed = await say('resume', 'dead');
    expect(resumed.text).toContain('Posting had stopped because: Unknown Channel (10003)');
    expect((await h.app.store.teams.getChannel(dead))?.disabled_reason).toBeNull();
  });

  it('papers queued when a channel was disabled are offered again after resume, while still in the window', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z'); // Friday
    await h.list('2026-08-20', '2026-08-20'); // listed the day before the digest that fails
    const soon = await h.channel('soon', '09:00 UTC daily');
    const late = await h.channel('late', '09:00 UTC daily');
    let closed = true;
    h.poster.script = (_c, m) => (closed && m.kind === 'paper' ? { ok: false, action: 'disable-channel', reason: 'Missing Access (50001)' } : null);
    await h.tickUntil('2026-08-21T09:05:00Z');
    expect(await h.app.store.outbox.countByState(soon)).toEqual({ failed: 5 });
    expect(h.poster.papersIn('soon')).toEqual([]);
    closed = false;

    await say('resume', 'soon');
    await h.tickUntil('2026-08-22T09:05:00Z', 5);
    // Saturday's window starts at Friday's digest, yet Friday's undelivered papers come: they were never posted.
    expect(h.poster.papersIn('soon')).toHaveLength(5);
    expect(await h.app.store.outbox.countByState(soon)).toEqual({ sent: 5 }); // the same rows, taken over: none doubled
    const status = await say('status', 'soon');
    expect(status.text).not.toContain('gave up');

    // Resumed after the lookback has passed them (Monday: it reaches back to Friday): not offered any more.
    await h.tickUntil('2026-08-24T08:00:00Z', 10);
    await say('resume', 'late');
    await h.tickUntil('2026-08-24T09:05:00Z');
    expect(h.poster.papersIn('late')).toEqual([]);
    expect(await h.app.store.outbox.countByState(late)).toEqual({ failed: 5 });
  });

  it('a paper given up after repeated failures is offered again, checked against the platform under its first key', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const ch = await h.channel('lab', '09:00 UTC daily');
    let stuck: string | null = null;
    let failing = true;
    h.poster.script = (_c, m) => {
      if (m.kind !== 'paper') return null;
      stuck ??= m.card.paper.id;
      return failing && m.card.paper.id === stuck ? { ok: false, action: 'retry', reason: 'HTTP 502' } : null;
    };
    await h.tickUntil('2026-08-21T10:00:00Z');
    expect(h.poster.papersIn('lab')).toHaveLength(4);
    expect(await h.app.store.outbox.countByState(ch)).toEqual({ sent: 4, failed: 1 });
    const given = await h.app.store.outbox.deliveryOf(ch, stuck!);

    failing = false;
    await h.tickUntil('2026-08-22T09:05:00Z', 5);
    expect(h.poster.papersIn('lab').filter((id) => id === stuck)).toHaveLength(1);
    const again = h.poster.posts.find((p) => p.message.kind === 'paper' && p.message.card.paper.id === stuck)!.message;
    // Its earlier tries may have landed: the same key, an attempt above 1, and when it was first tried.
    expect(again.key).toBe(`d${given!.id}`);
    expect(again.attempt).toBeGreaterThan(1);
    expect(again.firstTriedAt?.toISOString()).toBe(new Date(given!.claimed_at!).toISOString());
    // One row for it, now sent (Saturday also brought Friday's papers that did not fit).
    const rows = await h.app.store.db.selectFrom('deliveries').select(['id', 'state']).where('channel_id', '=', ch).where('paper_id', '=', stuck!).execute();
    expect(rows).toEqual([{ id: given!.id, state: 'sent' }]);
    expect(Object.keys(await h.app.store.outbox.countByState(ch))).toEqual(['sent']);
  });

  it('a message the platform refuses as formed is given up at once; the channel goes on, nothing is retried', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    const ch = await h.channel('lab', '09:00 UTC daily');
    let refused: string | null = null;
    const tries: string[] = [];
    h.poster.script = (_c, m) => {
      if (m.kind === 'header') return { ok: false, action: 'drop', reason: 'Discord 400 50035: Invalid Form Body' };
      if (m.kind !== 'paper') return null;
      refused ??= m.card.paper.id;
      if (m.card.paper.id !== refused) return null;
      tries.push(h!.clock.now().toISOString());
      return { ok: false, action: 'drop', reason: 'Discord 400 50035: Invalid Form Body' };
    };
    await h.tickUntil('2026-08-21T09:00:00Z');
    // Same tick: the header and one paper refused, the other four posted behind them.
    expect(h.poster.papersIn('lab')).toHaveLength(4);
    expect(await h.app.store.outbox.countByState(ch)).toEqual({ sent: 4, failed: 1 });
    expect((await h.app.store.outbox.headerOf((await h.app.store.outbox.lastDigest(ch))!.id))?.state).toBe('failed');
    await h.tickUntil('2026-08-21T11:00:00Z', 5);
    expect(tries).toHaveLength(1);
    expect((await h.app.store.outbox.deliveryOf(ch, refused!))?.last_error).toContain('50035');
  });

  it('/papers status says when the adapter cannot check the channel before a re-post, until it can again', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    await h.channel('lab', '09:00 UTC daily');
    let problem: string | null = 'Slack answers missing_scope to reading its history; add the channels:history and groups:history scopes';
    h.poster.script = (_c, m) => (m.kind === 'header' ? { ok: true, messageId: `h-${m.key}`, checkProblem: problem } : null);
    await h.tickUntil('2026-08-21T09:01:00Z');
    expect((await say('status')).text).toContain("I can't check this channel before re-sending a post whose outcome was unknown, so such a post may appear twice: Slack answers missing_scope");
    problem = null;
    await h.list('2026-08-20', '2026-08-22');
    await h.tickUntil('2026-08-22T09:01:00Z', 5);
    expect((await say('status')).text).not.toContain("can't check");
  });

  it('after a crash mid-post, the uncertain post is re-sent with the same key and lands once', async () => {
    h = await deliveryHarness('2026-08-21T08:59:00Z');
    await h.list('2026-08-21', '2026-08-21');
    await h.channel('lab', '09:00 UTC daily');
    h.clock.set('2026-08-21T09:00:00Z');
    await h.app.delivery.planDue();
    const channelId = (await h.app.store.teams.deliverableChannels())[0]!.id;
    // A process that crashed: its leases are still running, but it is no registered instance.
    const crashed = { owner: 'box:999:dead', until: new Date(h.clock.now().getTime() + 60_000) };
    const header = await h.app.store.outbox.claimNext(channelId, h.clock.now(), crashed);
    expect(header?.kind).toBe('header');
    await h.app.store.outbox.markSent(header!.id, 'm0', h.clock.now(), crashed.owner);
    // Simulate a crash after the platform accepted the post but before we recorded it.
    const claimed = await h.app.store.outbox.claimNext(channelId, h.clock.now(), crashed);
    const paper = await h.app.store.papers.get(claimed!.paper_id!);
    await h.poster.post('lab', { kind: 'paper', key: `d${claimed!.id}`, card: { paper: paper!, teamVotes: 0, saves: 0, voted: null, saved: null }, digestDate: '2026-08-21', attempt: 1 });
    expect(await h.app.delivery.recover()).toBe(1);
    await h.app.delivery.tick();
    const ids = h.poster.papersIn('lab');
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    const landed = h.poster.posts.filter((p) => p.message.kind === 'paper' && p.message.key === `d${claimed!.id}`);
    expect(landed).toHaveLength(1);
    // It lands once because the engine re-sent it as a retry with the same key (so the adapter
    // checks the platform first), not because it was skipped: two calls, the second a retry.
    const sent = h.poster.calls.filter((c) => c.message.key === `d${claimed!.id}`);
    expect(sent.map((c) => c.message.attempt)).toEqual([1, 2]);
    expect(sent[1]!.message.firstTriedAt?.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());
  });
});
