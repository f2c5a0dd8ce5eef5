import { buildCards } from '../src/commands/cards.ts';
import { resolvePaper } from '../src/commands/paper-ref.ts';
import { code, plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { findSimilar } from '../src/relevance/similar.ts';

export const similar = defineCommand({
  name: 'similar',
  description: 'The papers most like one paper (TF-IDF over title and abstract)',
  options: [{ name: 'paper', type: 'string', description: 'arXiv id or arXiv / Hugging Face link', required: true, maxLength: 200, autocomplete: 'paper' }],
  access: 'member',
  examples: ['/papers similar 2608.19880'],
  async handler({ options, store, team, user }) {
    const paper = await resolvePaper(store, options.paper);
    const result = await findSimilar(store, paper);
    if (result.kind === 'no-text') {
      const has = paper.abstract.trim() ? 'its title and abstract hold only common words' : 'it has no abstract and its title holds only common words';
      return { text: `${paper.id} has too little text to compare with other papers: ${has} (${code(paper.title, 60)}).`, ephemeral: true };
    }
    if (result.kind === 'none') {
      const why = result.candidates === 0 ? 'no other paper I have shares its telling words' : `none of the ${plural(result.candidates, 'paper')} sharing its rarer words is close enough`;
      return { text: `I found no paper like ${paper.id} (${code(paper.title, 60)}): ${why}.`, ephemeral: true };
    }
    const papers = await store.papers.getMany(result.papers.map((p) => p.paperId));
    const notes = new Map(result.papers.map((p) => [p.paperId, `Similarity ${p.similarity.toFixed(2)}${p.shared.length ? `; shares: ${p.shared.join(', ')}` : ''}`]));
    return {
      title: 'Similar papers',
      text: `The ${papers.length === 1 ? 'paper' : `${papers.length} papers`} most like ${paper.id} (${code(paper.title, 80)}), by the words of their titles and abstracts.`,
      cards: await buildCards(store, team.id, user.id, papers, notes),
      ephemeral: false,
    };
  },
});
