/** `/papers schedule ... thread`: a digest's papers in a thread under its header; `nothread`: in the channel. */
export const THREAD_MODES = ['thread', 'nothread'] as const;
export type ThreadMode = (typeof THREAD_MODES)[number];

const isThreadMode = (s: string | undefined): s is ThreadMode => s !== undefined && (THREAD_MODES as readonly string[]).includes(s.toLowerCase());

/**
 * Typed text is positional, so `schedule 09:00 thread` puts the word where the time zone goes
 * (and `schedule 09:00 UTC thread` where the weekdays go): take it from there into its own option.
 */
export function takeThreadMode(o: { timezone?: string | undefined; weekdays?: string | undefined; thread?: string | undefined }): {
  timezone: string | undefined;
  weekdays: string | undefined;
  thread: ThreadMode | undefined;
} {
  let { timezone, weekdays } = o;
  let thread = isThreadMode(o.thread) ? o.thread : undefined;
  if (isThreadMode(weekdays)) [thread, weekdays] = [weekdays, undefined];
  if (isThreadMode(timezone)) [thread, timezone] = [timezone, undefined];
  return { timezone, weekdays, thread: thread?.toLowerCase() as ThreadMode | undefined };
}

/** What the schedule reply says about where the papers go. */
export function describeThreadMode(on: boolean, platform: string): string {
  if (!on) return ' Papers are posted in the channel.';
  return platform === 'slack' ? ' Papers are posted in a thread under the header.' : ' Thread mode is on, but only Slack uses it: here papers are posted in the channel.';
}
