import { code, plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { nextDigestSlot } from '../src/schedule/due.ts';
import { describeSlot } from '../src/schedule/next-run.ts';
import { describeWeekdays } from '../src/schedule/parse.ts';
import { DEFAULT_SCHEDULE } from '../src/store/schedules.ts';

export const status = defineCommand({
  name: 'status',
  description: "This channel's digest: schedule, next post, topics, last delivery, problems",
  options: [],
  access: 'manager',
  examples: ['/papers status'],
  async handler({ store, clock, channel }) {
    const row = await store.teams.getChannel(channel.id);
    const schedule = await store.schedules.get(channel.id);
    const effective = schedule ?? DEFAULT_SCHEDULE;
    const topics = await store.topics.list(channel.id);
    const last = await store.outbox.lastDigest(channel.id);
    const counts = await store.outbox.countByState(channel.id);
    const lines: string[] = [];

    if (row?.disabled_reason) lines.push(`⚠️ Posting here stopped on ${row.disabled_at?.slice(0, 10)}: ${row.disabled_reason}. Fix it, then \`/papers resume\`.`);
    else if (row?.paused) lines.push('Paused: `/papers resume` restarts the digest.');
    else if (!row?.active_since) lines.push('Not receiving digests yet: `/papers schedule` or `/papers subscribe` opts this channel in.');

    lines.push(`Schedule: ${effective.times.join(' and ')} ${effective.timezone}, ${describeWeekdays(effective.weekdays)}${schedule ? '' : ' (the default)'}.`);
    const next = await nextDigestSlot(store, channel.id, effective, clock.now());
    if (next && row?.active_since && !row.paused && !row.disabled_reason) lines.push(`Next digest: ${describeSlot(next, effective.timezone)}.`);
    lines.push(topics.length ? `Topics: ${topics.map((t) => code(t.query, 60)).join(', ')}.` : 'Topics: none, so every new paper qualifies.');
    lines.push(`At most ${plural(row?.max_papers ?? 5, 'paper')} per digest.`);
    if (last) {
      const sent = (await store.outbox.deliveriesOf(last.id)).filter((d) => d.state === 'sent').length;
      lines.push(`Last digest: ${last.digest_date} ${last.slot.startsWith('manual') ? '(posted by hand)' : `at ${last.slot}`}, ${plural(sent, 'paper')} posted${last.kind === 'catch-up' ? ' (catch-up)' : last.kind === 'late' ? ' (late)' : ''}.`);
    } else {
      lines.push('No digest posted here yet.');
    }
    const waiting = (counts.planned ?? 0) + (counts.sending ?? 0);
    if (waiting > 0) lines.push(`${plural(waiting, 'post')} waiting to go out.`);
    if (row?.duplicate_check_problem) lines.push(`⚠️ I can't check this channel before re-sending a post whose outcome was unknown, so such a post may appear twice: ${row.duplicate_check_problem}.`);
    if (counts.failed) lines.push(`${plural(counts.failed, 'post')} gave up after repeated failures.`);
    return { title: 'Digest status', text: lines.join('\n'), ephemeral: true };
  },
});
