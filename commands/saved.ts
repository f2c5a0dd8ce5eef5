import { buildCards } from '../src/commands/cards.ts';
import { plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { changesSince, watchLine } from '../src/watch/reading-list.ts';
import { PAGE_SIZE } from './search.ts';

export const saved = defineCommand({
  name: 'saved',
  description: "Your reading list, or the whole team's",
  options: [
    { name: 'scope', type: 'choice', description: 'mine (default) or team', choices: ['mine', 'team'] },
    { name: 'page', type: 'integer', description: 'Page of results', min: 1, max: 200 },
  ],
  access: 'member',
  examples: ['/papers saved', '/papers saved team'],
  async handler({ options, store, team, user, clock }) {
    const scope = options.scope ?? 'mine';
    const saves = await store.saves.list(team.id, scope === 'mine' ? user.id : null);
    // The team list shows each paper once, with how many saved it, the newest note and the first save.
    const byPaper = new Map<string, { note: string | null; savers: number; firstSavedAt: string }>();
    for (const s of saves) {
      const seen = byPaper.get(s.paperId);
      byPaper.set(s.paperId, { note: seen?.note ?? s.note, savers: (seen?.savers ?? 0) + 1, firstSavedAt: seen && Date.parse(seen.firstSavedAt) < Date.parse(s.savedAt) ? seen.firstSavedAt : s.savedAt });
    }
    // What changed is measured from the person's previous look; this look is the next one's mark.
    const lastSeen = await store.watch.lastSeen(team.id, user.id);
    await store.watch.markSeen(team.id, user.id, clock.now());
    const ids = [...byPaper.keys()];
    if (ids.length === 0) {
      return {
        text: scope === 'mine' ? 'Your reading list is empty. Save a paper with `/papers save <id>` or its Save button.' : 'Nobody in this team has saved a paper yet.',
        ephemeral: true,
      };
    }
    const page = options.page ?? 1;
    const shownIds = ids.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    if (shownIds.length === 0) return { text: `There is no page ${page}; the list has ${plural(ids.length, 'paper')}.`, ephemeral: true };
    const papers = await store.papers.getMany(shownIds);
    const [states, changes] = await Promise.all([store.watch.statesOf(shownIds), store.watch.changesOf(shownIds)]);
    let changedCount = 0;
    const notes = new Map(
      papers.map((paper) => {
        const { note, savers, firstSavedAt } = byPaper.get(paper.id)!;
        const who = scope === 'team' ? `Saved by ${plural(savers, 'person', 'people')}` : null;
        const state = states.get(paper.id);
        const changed = changesSince(
          changes.filter((c) => c.paperId === paper.id),
          lastSeen !== null && Date.parse(lastSeen) > Date.parse(firstSavedAt) ? lastSeen : firstSavedAt,
        );
        if (changed.length > 0) changedCount++;
        const watch = watchLine({ version: state?.version ?? null, withdrawn: state?.withdrawn ?? false, changed });
        return [paper.id, [watch, who, note ? `Note: ${note}` : null].filter(Boolean).join(' · ') || null] as const;
      }),
    );
    const lines = [`${plural(ids.length, 'paper')}${ids.length > PAGE_SIZE ? `, page ${page}` : ''}. Export as BibTeX with \`/papers export\`.`];
    if (changedCount > 0) lines.push(`🆕 ${plural(changedCount, 'paper')} on this page changed since your last look.`);
    if (page * PAGE_SIZE < ids.length) lines.push(`More: \`/papers saved ${scope} page:${page + 1}\``);
    return {
      title: scope === 'mine' ? 'Your reading list' : "The team's reading list",
      text: lines.join('\n'),
      cards: await buildCards(store, team.id, user.id, papers, notes),
      ephemeral: true,
    };
  },
});
