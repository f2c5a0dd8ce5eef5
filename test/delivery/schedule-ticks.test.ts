import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryHarness, type DeliveryHarness } from './harness.ts';

let h: DeliveryHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd HH:mm');

/**
 * Every minute ticked across each DST switch: each scheduled slot yields exactly one digest,
 * planned within a minute of its documented local time. A slot inside the spring-forward gap
 * falls due at the first minute after the gap; a slot in the repeated hour fires once.
 */
const SWITCHES = [
  { zone: 'Europe/Berlin', day: '2026-03-29', kind: 'spring', gapOrRepeat: '02:30', expected: '2026-03-29 03:00' },
  { zone: 'Europe/Berlin', day: '2026-10-25', kind: 'fall', gapOrRepeat: '02:30', expected: '2026-10-25 02:30' },
  { zone: 'America/New_York', day: '2026-03-08', kind: 'spring', gapOrRepeat: '02:30', expected: '2026-03-08 03:00' },
  { zone: 'America/New_York', day: '2026-11-01', kind: 'fall', gapOrRepeat: '01:30', expected: '2026-11-01 01:30' },
  { zone: 'Australia/Sydney', day: '2026-10-04', kind: 'spring', gapOrRepeat: '02:30', expected: '2026-10-04 03:00' },
  { zone: 'Australia/Sydney', day: '2026-04-05', kind: 'fall', gapOrRepeat: '02:30', expected: '2026-04-05 02:30' },
] as const;

describe.each(SWITCHES)('$zone, $kind switch on $day', ({ zone, day, gapOrRepeat, expected }) => {
  it('one digest per slot, at the documented local time', async () => {
    const start = DateTime.fromISO(`${day}T00:00`, { zone }).minus({ hours: 12 });
    h = await deliveryHarness(start.toUTC().toISO()!);
    const ch = await h.channel('lab', `${gapOrRepeat},09:00 ${zone} daily`);
    await h.tickUntil(DateTime.fromISO(`${day}T12:00`, { zone }).toUTC().toISO()!);

    const digests = (await h.digests(ch)).filter((d) => d.digest_date === day);
    expect(digests.map((d) => d.slot)).toEqual([gapOrRepeat, '09:00']);
    const [early, nine] = digests;
    expect(local(early!.due_at, zone)).toBe(expected);
    expect(local(nine!.due_at, zone)).toBe(`${day} 09:00`);
    for (const d of digests) {
      // Planned by the first tick at or after its due time, labelled on time.
      expect(new Date(d.created_at).getTime() - new Date(d.due_at).getTime()).toBeLessThan(60_000);
      expect(d.kind).toBe('scheduled');
    }
  });
});

describe('the schedule lives in the database', () => {
  it('a schedule change takes effect at the next tick, without a restart', async () => {
    h = await deliveryHarness('2026-08-19T06:00:00Z');
    const ch = await h.channel('lab', '09:00 UTC daily');
    await h.tickUntil('2026-08-19T06:30:00Z');
    await h.channel('lab', '06:32 UTC daily');
    await h.tickUntil('2026-08-19T06:32:00Z');
    expect((await h.digests(ch)).map((d) => `${d.digest_date} ${d.slot}`)).toEqual(['2026-08-19 06:32']);
    await h.tickUntil('2026-08-19T10:00:00Z');
    expect(await h.digests(ch)).toHaveLength(1); // 09:00 is no longer a slot
  });

  it('a dropped tick loses nothing: the next tick plans the slot', async () => {
    h = await deliveryHarness('2026-08-19T08:58:00Z');
    const ch = await h.channel('lab', '09:00 UTC daily');
    h.clock.set('2026-08-19T09:03:00Z'); // 09:00, 09:01, 09:02 never ticked
    await h.app.delivery.tick();
    expect((await h.digests(ch)).map((d) => d.kind)).toEqual(['scheduled']);
  });

  it('weekdays only: nothing on the weekend, default Mon-Fri', async () => {
    h = await deliveryHarness('2026-08-21T08:00:00Z'); // Friday
    const ch = await h.channel('lab', '09:00 UTC');
    await h.tickUntil('2026-08-24T10:00:00Z', 5);
    expect((await h.digests(ch)).map((d) => d.digest_date)).toEqual(['2026-08-21', '2026-08-24']);
  });

  it('a schedule change never fires a slot that had passed when it was made, and says when it will', async () => {
    h = await deliveryHarness('2026-08-19T08:00:00Z'); // Wednesday
    await h.list('2026-08-17', '2026-08-19');
    const ch = await h.channel('lab', '09:00 UTC daily');
    await h.tickUntil('2026-08-19T11:00:00Z');
    const reply = await h.schedule('lab', '10:00');
    expect(reply).toContain('Next: Thu 20 Aug, 10:00 UTC');
    await h.tickUntil('2026-08-20T10:05:00Z');
    const digests = await h.digests(ch);
    expect(digests.map((d) => `${d.digest_date} ${d.slot} ${d.kind}`)).toEqual(['2026-08-19 09:00 scheduled', '2026-08-20 10:00 scheduled']);
    expect(h.poster.headersIn('lab')).toHaveLength(2);
    expect(h.poster.headersIn('lab').filter((t) => /late/.test(t))).toEqual([]);
  });

  it('a new time keeps the channel\'s weekdays and time zone', async () => {
    h = await deliveryHarness('2026-08-21T06:00:00Z'); // Friday
    const ch = await h.channel('lab', '09:00 Europe/Berlin daily');
    const reply = await h.schedule('lab', '10:00');
    expect(reply).toContain('10:00 Europe/Berlin, daily');
    expect(await h.app.store.schedules.get(ch)).toMatchObject({ times: ['10:00'], timezone: 'Europe/Berlin', weekdays: [1, 2, 3, 4, 5, 6, 7] });
    await h.tickUntil('2026-08-23T09:00:00Z', 5);
    // Saturday and Sunday too, at 10:00 Berlin (08:00 UTC in summer).
    expect((await h.digests(ch)).map((d) => `${d.digest_date} ${d.due_at.slice(11, 16)}`)).toEqual(['2026-08-21 08:00', '2026-08-22 08:00', '2026-08-23 08:00']);
  });

  it('typing the same schedule again does not drop a slot that is still waiting', async () => {
    h = await deliveryHarness('2026-08-19T08:58:00Z');
    const ch = await h.channel('lab', '09:00 UTC daily');
    h.health.ready = false; // nothing listed and a source down: the 09:00 digest waits
    await h.tickUntil('2026-08-19T09:04:00Z');
    expect(await h.digests(ch)).toHaveLength(0);
    await h.schedule('lab', '09:00 UTC daily');
    h.health.ready = true;
    await h.tickUntil('2026-08-19T09:05:00Z');
    expect((await h.digests(ch)).map((d) => `${d.digest_date} ${d.slot}`)).toEqual(['2026-08-19 09:00']);
  });

  it('"Next:" skips a slot whose digest was already posted (a zone change brings the same local time back)', async () => {
    h = await deliveryHarness('2026-08-19T08:00:00Z');
    const ch = await h.channel('lab', '09:00 UTC daily');
    await h.tickUntil('2026-08-19T09:30:00Z');
    const reply = await h.schedule('lab', '09:00 America/New_York');
    expect(reply).toContain('Next: Thu 20 Aug, 09:00 America/New_York');
    await h.tickUntil('2026-08-20T14:00:00Z', 5);
    expect((await h.digests(ch)).map((d) => `${d.digest_date} ${d.slot}`)).toEqual(['2026-08-19 09:00', '2026-08-20 09:00']);
  });
});
