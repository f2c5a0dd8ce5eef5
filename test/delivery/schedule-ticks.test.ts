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
});
