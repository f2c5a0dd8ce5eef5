import { DateTime } from 'luxon';
import type { Schedule } from '../store/schedules.ts';
import { slotInstant, type Slot } from './next-run.ts';

/**
 * The channel's most recent slot that has come (due at or before `now`) and is not older
 * than `notBefore`: the one slot a tick may act on. Looking at the latest slot only is what
 * makes a long outage produce one catch-up rather than a burst.
 */
export function latestDueSlot(s: Schedule, now: Date, notBefore: Date): Slot | null {
  let day = DateTime.fromJSDate(now, { zone: s.timezone }).startOf('day');
  // Eight days back covers any weekday pattern; older slots would be before notBefore anyway.
  for (let i = 0; i < 8; i++, day = day.minus({ days: 1 })) {
    if (!s.weekdays.includes(day.weekday)) continue;
    const localDate = day.toISODate()!;
    for (const time of [...s.times].reverse()) {
      const dueAt = slotInstant(localDate, time, s.timezone);
      if (dueAt.getTime() > now.getTime()) continue;
      return dueAt.getTime() >= notBefore.getTime() ? { localDate, time, dueAt } : null;
    }
  }
  return null;
}
