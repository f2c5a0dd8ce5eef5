import { buildCards } from '../src/commands/cards.ts';
import { resolvePaper } from '../src/commands/paper-ref.ts';
import { defineCommand } from '../src/commands/types.ts';

export const show = defineCommand({
  name: 'show',
  description: 'Show one paper',
  options: [{ name: 'paper', type: 'string', description: 'arXiv id or arXiv / Hugging Face link', required: true, maxLength: 200, autocomplete: 'paper' }],
  access: 'member',
  examples: ['/papers show 2608.14391', '/papers show https://huggingface.co/papers/2608.14391'],
  async handler({ options, store, team, user }) {
    const paper = await resolvePaper(store, options.paper);
    const mine = await store.saves.find(team.id, user.id, paper.id);
    const [card] = await buildCards(store, team.id, user.id, [paper], new Map([[paper.id, mine?.note ? `Your note: ${mine.note}` : null]]));
    return { text: '', cards: [card!], ephemeral: false };
  },
});
