import { defineCommand } from '../src/commands/types.ts';
import { UserError } from '../src/domain/errors.ts';
import { parseArxivId } from '../src/domain/paper.ts';

export const unsave = defineCommand({
  name: 'unsave',
  description: 'Remove a paper from your reading list',
  options: [{ name: 'paper', type: 'string', description: 'arXiv id or link', required: true, maxLength: 200, autocomplete: 'paper' }],
  access: 'member',
  examples: ['/papers unsave 2608.14391'],
  async handler({ options, store, team, user }) {
    const id = parseArxivId(options.paper);
    if (!id) throw new UserError('bad_option', "That doesn't look like an arXiv id or link, e.g. `2608.14391`.");
    const removed = await store.saves.unsave(team.id, user.id, id);
    return { text: removed ? `Removed ${id} from your reading list.` : `${id} wasn't on your reading list.`, ephemeral: true };
  },
});
