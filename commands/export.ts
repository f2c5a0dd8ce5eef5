import { toBibtex } from '../src/commands/bibtex.ts';
import { cslItem, risRecords, toCslJson, toRis, type ExportedPaper } from '../src/commands/citations.ts';
import { plural } from '../src/commands/text.ts';
import { defineCommand, type ReplyFile } from '../src/commands/types.ts';

const FORMATS = ['bibtex', 'ris', 'csl-json'] as const;
type Format = (typeof FORMATS)[number];

const LABEL: Record<Format, string> = { bibtex: 'BibTeX', ris: 'RIS (Zotero, Mendeley, EndNote)', 'csl-json': 'CSL-JSON (Zotero, citeproc)' };

function exportFile(format: Format, items: readonly ExportedPaper[]): ReplyFile {
  switch (format) {
    case 'bibtex':
      return { name: 'paperboy-saved.bib', content: toBibtex(items.map((i) => i.paper)), contentType: 'application/x-bibtex' };
    case 'ris':
      return { name: 'paperboy-saved.ris', content: toRis(items), contentType: 'application/x-research-info-systems', entries: risRecords(items) };
    case 'csl-json':
      return {
        name: 'paperboy-saved.json',
        content: toCslJson(items),
        contentType: 'application/vnd.citationstyles.csl+json',
        entries: items.map((i) => JSON.stringify(cslItem(i))),
      };
  }
}

export const exportCommand = defineCommand({
  name: 'export',
  description: "The team's saved papers as a BibTeX, RIS or CSL-JSON file",
  options: [{ name: 'format', type: 'choice', description: 'File format (default: bibtex)', choices: FORMATS }],
  access: 'member',
  examples: ['/papers export', '/papers export ris', '/papers export csl-json'],
  async handler({ options, store, team }) {
    const format = options.format ?? 'bibtex';
    const saves = await store.saves.list(team.id, null, 5000);
    const notes = new Map<string, string[]>();
    for (const s of saves) {
      const list = notes.get(s.paperId) ?? [];
      if (s.note && !list.includes(s.note)) list.push(s.note);
      notes.set(s.paperId, list);
    }
    if (notes.size === 0) return { text: 'Nothing to export yet: nobody in this team has saved a paper.', ephemeral: true };
    const papers = await store.papers.getMany([...notes.keys()]);
    const items = papers.map((paper) => ({ paper, notes: notes.get(paper.id) ?? [] }));
    return {
      text: `${plural(papers.length, 'paper')} from the team's reading list, as ${LABEL[format]}.`,
      file: exportFile(format, items),
      ephemeral: true,
    };
  },
});
