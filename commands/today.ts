import { buildCards } from '../src/commands/cards.ts';
import { defineCommand } from '../src/commands/types.ts';
import { isIsoDay, isoDay } from '../src/domain/clock.ts';
import { UserError } from '../src/domain/errors.ts';
import { PAGE_SIZE } from './search.ts';

export const today = defineCommand({
  name: 'today',
  description: "The day's papers on Hugging Face Daily Papers, most upvoted first",
  options: [
    { name: 'date', type: 'string', description: 'A day as YYYY-MM-DD (default: today)', maxLength: 10 },
    { name: 'page', type: 'integer', description: 'Page of results', min: 1, max: 40 },
  ],
  access: 'member',
  examples: ['/papers today', '/papers today 2026-06-30'],
  async handler({ options, store, clock, team, user }) {
    if (options.date && !isIsoDay(options.date)) throw new UserError('bad_option', `\`date\` wants a day like 2026-06-30, not \`${options.date}\`.`);
    const asked = options.date ?? isoDay(clock.now());
    const day = await store.papers.latestListedDay(asked);
    if (!day) return { text: `I have no papers listed on or before ${asked} yet.`, ephemeral: true };
    const ids = await store.papers.listedOn(day);
    const papers = (await store.papers.getMany(ids)).sort((a, b) => b.upvotes - a.upvotes);
    const page = options.page ?? 1;
    const shown = papers.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    if (shown.length === 0) return { text: `${day} has ${papers.length} papers; there is no page ${page}.`, ephemeral: true };
    const lines: string[] = [];
    if (day !== asked) lines.push(`Nothing listed for ${asked} yet; here is ${day}, the latest day I have.`);
    const first = (page - 1) * PAGE_SIZE + 1;
    lines.push(`${first}–${first + shown.length - 1} of ${papers.length} papers listed on ${day}.`);
    if (page * PAGE_SIZE < papers.length) lines.push(`More: \`/papers today ${day} page:${page + 1}\``);
    return { title: `Papers of ${day}`, text: lines.join('\n'), cards: await buildCards(store, team.id, user.id, shown), ephemeral: false };
  },
});
