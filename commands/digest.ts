import { buildCards } from '../src/commands/cards.ts';
import { plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { planChannelDigest } from '../src/digest/preview.ts';

export const digest = defineCommand({
  name: 'digest',
  description: "Preview this channel's next digest, or post it now (managers)",
  options: [{ name: 'action', type: 'choice', description: 'preview (default) or post', choices: ['preview', 'post'] }],
  access: 'member',
  managerWhen: (o) => o.action === 'post',
  examples: ['/papers digest', '/papers digest post'],
  async handler({ options, store, clock, logger, channel, team, services }) {
    if (options.action === 'post') {
      const result = await services.postDigestNow(channel.id);
      return { text: result.posted > 0 ? `Posted ${plural(result.posted, 'paper')} here.` : (result.note ?? 'Nothing new to post.'), ephemeral: true };
    }
    const plan = await planChannelDigest(store, channel.id, { clock, logger });
    const window = plan.from === plan.to ? plan.to : `${plan.from} to ${plan.to}`;
    if (plan.picked.length === 0) {
      const why =
        plan.candidates === 0
          ? `no papers are listed for ${window} yet`
          : plan.topicCount > 0 && plan.alreadyDelivered.length === 0
            ? `none of the ${plural(plan.candidates, 'paper')} listed for ${window} match this channel's topics`
            : `the ${plural(plan.candidates, 'paper')} listed for ${window} that match were already posted here`;
      return { text: `The next digest would be empty: ${why}. \`/papers today\` shows the latest papers.`, ephemeral: true };
    }
    const papers = await store.papers.getMany(plan.picked.map((p) => p.paperId));
    const notes = new Map(plan.picked.map((p) => [p.paperId, p.topics.length ? `Topic: ${p.topics.join(', ')}` : null]));
    const lines = [`Preview (only you see this): ${plural(plan.picked.length, 'paper')} from ${window}${plan.cut.length ? `, ${plan.cut.length} more cut by the limit of ${plan.picked.length}` : ''}.`];
    return { title: `Next digest, ${plan.digestDate}`, text: lines.join('\n'), cards: await buildCards(store, team.id, null, papers, notes), ephemeral: true };
  },
});
