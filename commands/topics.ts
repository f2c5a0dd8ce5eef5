import { code } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';

export const topics = defineCommand({
  name: 'topics',
  description: 'The topics this channel follows',
  options: [],
  access: 'member',
  examples: ['/papers topics'],
  async handler({ store, channel }) {
    const list = await store.topics.list(channel.id);
    if (list.length === 0) {
      return { text: 'This channel follows no topics, so its digest carries every new paper. A manager can narrow it with `/papers subscribe <topic>`.', ephemeral: true };
    }
    return { title: 'Topics', text: list.map((t, i) => `${i + 1}. ${code(t.query, 200)}`).join('\n'), ephemeral: true };
  },
});
