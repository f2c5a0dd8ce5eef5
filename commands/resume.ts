import { defineCommand } from '../src/commands/types.ts';

export const resume = defineCommand({
  name: 'resume',
  description: "Resume this channel's digest (also after posting failed here)",
  options: [],
  access: 'manager',
  examples: ['/papers resume'],
  async handler({ store, clock, channel }) {
    const row = await store.teams.getChannel(channel.id);
    await store.teams.enableChannel(channel.id);
    await store.teams.activate(channel.id, clock.now(), true);
    const was = row?.disabled_reason ? ` Posting had stopped because: ${row.disabled_reason}. If that is fixed, the next digest will arrive as scheduled.` : '';
    return { text: `Digest resumed for this channel.${was}`, ephemeral: false };
  },
});
