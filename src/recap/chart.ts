import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import { describeWeek, type RecapCounts, type RecapData } from './data.ts';

/** The chart's size in pixels: wide enough for Discord's and Slack's previews to show it whole. */
export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 540;

/** The three series, in legend order, with colours that stay apart for colour-blind readers. */
const SERIES = [
  { key: 'posted', label: 'Posted', color: '#4c78a8' },
  { key: 'votes', label: 'Votes', color: '#f58518' },
  { key: 'saves', label: 'Saves', color: '#54a24b' },
] as const;

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

export interface RecapChart {
  name: string;
  png: Buffer;
  width: number;
  height: number;
  /** What the chart shows, for screen readers (Slack alt_text, Discord description). */
  alt: string;
}

/**
 * The week's chart as PNG: papers posted, votes and saves per day (left) and per topic (right).
 * Drawn as SVG and rasterized by resvg (a Rust renderer shipped as prebuilt binaries inside its
 * npm packages: nothing is downloaded at install or run time). Text uses the system's fonts;
 * a machine without any still gets the bars.
 */
export function renderRecapChart(data: RecapData): RecapChart {
  const svg = recapChartSvg(data);
  const png = new (resvg().Resvg)(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  return {
    name: `paperboy-recap-${data.week}.png`,
    png: Buffer.from(png),
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    alt: `Chart of the week ${describeWeek(data)}: papers posted, votes and saves per day and per topic.`,
  };
}

let loaded: typeof import('@resvg/resvg-js') | null = null;

/** The renderer's native module, loaded on the first chart: every CLI start would otherwise pay for it. */
function resvg(): typeof import('@resvg/resvg-js') {
  return (loaded ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js'));
}

/** The chart as SVG text (tested as text; rasterized by renderRecapChart). */
export function recapChartSvg(data: RecapData): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(32, 40, `Paperboy · week ${data.week} (${describeWeek(data)})`, { size: 22, weight: 'bold' }),
  ];
  SERIES.forEach((s, i) => {
    const x = CHART_WIDTH - 300 + i * 96;
    parts.push(`<rect x="${x}" y="26" width="14" height="14" fill="${s.color}"/>`, text(x + 20, 38, s.label, { size: 14 }));
  });
  parts.push(
    panel({ x: 60, y: 90, width: 470, height: 370 }, 'Per day', data.days.map((d) => ({ label: DateTime.fromISO(d.day).toFormat('ccc d'), counts: d }))),
    panel({ x: 580, y: 90, width: 350, height: 370 }, 'Per topic', data.topics.length ? data.topics.map((t) => ({ label: t.topic, counts: t })) : [{ label: 'no topics', counts: { posted: 0, votes: 0, saves: 0 } }]),
    '</svg>',
  );
  return parts.join('\n');
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function panel(box: Box, title: string, groups: Array<{ label: string; counts: RecapCounts }>): string {
  const max = Math.max(1, ...groups.flatMap((g) => SERIES.map((s) => g.counts[s.key])));
  const top = niceCeil(max);
  const baseline = box.y + box.height;
  const out = [text(box.x, box.y - 18, title, { size: 16, weight: 'bold' })];
  // Grid lines at quarters of the scale, labelled with whole numbers.
  for (let i = 0; i <= 4; i++) {
    const value = (top * i) / 4;
    if (!Number.isInteger(value)) continue;
    const y = baseline - (box.height * i) / 4;
    out.push(`<line x1="${box.x}" y1="${y}" x2="${box.x + box.width}" y2="${y}" stroke="${i === 0 ? '#333333' : '#e0e0e0'}" stroke-width="1"/>`);
    out.push(text(box.x - 8, y + 4, String(value), { size: 11, anchor: 'end', color: '#555555' }));
  }
  const groupWidth = box.width / groups.length;
  const barWidth = Math.max(2, Math.min(18, (groupWidth * 0.8) / SERIES.length));
  groups.forEach((g, gi) => {
    const start = box.x + gi * groupWidth + (groupWidth - barWidth * SERIES.length) / 2;
    SERIES.forEach((s, si) => {
      const v = g.counts[s.key];
      const h = (box.height * v) / top;
      out.push(`<rect x="${fmt(start + si * barWidth)}" y="${fmt(baseline - h)}" width="${fmt(barWidth - 1)}" height="${fmt(h)}" fill="${s.color}"/>`);
    });
    out.push(text(box.x + gi * groupWidth + groupWidth / 2, baseline + 18, clip(g.label, Math.max(4, Math.floor(groupWidth / 7))), { size: 11, anchor: 'middle' }));
  });
  return out.join('\n');
}

/** 1, 2, 5, 10, 20, 50...: a scale top at or above `n`, divisible into quarters where it can be. */
function niceCeil(n: number): number {
  if (n <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 4, 5, 8, 10]) if (step * magnitude >= n) return step * magnitude;
  return 10 * magnitude;
}

function text(x: number, y: number, s: string, o: { size: number; weight?: 'bold'; anchor?: 'end' | 'middle'; color?: string }): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${o.size}"${o.weight ? ` font-weight="${o.weight}"` : ''}${o.anchor ? ` text-anchor="${o.anchor}"` : ''} fill="${o.color ?? '#222222'}">${escapeXml(s)}</text>`;
}

function clip(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** Topics are typed by people: as SVG text they are data, never markup. Control characters are not allowed in XML at all. */
function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
