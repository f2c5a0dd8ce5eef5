import { toBibtex } from '../src/commands/bibtex.ts';
import { plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';

export const exportCommand = defineCommand({
  name: 'export',
  description: "The team's saved papers as a BibTeX file",
  options: [],
  access: 'member',
  examples: ['/papers export'],
  async handler({ store, team }) {
    const saves = await store.saves.list(team.id, null, 5000);
    const ids = [...new Set(saves.map((s) => s.paperId))];
    if (ids.length === 0) return { text: 'Nothing to export yet: nobody in this team has saved a paper.', ephemeral: true };
    const papers = await store.papers.getMany(ids);
    return {
      text: `${plural(papers.length, 'paper')} from the team's reading list, as BibTeX.`,
      file: { name: 'paperboy-saved.bib', content: toBibtex(papers), contentType: 'application/x-bibtex' },
      ephemeral: true,
    };
  },
});
