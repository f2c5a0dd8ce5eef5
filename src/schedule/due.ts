import { DateTime } from 'luxon';
import type { Schedule, StoredSchedule } from '../store/schedules.ts';
import type { ChannelRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { slotInstant, upcomingSlots, type Slot } from './next-run.ts';

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

/**
 * The earliest instant a slot of this channel may fall due: when it opted in (or resumed), or
 * when its schedule last changed, whichever is later. So a schedule change never fires a slot
 * that had already passed when it was made (no "late" digest a minute after the change).
 */
export function firstSlotFrom(channel: Pick<ChannelRow, 'active_since'>, schedule: StoredSchedule | null, now: Date): Date {
  const active = new Date(channel.active_since ?? now.toISOString());
  return schedule && schedule.changedAt > active ? schedule.changedAt : active;
}

/**
 * The slot the engine will post next: the first at or after `now` whose digest (channel,
 * local date, time) does not exist yet. A slot whose key was already posted today (the zone
 * changed, the same local time comes again) is not announced, since it will not fire.
 */
export async function nextDigestSlot(store: Store, channelId: number, schedule: Schedule, now: Date): Promise<Slot | null> {
  for (const slot of upcomingSlots(schedule, now, 8)) {
    if (!(await store.outbox.digestFor(channelId, slot.localDate, slot.time))) return slot;
  }
  return null;
}
