import { buildCards } from '../src/commands/cards.ts';
import { plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { addDays, isoDay } from '../src/domain/clock.ts';
import { recommendations } from '../src/relevance/recommend.ts';
import { TASTE_MIN_POSITIVES } from '../src/relevance/taste.ts';
import { PAGE_SIZE } from './search.ts';

const PERIOD_DAYS = { day: 1, week: 7, month: 30 } as const;

export const recommend = defineCommand({
  name: 'recommend',
  description: "The team's best unseen papers, ranked by what it votes for and saves",
  options: [{ name: 'period', type: 'choice', description: 'How far back (default: week)', choices: ['day', 'week', 'month'] }],
  access: 'member',
  examples: ['/papers recommend', '/papers recommend month'],
  async handler({ options, store, clock, team, user }) {
    const period = options.period ?? 'week';
    // Anchor on the newest listed day, as /papers top does: a weekend still has a week behind it.
    const to = await store.papers.latestListedDay(isoDay(clock.now()));
    if (!to) return { text: 'I have no listed papers yet.', ephemeral: true };
    const from = addDays(to, -(PERIOD_DAYS[period] - 1));
    const range = from === to ? to : `${from} to ${to}`;
    const r = await recommendations(store, team.id, from, to, PAGE_SIZE, clock.now());
    if (r.picks.length === 0) {
      return { text: `Nothing unseen is left from ${range}: every paper listed then was posted here or voted for or saved by your team.`, ephemeral: true };
    }
    const papers = await store.papers.getMany(r.picks.map((p) => p.paperId));
    const notes = new Map(r.picks.map((p) => [p.paperId, p.note]));
    const lines =
      r.by === 'taste'
        ? [`Ranked by your team's taste, learnt from ${plural(r.positives, 'paper')} it voted for or saved; none of these was posted here or voted for yet.`]
        : [
            `Your team has voted for or saved ${plural(r.positives, 'paper')}; with ${TASTE_MIN_POSITIVES - r.positives} more I can rank papers by its taste.`,
            'Meanwhile, the most upvoted papers your team has not seen:',
          ];
    return { title: `Recommended, ${range}`, text: lines.join('\n'), cards: await buildCards(store, team.id, user.id, papers, notes), ephemeral: false };
  },
});
