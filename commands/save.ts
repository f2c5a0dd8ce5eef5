import { resolvePaper } from '../src/commands/paper-ref.ts';
import { defineCommand } from '../src/commands/types.ts';
import { clip } from '../src/domain/clip.ts';

export const NOTE_MAX = 500;

export const save = defineCommand({
  name: 'save',
  description: 'Save a paper to your reading list, with an optional note',
  options: [
    { name: 'paper', type: 'string', description: 'arXiv id or link', required: true, maxLength: 200, autocomplete: 'paper' },
    { name: 'note', type: 'string', description: 'A note for later', maxLength: NOTE_MAX, rest: 'text' },
  ],
  access: 'member',
  examples: ['/papers save 2608.14391', '/papers save 2608.14391 compare with our baseline'],
  async handler({ options, store, clock, team, user }) {
    const paper = await resolvePaper(store, options.paper);
    const added = await store.saves.save(team.id, user.id, paper.id, options.note ?? null, clock.now());
    const what = added ? 'Saved' : options.note ? 'Updated your note on' : 'Already saved:';
    return { text: `${what} ${paper.id} (${clip(paper.title, 120)}). See \`/papers saved\`.`, ephemeral: true };
  },
});
