import { DateTime } from 'luxon';
import { describeWeek, type RecapCounts, type RecapData } from './data.ts';

/** The recap's heading. */
export function recapTitle(data: RecapData): string {
  return `Weekly recap · ${describeWeek(data)}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The recap in plain words (paper titles and topics as typed: each platform escapes them as it
 * renders, so a title never mentions anyone): the week's totals, the team's most voted and
 * saved papers, and how many papers each topic caught.
 */
export function recapSummary(data: RecapData): string[] {
  const { posted, votes, saves } = data.totals;
  const lines = [`${plural(posted, 'paper')} posted here, ${plural(votes, 'vote')} and ${plural(saves, 'save')} by the team (${data.timezone}).`];
  if (data.top.length > 0) {
    lines.push('', 'Most voted and saved:');
    data.top.forEach((p, i) => lines.push(`${i + 1}. ${p.title} (arXiv ${p.paperId}): ${plural(p.votes, 'vote')}, ${plural(p.saves, 'save')}`));
  } else {
    lines.push('', 'Nobody voted or saved a paper this week.');
  }
  const caught = data.topics.filter((t) => t.posted > 0);
  if (caught.length > 0) lines.push('', `Papers per topic: ${caught.map((t) => `${t.topic} ${t.posted}`).join(' · ')}`);
  return lines;
}

/** Table cells are shown in a code block: no backticks (they would end it), one line each. */
function cell(s: string, width: number): string {
  const flat = s.replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= width ? flat : `${chars.slice(0, width - 1).join('')}…`;
}

const LABEL_WIDTH = 18;

function row(label: string, c: RecapCounts): string {
  const l = cell(label, LABEL_WIDTH);
  return `${l}${' '.repeat(Math.max(1, LABEL_WIDTH + 1 - [...l].length))}${String(c.posted).padStart(6)}${String(c.votes).padStart(7)}${String(c.saves).padStart(7)}`;
}

/** The week's figures as a fixed-width text table: per day, then per topic (what the chart draws). */
export function recapTable(data: RecapData): string {
  const head = (label: string) => `${label.padEnd(LABEL_WIDTH + 1)}${'Posted'.padStart(6)}${'Votes'.padStart(7)}${'Saves'.padStart(7)}`;
  const lines = [head('Day'), ...data.days.map((d) => row(DateTime.fromISO(d.day).toFormat('ccc d LLL'), d)), row('Total', data.totals)];
  if (data.topics.length > 0) lines.push('', head('Topic'), ...data.topics.map((t) => row(t.topic, t)));
  return lines.join('\n');
}
