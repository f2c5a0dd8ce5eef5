import { defineCommand } from '../src/commands/types.ts';

export const pause = defineCommand({
  name: 'pause',
  description: "Pause this channel's digest",
  options: [],
  access: 'manager',
  examples: ['/papers pause'],
  async handler({ store, channel }) {
    await store.teams.setPaused(channel.id, true);
    return { text: 'Digest paused for this channel. Topics and schedule are kept; `/papers resume` restarts it.', ephemeral: false };
  },
});
