/**
 * `s` in at most `max` UTF-16 units, ending in "…" when cut. The cut never falls between the
 * two halves of a surrogate pair: half an emoji is an invalid string that Discord and Slack
 * refuse (or show as garbage) when it is echoed back in a message.
 */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  let cut = max - 1;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return s.slice(0, cut) + '…';
}
