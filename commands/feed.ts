import { defineCommand } from '../src/commands/types.ts';

export const feed = defineCommand({
  name: 'feed',
  description: "This channel's posted papers as an Atom feed: its private URL, or a new one (reset)",
  options: [{ name: 'action', type: 'choice', description: 'show (default) or reset (the old URL stops working)', choices: ['show', 'reset'] }],
  access: 'manager',
  examples: ['/papers feed', '/papers feed reset'],
  async handler({ options, store, clock, channel, services }) {
    const reset = options.action === 'reset';
    const token = reset ? await store.feeds.reset(channel.id, clock.now()) : await store.feeds.token(channel.id, clock.now());
    const url = services.feedUrl ? services.feedUrl(token) : `/feeds/${token}.atom`;
    const lead = reset ? 'New feed URL for this channel; the old one no longer works:' : "This channel's feed (Atom; the papers posted here, newest first):";
    return {
      text: `${lead}\n\`${url}\`\nAnyone with the link can read it: share it like a password. \`/papers feed reset\` makes a new one.`,
      ephemeral: true,
    };
  },
});
