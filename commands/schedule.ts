import { defineCommand } from '../src/commands/types.ts';
import { nextDigestSlot } from '../src/schedule/due.ts';
import { describeSlot } from '../src/schedule/next-run.ts';
import { describeWeekdays, looksLikeWeekdays, parseTimes, parseTimezone, parseWeekdays } from '../src/schedule/parse.ts';
import { DEFAULT_SCHEDULE } from '../src/store/schedules.ts';
import { describeThreadMode, takeThreadMode, THREAD_MODES } from '../src/schedule/thread-mode.ts';

export const schedule = defineCommand({
  name: 'schedule',
  description: "When this channel's digest is posted",
  options: [
    { name: 'times', type: 'string', description: 'Local time(s), HH:MM, comma-separated, up to 4', required: true, maxLength: 60 },
    { name: 'timezone', type: 'string', description: 'IANA time zone, e.g. Europe/Berlin (default: unchanged, else UTC)', maxLength: 64, autocomplete: 'timezone' },
    { name: 'weekdays', type: 'string', description: 'mon-fri, daily, weekends, or a list like mon,wed,fri (default: unchanged, else mon-fri)', maxLength: 40 },
    { name: 'thread', type: 'choice', description: "Slack: papers in a thread under the header (thread), or in the channel (nothread)", choices: [...THREAD_MODES] },
  ],
  access: 'manager',
  examples: ['/papers schedule 09:00', '/papers schedule 09:00,17:00 Europe/Berlin mon,wed,fri', '/papers schedule 08:30 America/New_York daily', '/papers schedule 09:00 UTC mon-fri thread'],
  async handler({ options, store, clock, channel, team }) {
    // Text form is positional: `schedule 09:00 daily` means weekdays, not a zone named "daily".
    let { timezone: tzRaw, weekdays: daysRaw, thread } = takeThreadMode(options);
    if (tzRaw && !daysRaw && !tzRaw.includes('/') && looksLikeWeekdays(tzRaw)) [tzRaw, daysRaw] = [undefined, tzRaw];
    const current = await store.schedules.get(channel.id);
    // What is not given stays as it was: `/papers schedule 10:00` moves the time only.
    const next = {
      times: parseTimes(options.times),
      timezone: tzRaw ? parseTimezone(tzRaw) : (current?.timezone ?? DEFAULT_SCHEDULE.timezone),
      weekdays: daysRaw ? parseWeekdays(daysRaw) : (current?.weekdays ?? DEFAULT_SCHEDULE.weekdays),
    };
    await store.schedules.set(channel.id, next, clock.now());
    await store.teams.activate(channel.id, clock.now());
    if (thread) await store.teams.setThreadMode(channel.id, thread === 'thread');
    const slot = await nextDigestSlot(store, channel.id, next, clock.now());
    const row = await store.teams.getChannel(channel.id);
    const threads = thread || row?.thread_mode ? describeThreadMode(Boolean(row?.thread_mode), team.platform) : '';
    const state = row?.disabled_reason ? ' Note: posting here is stopped until `/papers resume`.' : row?.paused ? ' Note: the digest is paused; `/papers resume` restarts it.' : '';
    return {
      text: `Digest scheduled at ${next.times.join(' and ')} ${next.timezone}, ${describeWeekdays(next.weekdays)}.${slot ? ` Next: ${describeSlot(slot, next.timezone)}.` : ''}${threads}${state}`,
      ephemeral: false,
    };
  },
});
