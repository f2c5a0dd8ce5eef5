import { DateTime } from 'luxon';
import { clip } from '../domain/clip.ts';
import { UserError } from '../domain/errors.ts';
import { MAX_SCHEDULE_TIMES } from '../domain/limits.ts';

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_ALIASES: Record<string, number[]> = {
  daily: [1, 2, 3, 4, 5, 6, 7],
  everyday: [1, 2, 3, 4, 5, 6, 7],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [6, 7],
};

/**
 * `09:00,17:00` (also `9:00`, `17:30`) -> sorted, de-duplicated `HH:MM` list of at most
 * MAX_SCHEDULE_TIMES. A channel's schedule is this whole list (a new one replaces it), so the
 * cap here is the cap per channel.
 */
export function parseTimes(raw: string): string[] {
  const parts = raw.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) throw new UserError('bad_option', 'Give at least one time, e.g. `09:00` or `09:00,17:00`.');
  const times = [
    ...new Set(
      parts.map((p) => {
        const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(p);
        if (!m) throw new UserError('bad_option', `\`${clip(p, 20)}\` isn't a time I understand; use 24-hour HH:MM, e.g. \`09:00\` or \`17:30\`.`);
        return `${m[1]!.padStart(2, '0')}:${m[2]}`;
      }),
    ),
  ].sort();
  if (times.length > MAX_SCHEDULE_TIMES) {
    throw new UserError(
      'limit',
      `That's ${times.length} digest times; a channel may have at most ${MAX_SCHEDULE_TIMES} a day. Pick up to ${MAX_SCHEDULE_TIMES}, e.g. \`/papers schedule ${times.slice(0, MAX_SCHEDULE_TIMES).join(',')}\`.`,
    );
  }
  return times;
}

/** An IANA zone name as the database knows it (case-insensitive input), or a UserError. */
export function parseTimezone(raw: string): string {
  const tz = raw.trim();
  const known = Intl.supportedValuesOf('timeZone');
  const exact = known.find((z) => z.toLowerCase() === tz.toLowerCase()) ?? (['utc', 'gmt', 'etc/utc'].includes(tz.toLowerCase()) ? 'UTC' : undefined);
  if (exact && DateTime.now().setZone(exact).isValid) return exact;
  throw new UserError('bad_option', `\`${clip(tz, 40)}\` isn't a time zone I know. Use an IANA name such as \`Europe/Berlin\`, \`America/New_York\` or \`UTC\`.`);
}

/** `mon-fri`, `daily`, `weekends`, `mon,wed,fri`, `sat-sun` -> sorted ISO weekdays (1 = Monday). */
export function parseWeekdays(raw: string): number[] {
  const s = raw.trim().toLowerCase();
  const alias = DAY_ALIASES[s];
  if (alias) return alias;
  const days = new Set<number>();
  for (const part of s.split(/[,\s]+/).filter(Boolean)) {
    const range = /^([a-z]+)-([a-z]+)$/.exec(part);
    if (range) {
      const from = dayNumber(range[1]!);
      const to = dayNumber(range[2]!);
      for (let d = from; ; d = (d % 7) + 1) {
        days.add(d);
        if (d === to) break;
      }
    } else {
      days.add(dayNumber(part));
    }
  }
  if (days.size === 0) throw new UserError('bad_option', 'Give the weekdays, e.g. `mon-fri`, `daily` or `mon,wed,fri`.');
  return [...days].sort((a, b) => a - b);
}

function dayNumber(word: string): number {
  const i = DAY_NAMES.findIndex((d) => word.startsWith(d) && word.length <= 9);
  if (i === -1) throw new UserError('bad_option', `\`${clip(word, 20)}\` isn't a weekday; use \`mon\` \`tue\` \`wed\` \`thu\` \`fri\` \`sat\` \`sun\`, a range like \`mon-fri\`, or \`daily\`.`);
  return i + 1;
}

/** True when `raw` reads as weekdays rather than a time zone (for `schedule 09:00 mon-fri`). */
export function looksLikeWeekdays(raw: string): boolean {
  try {
    parseWeekdays(raw);
    return true;
  } catch {
    return false;
  }
}

/** "Mon–Fri", "daily", "Mon, Wed, Fri". */
export function describeWeekdays(days: readonly number[]): string {
  const key = days.join(',');
  if (key === '1,2,3,4,5,6,7') return 'daily';
  if (key === '1,2,3,4,5') return 'Mon–Fri';
  if (key === '6,7') return 'weekends';
  return days.map((d) => cap(DAY_NAMES[d - 1]!)).join(', ');
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
