import { DateTime } from 'luxon';
import type { Store } from '../store/store.ts';

/** Counts of one day or one topic: papers posted to the channel, votes and saves by its team. */
export interface RecapCounts {
  posted: number;
  votes: number;
  saves: number;
}

/** A channel's week, as the recap shows it. Plain data (stored as JSON when a recap is planned). */
export interface RecapData {
  /** ISO week of the last day, e.g. 2026-W34: the key that makes a channel's recap post once a week. */
  week: string;
  /** The seven local days covered, oldest first: `to` and the six before it. */
  from: string;
  to: string;
  timezone: string;
  days: Array<RecapCounts & { day: string }>;
  /** Busiest first; at most MAX_TOPICS, the rest summed into "other topics". */
  topics: Array<RecapCounts & { topic: string }>;
  /** The team's most voted and saved papers of the week, best first. */
  top: Array<{ paperId: string; title: string; votes: number; saves: number }>;
  totals: RecapCounts;
}

/** Bucket of a channel with no topics (it gets every paper). */
export const ALL_PAPERS = 'all papers';
/** Bucket of a paper voted or saved that was never posted to this channel (found by search, say). */
export const NOT_POSTED_HERE = 'not posted here';
export const OTHER_TOPICS = 'other topics';
export const MAX_TOPICS = 8;
export const TOP_PAPERS = 5;

/** The ISO week of a local day: `2026-W34`. */
export function isoWeekOf(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).toFormat("kkkk-'W'WW");
}

/**
 * The recap of the seven local days ending on `lastDay` (in `timezone`), counting votes and
 * saves made up to `until` (the slot's instant; now for a preview).
 */
export async function buildRecap(store: Store, channelId: number, teamId: number, lastDay: string, timezone: string, until: Date): Promise<RecapData> {
  const last = DateTime.fromISO(lastDay, { zone: timezone }).startOf('day');
  const first = last.minus({ days: 6 });
  const days = Array.from({ length: 7 }, (_, i) => first.plus({ days: i }).toISODate()!);
  const activity = await store.recaps.activity(channelId, teamId, days[0]!, days[6]!, first.toJSDate(), until);

  const byDay = new Map(days.map((d) => [d, { day: d, posted: 0, votes: 0, saves: 0 }]));
  const byTopic = new Map<string, RecapCounts & { topic: string }>();
  const topic = (name: string) => {
    let t = byTopic.get(name);
    if (!t) byTopic.set(name, (t = { topic: name, posted: 0, votes: 0, saves: 0 }));
    return t;
  };
  const topicsOf = (paperId: string): string[] => {
    const t = activity.topicsOf.get(paperId);
    return t === undefined ? [NOT_POSTED_HERE] : t.length ? t : [ALL_PAPERS];
  };
  const localDay = (at: string) => DateTime.fromISO(at, { zone: timezone }).toISODate()!;

  for (const p of activity.posted) {
    const d = byDay.get(p.day);
    if (d) d.posted++;
    for (const t of p.topics.length ? p.topics : [ALL_PAPERS]) topic(t).posted++;
  }
  const perPaper = new Map<string, { votes: number; saves: number }>();
  for (const [rows, field] of [
    [activity.votes, 'votes'],
    [activity.saves, 'saves'],
  ] as const) {
    for (const r of rows) {
      const d = byDay.get(localDay(r.at));
      if (d) d[field]++;
      for (const t of topicsOf(r.paperId)) topic(t)[field]++;
      const p = perPaper.get(r.paperId) ?? { votes: 0, saves: 0 };
      p[field]++;
      perPaper.set(r.paperId, p);
    }
  }

  const ranked = [...perPaper.entries()]
    .sort(([a, x], [b, y]) => y.votes + y.saves - (x.votes + x.saves) || y.votes - x.votes || a.localeCompare(b))
    .slice(0, TOP_PAPERS);
  const papers = new Map((await store.papers.getMany(ranked.map(([id]) => id))).map((p) => [p.id, p]));
  const top = ranked.map(([paperId, c]) => ({ paperId, title: papers.get(paperId)?.title ?? paperId, ...c }));

  const dayRows = days.map((d) => byDay.get(d)!);
  return {
    week: isoWeekOf(days[6]!),
    from: days[0]!,
    to: days[6]!,
    timezone,
    days: dayRows,
    topics: foldTopics([...byTopic.values()]),
    top,
    totals: {
      posted: activity.posted.length,
      votes: dayRows.reduce((n, d) => n + d.votes, 0),
      saves: dayRows.reduce((n, d) => n + d.saves, 0),
    },
  };
}

/** Busiest first (posted, then votes and saves, then name); beyond MAX_TOPICS summed into one row. */
function foldTopics(rows: Array<RecapCounts & { topic: string }>): Array<RecapCounts & { topic: string }> {
  const sorted = rows.sort((a, b) => b.posted - a.posted || b.votes + b.saves - (a.votes + a.saves) || a.topic.localeCompare(b.topic));
  if (sorted.length <= MAX_TOPICS) return sorted;
  const rest = sorted.slice(MAX_TOPICS - 1);
  const other = rest.reduce((o, t) => ({ ...o, posted: o.posted + t.posted, votes: o.votes + t.votes, saves: o.saves + t.saves }), { topic: OTHER_TOPICS, posted: 0, votes: 0, saves: 0 });
  return [...sorted.slice(0, MAX_TOPICS - 1), other];
}

/** "17–23 Aug 2026" (or across months, "28 Aug – 3 Sep 2026"). */
export function describeWeek(data: Pick<RecapData, 'from' | 'to'>): string {
  const a = DateTime.fromISO(data.from);
  const b = DateTime.fromISO(data.to);
  if (a.month === b.month) return `${a.day}–${b.toFormat('d LLL yyyy')}`;
  return `${a.toFormat('d LLL')} – ${b.toFormat('d LLL yyyy')}`;
}
