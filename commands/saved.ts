import { buildCards } from '../src/commands/cards.ts';
import { plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
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
  async handler({ options, store, team, user }) {
    const scope = options.scope ?? 'mine';
    const saves = await store.saves.list(team.id, scope === 'mine' ? user.id : null);
    // The team list shows each paper once, with how many saved it and the newest note.
    const byPaper = new Map<string, { note: string | null; savers: number }>();
    for (const s of saves) {
      const seen = byPaper.get(s.paperId);
      byPaper.set(s.paperId, { note: seen?.note ?? s.note, savers: (seen?.savers ?? 0) + 1 });
    }
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
    const notes = new Map(
      shownIds.map((id) => {
        const { note, savers } = byPaper.get(id)!;
        const who = scope === 'team' ? `Saved by ${plural(savers, 'person', 'people')}` : null;
        return [id, [who, note ? `Note: ${note}` : null].filter(Boolean).join(' · ') || null] as const;
      }),
    );
    const papers = await store.papers.getMany(shownIds);
    const lines = [`${plural(ids.length, 'paper')}${ids.length > PAGE_SIZE ? `, page ${page}` : ''}. Export as BibTeX with \`/papers export\`.`];
    if (page * PAGE_SIZE < ids.length) lines.push(`More: \`/papers saved ${scope} page:${page + 1}\``);
    return {
      title: scope === 'mine' ? 'Your reading list' : "The team's reading list",
      text: lines.join('\n'),
      cards: await buildCards(store, team.id, user.id, papers, notes),
      ephemeral: true,
    };
  },
});
