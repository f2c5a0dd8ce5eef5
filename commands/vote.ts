import { resolvePaper } from '../src/commands/paper-ref.ts';
import { applyPaperAction } from '../src/commands/paper-actions.ts';
import { defineCommand } from '../src/commands/types.ts';

export const vote = defineCommand({
  name: 'vote',
  description: 'Upvote a paper for your team (again to take it back)',
  options: [{ name: 'paper', type: 'string', description: 'arXiv id or link', required: true, maxLength: 200, autocomplete: 'paper' }],
  access: 'member',
  examples: ['/papers vote 2608.14391'],
  async handler({ options, store, clock, team, channel, user }) {
    const paper = await resolvePaper(store, options.paper);
    const result = await applyPaperAction(
      { kind: 'vote', paperId: paper.id, team: { platform: team.platform, externalId: team.externalId }, channel: { externalId: channel.externalId }, userId: user.id },
      { store, clock },
    );
    return { text: result.message, ephemeral: true };
  },
});
