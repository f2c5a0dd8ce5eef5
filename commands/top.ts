import { buildCards } from '../src/commands/cards.ts';
import { defineCommand } from '../src/commands/types.ts';
import { addDays, isoDay } from '../src/domain/clock.ts';
import { TEAM_VOTE_WEIGHT } from '../src/digest/plan.ts';
import { PAGE_SIZE } from './search.ts';

const PERIOD_DAYS = { day: 1, week: 7, month: 30 } as const;

export const top = defineCommand({
  name: 'top',
  description: "The most upvoted papers, this team's votes counted extra",
  options: [{ name: 'period', type: 'choice', description: 'How far back (default: week)', choices: ['day', 'week', 'month'] }],
  access: 'member',
  examples: ['/papers top', '/papers top month'],
  async handler({ options, store, clock, team, user }) {
    const period = options.period ?? 'week';
    const asked = isoDay(clock.now());
    // Anchor on the newest listed day, so a weekend or a paused feed still shows something.
    const to = await store.papers.latestListedDay(asked);
    if (!to) return { text: 'I have no listed papers yet.', ephemeral: true };
    const from = addDays(to, -(PERIOD_DAYS[period] - 1));
    const ranked = await store.votes.top(team.id, from, to, PAGE_SIZE, TEAM_VOTE_WEIGHT);
    const papers = await store.papers.getMany(ranked.map((r) => r.paperId));
    const range = from === to ? to : `${from} to ${to}`;
    return {
      title: `Top papers, ${range}`,
      text: `Ranked by Hugging Face upvotes, each vote from this team counting as ${TEAM_VOTE_WEIGHT}.`,
      cards: await buildCards(store, team.id, user.id, papers),
      ephemeral: false,
    };
  },
});
