import { addDays } from '../../src/domain/clock.ts';
import type { DigestPlan } from '../../src/digest/plan.ts';
import type { Logger } from '../../src/logger.ts';
import type { Store } from '../../src/store/store.ts';
import { planDigestRanked, type DigestRanking } from './digest-ranking.ts';
import { paperRng } from './known-item.ts';
import type { Theme } from './themes.ts';

export interface DayRange {
  from: string;
  to: string;
}

export interface TasteSimOptions {
  theme: Theme;
  /** The papers of the theme (judged by keywords). */
  themeIds: ReadonlySet<string>;
  ranking: DigestRanking;
  /** The month the team votes in. */
  train: DayRange;
  /** The month its digests are scored in (no votes). */
  test: DayRange;
  /** Share of the day's theme papers the team votes for. */
  voteFraction: number;
  /** Team members; each voted paper gets votes from 1..members of them. */
  members: number;
  /** Papers per digest. */
  maxPapers: number;
  seed: number;
  logger: Logger;
}

export interface TasteRun {
  theme: string;
  ranking: DigestRanking;
  /** Distinct papers the team voted for in the training month (taste needs 10 or more). */
  positives: number;
  votes: number;
  /** Papers posted in the training month's digests and never voted for. */
  shownNotVoted: number;
  trainDigests: number;
  /** Test-month digests with at least one paper (the ones averaged). */
  testDigests: number;
  /** Theme papers listed in the test month. */
  testThemePapers: number;
  /** Mean over test digests of theme papers picked / papers picked. */
  precision: number;
  /** Mean share of theme papers among each test digest's candidates: what a random pick would score. */
  randomPrecision: number;
  /** Mean of min(theme candidates, picked) / picked: the best any ranking could score. */
  ceiling: number;
}

const isWeekday = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d >= 1 && d <= 5;
};

/**
 * A team whose channel follows every paper (no topics) gets a digest each weekday at 09:00,
 * recorded as the delivery engine records it (planned in the outbox, then claimed and marked
 * sent, without an adapter), so later digests never repeat a paper and untouched posts are
 * there as "shown, not voted". During `train`, the team browses each day's listing
 * (`/papers today`) at noon and votes for a seeded share of the theme's papers. During
 * `test`, nobody votes; each digest is scored by the share of theme papers it picks.
 */
export async function simulateTaste(store: Store, o: TasteSimOptions): Promise<TasteRun> {
  const run: TasteRun = {
    theme: o.theme.name,
    ranking: o.ranking,
    positives: 0,
    votes: 0,
    shownNotVoted: 0,
    trainDigests: 0,
    testDigests: 0,
    testThemePapers: 0,
    precision: NaN,
    randomPrecision: NaN,
    ceiling: NaN,
  };
  const now = (day: string, time: string) => new Date(`${day}T${time}:00Z`);
  const slug = o.theme.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const team = await store.teams.ensureTeam({ platform: 'console', externalId: `eval-${slug}-${o.ranking}` }, now(o.train.from, '00:00'));
  const channelRow = await store.teams.ensureChannel(team.id, { externalId: 'papers' }, now(o.train.from, '00:00'));
  const channel = { id: channelRow.id, teamId: team.id, maxPapers: o.maxPapers };

  const voted = new Set<string>();
  const shown = new Set<string>();
  const scores: Array<{ precision: number; random: number; ceiling: number }> = [];
  for (let day = o.train.from; day <= o.test.to; day = addDays(day, 1)) {
    const testing = day >= o.test.from;
    if (isWeekday(day)) {
      const previous = (await store.outbox.lastDigest(channel.id))?.digest_date ?? null;
      const plan = await planDigestRanked(store, channel, day, previous, o.logger, o.ranking);
      await recordPosted(store, channel.id, plan, now(day, '09:00'));
      if (testing) {
        if (plan.picked.length > 0) scores.push(score(plan, o.themeIds));
      } else {
        run.trainDigests++;
        for (const p of plan.picked) shown.add(p.paperId);
      }
    }
    if (testing) {
      run.testThemePapers += (await store.papers.listedOn(day)).filter((id) => o.themeIds.has(id)).length;
    } else {
      for (const id of await store.papers.listedOn(day)) {
        if (!o.themeIds.has(id)) continue;
        const rng = paperRng(o.seed, id, `vote:${o.theme.name}`);
        if (!rng.chance(o.voteFraction)) continue;
        const voters = 1 + rng.int(o.members);
        for (let m = 1; m <= voters; m++) await store.votes.set(team.id, `member-${m}`, id, true, now(day, '12:00'));
        run.votes += voters;
        voted.add(id);
      }
    }
  }
  run.positives = voted.size;
  run.shownNotVoted = [...shown].filter((id) => !voted.has(id)).length;
  run.testDigests = scores.length;
  const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  run.precision = mean(scores.map((s) => s.precision));
  run.randomPrecision = mean(scores.map((s) => s.random));
  run.ceiling = mean(scores.map((s) => s.ceiling));
  return run;
}

function score(plan: DigestPlan, themeIds: ReadonlySet<string>): { precision: number; random: number; ceiling: number } {
  const picked = plan.picked.length;
  const all = [...plan.picked, ...plan.cut];
  const themeAll = all.filter((p) => themeIds.has(p.paperId)).length;
  return {
    precision: plan.picked.filter((p) => themeIds.has(p.paperId)).length / picked,
    random: themeAll / all.length,
    ceiling: Math.min(themeAll, picked) / picked,
  };
}

/** What the delivery engine does with a plan, minus the platform: outbox rows, claimed and marked sent in order. */
async function recordPosted(store: Store, channelId: number, plan: DigestPlan, at: Date): Promise<void> {
  await store.outbox.plan(
    {
      channelId,
      digestDate: plan.digestDate,
      slot: '09:00',
      dueAt: at,
      kind: 'scheduled',
      windowFrom: plan.from,
      windowTo: plan.to,
      header: false,
      papers: plan.picked.map((p) => ({ paperId: p.paperId, rank: p.rank, topics: p.topics })),
    },
    at,
  );
  const lease = { owner: 'taste-sim', until: new Date(at.getTime() + 60_000) };
  for (let row = await store.outbox.claimNext(channelId, at, lease); row; row = await store.outbox.claimNext(channelId, at, lease)) {
    await store.outbox.markSent(row.id, `eval-${row.id}`, at, lease.owner);
  }
}
