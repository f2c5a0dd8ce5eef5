import { DEFAULT_SCHEDULE, type Schedule } from '../store/schedules.ts';
import type { RecapSchedule } from '../store/recaps.ts';

/** A recap slot as a digest-style schedule (one time on one weekday), so the same due-slot logic (DST, gaps) applies. */
export function recapSlotSchedule(s: Pick<RecapSchedule, 'weekday' | 'time'>, timezone: string | null): Schedule {
  return { times: [s.time], weekdays: [s.weekday], timezone: timezone ?? DEFAULT_SCHEDULE.timezone };
}
