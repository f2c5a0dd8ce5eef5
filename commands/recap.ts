import { DateTime } from 'luxon';
import { defineCommand } from '../src/commands/types.ts';
import { UserError } from '../src/domain/errors.ts';
import { renderRecapChart } from '../src/recap/chart.ts';
import { buildRecap } from '../src/recap/data.ts';
import { recapSlotSchedule } from '../src/recap/schedule.ts';
import { recapSummary, recapTable, recapTitle } from '../src/recap/text.ts';
import { describeSlot, localDate, upcomingSlots } from '../src/schedule/next-run.ts';
import { parseTimes, parseWeekdays } from '../src/schedule/parse.ts';
import { DEFAULT_SCHEDULE } from '../src/store/schedules.ts';

const ACTIONS = ['preview', 'on', 'off'] as const;
const DEFAULT_DAY = 'fri';
const DEFAULT_TIME = '16:00';
const DAY_NAMES = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/** One weekday (`fri`, `friday`), as an ISO number. */
function oneWeekday(raw: string): number {
  const days = parseWeekdays(raw);
  if (days.length !== 1) throw new UserError('bad_option', 'The recap is weekly: give one weekday, e.g. `/papers recap on fri 16:00`.');
  return days[0]!;
}

function oneTime(raw: string): string {
  const times = parseTimes(raw);
  if (times.length !== 1) throw new UserError('bad_option', 'Give one time for the recap, e.g. `/papers recap on fri 16:00`.');
  return times[0]!;
}

export const recap = defineCommand({
  name: 'recap',
  description: "This week's recap (only you see it), or on/off to post it weekly (managers)",
  options: [
    { name: 'action', type: 'choice', description: 'preview (default), on or off (managers)', choices: ACTIONS },
    { name: 'day', type: 'string', description: `With on: the weekday, e.g. fri (default ${DEFAULT_DAY})`, maxLength: 12 },
    { name: 'time', type: 'string', description: `With on: the local time, HH:MM (default ${DEFAULT_TIME})`, maxLength: 5 },
  ],
  access: 'member',
  managerWhen: (o) => o.action === 'on' || o.action === 'off',
  examples: ['/papers recap', '/papers recap on fri 16:00', '/papers recap off'],
  async handler({ options, store, clock, channel, team }) {
    const action = options.action ?? 'preview';
    if (action !== 'on' && (options.day !== undefined || options.time !== undefined)) {
      throw new UserError('bad_option', 'A day and time go with `on`, e.g. `/papers recap on fri 16:00`.');
    }
    const timezone = (await store.schedules.get(channel.id))?.timezone ?? DEFAULT_SCHEDULE.timezone;
    const current = await store.recaps.getSchedule(channel.id);

    if (action === 'off') {
      const was = await store.recaps.clearSchedule(channel.id);
      return { text: was ? 'Weekly recap off: it will not be posted here any more. `/papers recap` still previews it.' : 'The weekly recap was not on here. `/papers recap on fri 16:00` turns it on.', ephemeral: false };
    }

    if (action === 'on') {
      // `recap on 16:00 fri` reads as well as `recap on fri 16:00`.
      let [dayRaw, timeRaw] = [options.day, options.time];
      if (dayRaw && /^\d/.test(dayRaw) && (timeRaw === undefined || /^[a-z]/i.test(timeRaw))) [dayRaw, timeRaw] = [timeRaw, dayRaw];
      const weekday = oneWeekday(dayRaw ?? DEFAULT_DAY);
      const time = oneTime(timeRaw ?? DEFAULT_TIME);
      await store.recaps.setSchedule(channel.id, weekday, time, clock.now());
      const [next] = upcomingSlots(recapSlotSchedule({ weekday, time }, timezone), clock.now(), 1);
      const state = (await store.teams.getChannel(channel.id))?.paused ? ' Note: this channel is paused; `/papers resume` restarts its digest and recap.' : '';
      return {
        text: `Weekly recap on: ${DAY_NAMES[weekday - 1]} at ${time} ${timezone} (the channel's time zone; \`/papers schedule\` sets it).${next ? ` Next: ${describeSlot(next, timezone)}.` : ''}${state}`,
        ephemeral: false,
      };
    }

    const now = clock.now();
    const data = await buildRecap(store, channel.id, team.id, localDate(now, timezone), timezone, now);
    const when = current
      ? `Posted here on ${DAY_NAMES[current.weekday - 1]} at ${current.time} ${timezone}.`
      : 'Not posted here; a manager can turn it on with `/papers recap on fri 16:00`.';
    return {
      title: recapTitle(data),
      text: [...recapSummary(data), '', `Preview (only you see this), up to ${DateTime.fromJSDate(now, { zone: timezone }).toFormat('ccc HH:mm')}. ${when}`].join('\n'),
      table: recapTable(data),
      image: renderRecapChart(data),
      ephemeral: true,
    };
  },
});
