import { describe, expect, it } from 'vitest';
import { describeWeekdays, parseTimes, parseTimezone, parseWeekdays } from '../../src/schedule/parse.ts';
import { slotInstant, upcomingSlots } from '../../src/schedule/next-run.ts';

describe('schedule parsing', () => {
  it('times: sorted, padded, de-duplicated; nonsense refused', () => {
    expect(parseTimes('17:00,9:00, 09:00')).toEqual(['09:00', '17:00']);
    for (const bad of ['24:00', '9', '09:60', 'noon', '09:00,,x']) expect(() => parseTimes(bad), bad).toThrow(/HH:MM/);
  });

  it('weekdays: ranges, lists, aliases, wrap-around', () => {
    expect(parseWeekdays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseWeekdays('daily')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(parseWeekdays('mon,wed,fri')).toEqual([1, 3, 5]);
    expect(parseWeekdays('fri-mon')).toEqual([1, 5, 6, 7]);
    expect(parseWeekdays('Saturday,sunday')).toEqual([6, 7]);
    expect(describeWeekdays([6, 7])).toBe('weekends');
    expect(() => parseWeekdays('funday')).toThrow(/isn't a weekday/);
  });

  it('time zones: IANA names, any case', () => {
    expect(parseTimezone('europe/berlin')).toBe('Europe/Berlin');
    expect(parseTimezone('utc')).toBe('UTC');
    expect(() => parseTimezone('CEST+2')).toThrow(/isn't a time zone/);
  });
});

describe('slot instants across DST', () => {
  it('a time inside the spring-forward gap falls due at the first minute after it', () => {
    expect(slotInstant('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(slotInstant('2026-03-08', '02:15', 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(slotInstant('2026-10-04', '02:30', 'Australia/Sydney').toISOString()).toBe('2026-10-03T16:00:00.000Z');
  });

  it('ordinary times on switch days keep their wall-clock meaning', () => {
    expect(slotInstant('2026-03-29', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(slotInstant('2026-10-25', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('upcoming slots skip days off and respect the zone', () => {
    const slots = upcomingSlots({ times: ['09:00', '17:00'], timezone: 'America/New_York', weekdays: [1, 3] }, new Date('2026-08-21T12:00:00Z'), 3);
    expect(slots.map((s) => `${s.localDate} ${s.time}`)).toEqual(['2026-08-24 09:00', '2026-08-24 17:00', '2026-08-26 09:00']);
    expect(slots[0]!.dueAt.toISOString()).toBe('2026-08-24T13:00:00.000Z');
  });
});
