import { DateTime } from 'luxon';
import type { Schedule } from '../store/schedules.ts';

/** One scheduled digest: the channel's local date and time, and the instant it falls due. */
export interface Slot {
  localDate: string;
  time: string;
  dueAt: Date;
}

/**
 * The slot's instant in its zone. A time inside a spring-forward gap (02:30 on the day clocks
 * jump 02:00 -> 03:00) does not exist: the slot falls due at the first minute after the gap.
 * A time that fall-back repeats resolves to one instant (Luxon takes the second), and the
 * digest key (channel, local date, time) makes sure it is posted once.
 */
export function slotInstant(localDate: string, time: string, timezone: string): Date {
  const start = DateTime.fromISO(`${localDate}T${time}`, { zone: timezone });
  if (start.toFormat('HH:mm') === time) return start.toJSDate();
  // In a gap: walk the wall clock forward to the first minute that exists.
  let wall = DateTime.fromISO(`${localDate}T${time}`, { zone: 'UTC' });
  for (let i = 0; i < 24 * 60; i++) {
    wall = wall.plus({ minutes: 1 });
    const candidate = DateTime.fromObject(
      { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
      { zone: timezone },
    );
    if (candidate.toFormat('yyyy-MM-dd HH:mm') === wall.toFormat('yyyy-MM-dd HH:mm')) return candidate.toJSDate();
  }
  return start.toJSDate();
}

/** The next slots at or after `from`, soonest first. */
export function upcomingSlots(s: Schedule, from: Date, count = 1): Slot[] {
  const out: Slot[] = [];
  let day = DateTime.fromJSDate(from, { zone: s.timezone }).startOf('day');
  for (let i = 0; i < 15 && out.length < count; i++, day = day.plus({ days: 1 })) {
    if (!s.weekdays.includes(day.weekday)) continue;
    const localDate = day.toISODate()!;
    for (const time of s.times) {
      const dueAt = slotInstant(localDate, time, s.timezone);
      if (dueAt.getTime() >= from.getTime()) out.push({ localDate, time, dueAt });
      if (out.length >= count) break;
    }
  }
  return out;
}

/** The channel's local date at an instant. */
export function localDate(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;
}

/** "Mon 30 Nov, 09:00 Europe/Berlin". */
export function describeSlot(slot: Slot, timezone: string): string {
  return `${DateTime.fromJSDate(slot.dueAt, { zone: timezone }).toFormat('ccc d LLL, HH:mm')} ${timezone}`;
}
