import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolePoster } from '../../adapters/console/poster.ts';
import { commands } from '../../commands/index.ts';
import { openApp } from '../../src/app.ts';
import { CHART_HEIGHT, CHART_WIDTH, recapChartSvg, renderRecapChart } from '../../src/recap/chart.ts';
import { ALL_PAPERS, NOT_POSTED_HERE, type RecapData } from '../../src/recap/data.ts';
import { recapTable } from '../../src/recap/text.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';
import { pngHeader } from '../support/png.ts';

/*
 * The weekly recap against recorded data: the five recorded HF days (Mon 17 to Fri 21 Aug
 * 2026) are posted to the console channel by the real delivery engine, a day at a time, and
 * generated team members vote and save some of what was posted. The recap is checked against
 * what the console printed and what the test itself generated, not against the store.
 */

const DAYS = ['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'] as const;
const LABELS = ['Mon 17 Aug', 'Tue 18 Aug', 'Wed 19 Aug', 'Thu 20 Aug', 'Fri 21 Aug'];
const TOPICS = ['agent', 'video'];

/** A small deterministic generator (mulberry32): the same votes every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Expected {
  perDay: Map<string, { posted: number; votes: number; saves: number }>;
  perTopic: Map<string, { posted: number; votes: number; saves: number }>;
  perPaper: Map<string, { votes: number; saves: number; title: string }>;
}

let h: CoreHarness;
let chartDir: string;
const printed: string[] = [];
const exp: Expected = { perDay: new Map(), perTopic: new Map(), perPaper: new Map() };
const topicOf = new Map<string, string[]>();
const titleOf = new Map<string, string>();

function bump(map: Map<string, { posted: number; votes: number; saves: number }>, key: string, field: 'posted' | 'votes' | 'saves'): void {
  const row = map.get(key) ?? { posted: 0, votes: 0, saves: 0 };
  row[field]++;
  map.set(key, row);
}

beforeAll(async () => {
  chartDir = mkdtempSync(join(tmpdir(), 'paperboy-recap-'));
  h = await coreHarness({ now: '2026-08-16T20:00:00Z' });
  h.app.posters.register(new ConsolePoster((t) => printed.push(t), { chartDir }));
  expect((await h.say('/papers schedule 09:00 UTC daily')).error).toBeUndefined();
  for (const t of TOPICS) expect((await h.say(`/papers subscribe ${t}`)).error).toBeUndefined();

  const random = prng(42);
  for (const [i, day] of DAYS.entries()) {
    // The day's digest, posted by the engine through the outbox.
    h.clock.set(`${day}T09:00:30Z`);
    const before = printed.length;
    await h.app.delivery.tick();
    const cards = printed.slice(before).flatMap((t) => {
      const m = /^\n\[#general\] \d+\. (.*) \[(\d{4}\.\d{4,5})\]\n/.exec(t);
      if (!m) return [];
      const topics = /Topic: (.*)/.exec(t)?.[1]!.split(', ') ?? [];
      return [{ id: m[2]!, title: m[1]!, topics }];
    });
    expect(cards.length, `papers posted on ${day}`).toBeGreaterThan(0);
    for (const c of cards) {
      topicOf.set(c.id, c.topics);
      titleOf.set(c.id, c.title);
      bump(exp.perDay, day, 'posted');
      for (const t of c.topics.length ? c.topics : [ALL_PAPERS]) bump(exp.perTopic, t, 'posted');
    }
    // Team members vote and save some of what was posted so far, in the afternoon (UTC).
    const seen = [...topicOf.keys()];
    for (const [u, user] of ['ana', 'bo', 'cy', 'di'].entries()) {
      h.clock.set(`${day}T${String(12 + u).padStart(2, '0')}:15:00Z`);
      for (const [field, odds] of [
        ['votes', 0.25],
        ['saves', 0.1],
      ] as const) {
        for (const id of seen) {
          if (random() >= odds) continue;
          const key = `${user}:${field}:${id}`;
          if (exp.perPaper.has(key)) continue; // each person votes / saves a paper once
          exp.perPaper.set(key, { votes: 0, saves: 0, title: '' });
          const reply = await h.say(field === 'votes' ? `/papers vote ${id}` : `/papers save ${id}`, { user, manager: false });
          expect(reply.error, reply.text).toBeUndefined();
          bump(exp.perDay, day, field);
          for (const t of topicOf.get(id)!.length ? topicOf.get(id)! : [ALL_PAPERS]) bump(exp.perTopic, t, field);
          const p = exp.perPaper.get(id) ?? { votes: 0, saves: 0, title: titleOf.get(id)! };
          p[field]++;
          exp.perPaper.set(id, p);
        }
      }
    }
    void i;
  }
  // A vote on a paper never posted here (found by search): counted, under "not posted here".
  h.clock.set('2026-08-21T15:00:00Z');
  const unposted = (await h.app.store.papers.listedOn('2026-08-21')).find((id) => !topicOf.has(id))!;
  expect((await h.say(`/papers vote ${unposted}`, { user: 'ana', manager: false })).error).toBeUndefined();
  bump(exp.perDay, '2026-08-21', 'votes');
  bump(exp.perTopic, NOT_POSTED_HERE, 'votes');
  const paper = (await h.app.store.papers.get(unposted))!;
  exp.perPaper.set(unposted, { votes: 1, saves: 0, title: paper.title });
  for (const k of [...exp.perPaper.keys()]) if (k.includes(':')) exp.perPaper.delete(k);
}, 120_000);

afterAll(async () => {
  await h?.close();
  rmSync(chartDir, { recursive: true, force: true });
});

/** The table's row for a label: its three figures. */
function tableRow(table: string, label: string): number[] | null {
  const line = table.split('\n').find((l) => l.startsWith(`${label} `));
  const m = line && /\s(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function expectTableMatches(table: string): void {
  for (const [i, day] of DAYS.entries()) {
    const e = exp.perDay.get(day) ?? { posted: 0, votes: 0, saves: 0 };
    expect(tableRow(table, LABELS[i]!), LABELS[i]).toEqual([e.posted, e.votes, e.saves]);
  }
  // The weekend before holds nothing.
  expect(tableRow(table, 'Sat 15 Aug')).toEqual([0, 0, 0]);
  const total = [...exp.perDay.values()].reduce((t, d) => [t[0]! + d.posted, t[1]! + d.votes, t[2]! + d.saves], [0, 0, 0]);
  expect(tableRow(table, 'Total')).toEqual(total);
  for (const [topic, e] of exp.perTopic) expect(tableRow(table, topic), topic).toEqual([e.posted, e.votes, e.saves]);
}

function expectedTop(): string[] {
  return [...exp.perPaper.entries()]
    .sort(([a, x], [b, y]) => y.votes + y.saves - (x.votes + x.saves) || y.votes - x.votes || a.localeCompare(b))
    .slice(0, 5)
    .map(([id, p]) => `${p.title} (arXiv ${id}): ${p.votes} vote${p.votes === 1 ? '' : 's'}, ${p.saves} save${p.saves === 1 ? '' : 's'}`);
}

describe('/papers recap (preview)', () => {
  it('shows this week only to the person who asked, to any member: top papers, topics, the table and a PNG chart', async () => {
    h.clock.set('2026-08-21T15:30:00Z');
    const reply = await h.say('/papers recap', { user: 'bo', manager: false });
    expect(reply.error).toBeUndefined();
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe('Weekly recap · 15–21 Aug 2026');
    const top = expectedTop();
    expect(top.length).toBe(5);
    top.forEach((line, i) => expect(reply.text).toContain(`${i + 1}. ${line}`));
    for (const t of TOPICS) expect(reply.text).toMatch(new RegExp(`Papers per topic: .*${t} ${exp.perTopic.get(t)!.posted}`));
    expectTableMatches(reply.table!);
    expect(pngHeader(reply.image!.png)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect([CHART_WIDTH, CHART_HEIGHT]).toEqual([960, 540]);
  });

  it('refuses a day and time without `on`, politely', async () => {
    const reply = await h.say('/papers recap preview fri');
    expect(reply.error).toMatchObject({ kind: 'user' });
    expect(reply.text).toMatch(/go with `on`/);
  });
});

describe('the chart', () => {
  it('draws every day and topic of the data, escaped, as a PNG of the declared size', () => {
    const data: RecapData = {
      week: '2026-W34',
      from: '2026-08-15',
      to: '2026-08-21',
      timezone: 'UTC',
      days: ['15', '16', '17', '18', '19', '20', '21'].map((d, i) => ({ day: `2026-08-${d}`, posted: i, votes: 2 * i, saves: i % 3 })),
      topics: [{ topic: '<script>&"agents"', posted: 4, votes: 3, saves: 1 }],
      top: [],
      totals: { posted: 21, votes: 42, saves: 6 },
    };
    const svg = recapChartSvg(data);
    expect(svg).toContain('&lt;script&gt;&amp;&quot;agents&quot;');
    expect(svg).not.toContain('<script>');
    for (const label of ['Sat 15', 'Fri 21', 'Per day', 'Per topic', 'Posted', 'Votes', 'Saves']) expect(svg).toContain(label);
    const chart = renderRecapChart(data);
    expect(pngHeader(chart.png)).toEqual({ width: 960, height: 540, bitDepth: 8, colorType: 6 });
    expect(chart.name).toBe('paperboy-recap-2026-W34.png');
    // The table says what the chart draws.
    expect(tableRow(recapTable(data), 'Fri 21 Aug')).toEqual([6, 12, 0]);
  });
});

describe('/papers recap on / off', () => {
  it('is for managers only; members are told why, privately', async () => {
    for (const line of ['/papers recap on fri 16:00', '/papers recap off']) {
      const reply = await h.say(line, { user: 'bo', manager: false });
      expect(reply.error, line).toMatchObject({ kind: 'user' });
      expect(reply.ephemeral).toBe(true);
    }
    expect(await h.app.store.recaps.getSchedule((await channel()).id)).toBeNull();
  });

  it('turns on in the channel zone, and rejects a bad day or time', async () => {
    expect((await h.say('/papers recap on someday 16:00')).error).toMatchObject({ kind: 'user' });
    expect((await h.say('/papers recap on fri 25:00')).error).toMatchObject({ kind: 'user' });
    expect((await h.say('/papers recap on mon-fri 16:00')).text).toMatch(/one weekday/);
    h.clock.set('2026-08-21T15:40:00Z');
    const reply = await h.say('/papers recap on fri 16:00');
    expect(reply.error).toBeUndefined();
    expect(reply.ephemeral).toBe(false);
    expect(reply.text).toContain('Fridays at 16:00 UTC');
    expect(reply.text).toContain('Next: Fri 21 Aug, 16:00 UTC');
  });
});

async function channel() {
  const team = await h.app.store.teams.ensureTeam({ platform: 'console', externalId: 'local' }, new Date());
  return h.app.store.teams.ensureChannel(team.id, { externalId: 'general' }, new Date());
}

const recapsPrinted = () => printed.filter((t) => t.includes('== Weekly recap'));

describe('the weekly post', () => {
  it('is posted once at its slot, through the outbox, whatever the ticks and restarts', async () => {
    h.clock.set('2026-08-21T15:59:00Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(0); // not yet

    h.clock.set('2026-08-21T16:00:20Z');
    // Planned by this bot, which then "crashes" before sending.
    expect(await h.app.delivery.planRecaps(h.clock.now())).toBe(1);
    expect(await h.app.delivery.planRecaps(h.clock.now())).toBe(0);

    // A restart: a new process on the same store.
    const again = await openApp({ dbPath: ':memory:', store: h.app.store, clock: h.clock, logger: h.logger, commands });
    again.posters.register(new ConsolePoster((t) => printed.push(t), { chartDir }));
    await again.delivery.recover();
    h.clock.set('2026-08-21T16:01:00Z');
    await again.delivery.tick();
    await again.delivery.tick();
    h.clock.set('2026-08-21T16:02:00Z');
    await h.app.delivery.tick();
    await again.delivery.tick();

    const posts = recapsPrinted();
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post).toContain('Weekly recap · 15–21 Aug 2026');
    // Counted up to its slot: everything generated above.
    expectTableMatches(post.slice(post.indexOf('Day ')));
    expectedTop().forEach((line, i) => expect(post).toContain(`${i + 1}. ${line}`));

    // The console wrote the chart next to the store and printed where.
    const path = /Chart \(960×540 PNG\): (.*\.png)/.exec(post)?.[1];
    expect(path).toBe(join(chartDir, 'recaps', 'general-2026-W34.png'));
    expect(existsSync(path!)).toBe(true);
    expect(pngHeader(readFileSync(path!))).toMatchObject({ width: 960, height: 540 });

    const rows = await h.app.store.db.selectFrom('deliveries').selectAll().where('kind', '=', 'recap').execute();
    expect(rows.map((r) => r.state)).toEqual(['sent']);
  });

  it('comes again the next week, and not after `off`', async () => {
    h.clock.set('2026-08-28T16:00:30Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(2);
    expect(recapsPrinted()[1]).toContain('Weekly recap · 22–28 Aug 2026');

    expect((await h.say('/papers recap off')).text).toMatch(/Weekly recap off/);
    h.clock.set('2026-09-04T16:00:30Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(2);
  });

  it('skips a week whose slot was missed by days (the bot was down), and a slot that passed before it was turned on', async () => {
    h.clock.set('2026-09-09T10:00:00Z'); // Wednesday
    await h.say('/papers recap on mon 08:00');
    await h.app.delivery.tick(); // Monday's slot passed before it was turned on
    h.clock.set('2026-09-16T10:00:00Z'); // this Monday's slot is 2 days 2 hours ago
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(2);
    h.clock.set('2026-09-21T08:05:00Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(3);
  });
});

describe('the time zone', () => {
  it("is the channel's schedule zone: fri 16:00 in Berlin is 14:00 UTC in summer", async () => {
    // Moved within a week that already had its recap (Mon 21 Sep, above): none more that week.
    h.clock.set('2026-09-23T10:00:00Z');
    await h.say('/papers schedule 09:00 Europe/Berlin daily');
    expect((await h.say('/papers recap on fri 16:00')).text).toContain('Fridays at 16:00 Europe/Berlin');
    const before = recapsPrinted().length;
    h.clock.set('2026-09-25T14:00:30Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(before);
    h.clock.set('2026-10-02T13:59:30Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(before);
    h.clock.set('2026-10-02T14:00:30Z');
    await h.app.delivery.tick();
    expect(recapsPrinted()).toHaveLength(before + 1);
    expect(recapsPrinted().at(-1)).toContain('(Europe/Berlin)');
  });
});
