import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDigest, type DigestPlan } from '../../src/digest/plan.ts';
import { TASTE_MIN_POSITIVES } from '../../src/relevance/taste.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/**
 * The recorded HF days of 2026-08-17 to 21. The team likes image and video generation: ten
 * such papers listed 08-17 to 08-19 (before the digest window below, so their own team votes
 * cannot lift anything in it).
 */
const LIKED = ['2608.14391', '2608.14546', '2608.16887', '2608.16721', '2608.14783', '2608.16765', '2608.16143', '2608.18063', '2608.17566', '2608.17286'];
/** The digest of 2026-08-21 after one of 08-20: the 32 papers listed on those two days. */
const DIGEST = { date: '2026-08-21', previous: '2026-08-20' };
const VISUAL = /video|image/i;

let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness();
});
afterEach(async () => {
  await h.close();
});

const ids = (r: { cards?: Array<{ paper: { id: string } }> }) => (r.cards ?? []).map((c) => c.paper.id);

/** Votes (and, for the last one, a 🔖-style save by someone else: saves count as liking too). */
async function like(papers: readonly string[]): Promise<void> {
  for (const [i, id] of papers.entries()) {
    if (i === LIKED.length - 1) await h.say(`/papers save ${id}`, { user: 'ada' });
    else await h.say(`/papers vote ${id}`, { user: i % 2 ? 'ada' : 'bob' });
  }
}

async function plan(channel: 'general' | 'agents', taste: boolean): Promise<DigestPlan> {
  const team = (await h.app.store.teams.findTeam('console', 'local'))!;
  const row = (await h.app.store.teams.findChannel(team.id, channel))!;
  return planDigest(h.app.store, { id: row.id, teamId: team.id, maxPapers: 40 }, DIGEST.date, DIGEST.previous, h.logger, { taste });
}

async function titles(p: DigestPlan): Promise<string[]> {
  return (await h.app.store.papers.getMany(p.picked.map((x) => x.paperId))).map((x) => x.title);
}

describe('team taste in digests', () => {
  it(`below ${TASTE_MIN_POSITIVES} liked papers, leaves the order to upvotes and team votes`, async () => {
    await like(LIKED.slice(0, TASTE_MIN_POSITIVES - 1));
    await h.say('/papers topics'); // creates the channel
    const withTaste = await plan('general', true);
    const without = await plan('general', false);
    expect(withTaste.tasteRanked).toBe(false);
    expect(withTaste.picked.map((p) => p.paperId)).toEqual(without.picked.map((p) => p.paperId));
  });

  it(`from ${TASTE_MIN_POSITIVES} liked papers on, moves the theme up`, async () => {
    await like(LIKED);
    await h.say('/papers topics');
    const withTaste = await plan('general', true);
    const without = await plan('general', false);
    expect(withTaste.tasteRanked).toBe(true);
    expect(without.tasteRanked).toBe(false);
    // The same papers, reordered.
    expect(new Set(withTaste.picked.map((p) => p.paperId))).toEqual(new Set(without.picked.map((p) => p.paperId)));
    const top5 = async (p: DigestPlan) => (await titles(p)).slice(0, 5).filter((t) => VISUAL.test(t)).length;
    expect(await top5(without)).toBeLessThanOrEqual(1);
    expect(await top5(withTaste)).toBeGreaterThanOrEqual(3);
    // Taste scores come with the plan; the liked side scores above the rest on average.
    const scores = withTaste.picked.map((p) => p.taste!);
    const visualTitles = await titles(withTaste);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(scores.filter((_, i) => VISUAL.test(visualTitles[i]!)))).toBeGreaterThan(mean(scores.filter((_, i) => !VISUAL.test(visualTitles[i]!))));
  });

  it('never adds a paper the channel\'s topics do not match', async () => {
    await like(LIKED);
    await h.say('/papers subscribe agents', { channel: 'agents' });
    const withTaste = await plan('agents', true);
    const without = await plan('agents', false);
    expect(withTaste.tasteRanked).toBe(true);
    const all = (p: DigestPlan) => new Set([...p.picked, ...p.cut].map((x) => x.paperId));
    expect(all(withTaste)).toEqual(all(without));
    const papers = await h.app.store.papers.getMany([...all(withTaste)]);
    expect(papers.length).toBeGreaterThan(3);
    for (const p of papers) expect(`${p.title} ${p.abstract} ${p.keywords.join(' ')}`, p.id).toMatch(/agent/i);
  });

  it('reaches the preview a member sees', async () => {
    await like(LIKED);
    const preview = ids(await h.say('/papers digest', { manager: false }));
    const team = (await h.app.store.teams.findTeam('console', 'local'))!;
    const row = (await h.app.store.teams.findChannel(team.id, 'general'))!;
    // No digest yet: the window is the 3 days back, which holds some of the liked papers too.
    const planned = (taste: boolean) => planDigest(h.app.store, { id: row.id, teamId: team.id, maxPapers: 5 }, '2026-08-21', null, h.logger, { taste });
    expect(preview).toEqual((await planned(true)).picked.map((p) => p.paperId));
    expect(preview).not.toEqual((await planned(false)).picked.map((p) => p.paperId));
  });
});

describe('/papers why with a taste model', () => {
  it('lists the words that pushed the paper up and down', async () => {
    expect((await h.say('/papers why 2608.20335')).text).not.toContain('Team taste');
    await like(LIKED);
    const video = (await h.say('/papers why 2608.20335')).text;
    expect(video).toMatch(/^2608\.20335 /); // the digest answer still comes first
    expect(video).toMatch(/Team taste score [+-]\d\.\d\d \(learnt from 10 papers voted for or saved here/);
    expect(video).toMatch(/Pushed up by [^.]*`video`/);
    const agents = (await h.say('/papers why 2608.19880')).text;
    expect(agents).toMatch(/Pushed down by [^.]*`(environment|agent|agents)`/);
    const score = (text: string) => Number(/Team taste score ([+-]\d\.\d\d)/.exec(text)![1]);
    expect(score(video)).toBeGreaterThan(score(agents));
  });
});

describe('/papers recommend', () => {
  it('with too few signals, says how many more and lists the most upvoted unseen papers', async () => {
    await h.say('/papers vote 2608.19880');
    const r = await h.say('/papers recommend');
    expect(r.title).toBe('Recommended, 2026-08-15 to 2026-08-21');
    expect(r.text).toContain('Your team has voted for or saved 1 paper; with 9 more I can rank papers by its taste.');
    expect(ids(r)).not.toContain('2608.19880');
    const upvotes = r.cards!.map((c) => c.paper.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
    expect(r.cards).toHaveLength(5);
  });

  it('ranks unseen papers by taste, leaving out what was posted here or liked', async () => {
    await like(LIKED);
    await h.say('/papers digest post');
    const posted = (await h.app.store.outbox.countByState()).sent ?? 0;
    expect(posted).toBe(5);
    const team = (await h.app.store.teams.findTeam('console', 'local'))!;
    const sent = await h.app.store.taste.delivered(team.id, 1_000);
    const r = await h.say('/papers recommend');
    expect(r.text).toContain("Ranked by your team's taste, learnt from 10 papers");
    const picks = ids(r);
    expect(picks).toHaveLength(5);
    for (const id of [...LIKED, ...sent]) expect(picks).not.toContain(id);
    expect(r.cards!.filter((c) => VISUAL.test(c.paper.title)).length).toBeGreaterThanOrEqual(3);
    expect(r.cards![0]!.note).toMatch(/^For your team's taste: /);
    // Another team, with no signals, sees upvotes.
    expect((await h.say('/papers recommend', { team: 'other' })).text).toContain('with 10 more');
  });

  it('says so when everything listed was seen', async () => {
    await h.say('/papers recommend day');
    for (const id of await h.app.store.papers.listedOn('2026-08-21')) await h.say(`/papers vote ${id}`);
    const r = await h.say('/papers recommend day');
    expect(r).toMatchObject({ ephemeral: true });
    expect(r.text).toContain('Nothing unseen is left from 2026-08-21');
  });
});
