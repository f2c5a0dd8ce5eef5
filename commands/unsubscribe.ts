import { code } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { isUserError } from '../src/domain/errors.ts';
import { parseSearchQuery, queryKey } from '../src/search/query.ts';
import { TOPIC_MAX_CHARS } from './subscribe.ts';

export const unsubscribe = defineCommand({
  name: 'unsubscribe',
  description: 'Stop following a topic in this channel',
  options: [{ name: 'topic', type: 'string', description: 'The topic, as /papers topics lists it', required: true, maxLength: TOPIC_MAX_CHARS, rest: 'raw', autocomplete: 'topic' }],
  access: 'manager',
  examples: ['/papers unsubscribe diffusion -video'],
  async handler({ options, store, channel }) {
    const topics = await store.topics.list(channel.id);
    // Match by meaning (same words, any spelling), falling back to the text as listed.
    let key: string | null = null;
    try {
      key = queryKey(parseSearchQuery(options.topic));
    } catch (e) {
      if (!isUserError(e)) throw e;
    }
    const topic = topics.find((t) => t.query_key === key) ?? topics.find((t) => t.query.toLowerCase() === options.topic.trim().toLowerCase());
    if (!topic) {
      const list = topics.length ? ` It follows: ${topics.map((t) => code(t.query, 60)).join(', ')}.` : ' It follows no topics (so it gets every paper).';
      return { text: `This channel doesn't follow ${code(options.topic)}.${list}`, ephemeral: true };
    }
    await store.topics.remove(channel.id, topic.query_key);
    const left = topics.length - 1;
    return {
      text: `This channel no longer follows ${code(topic.query)}.${left === 0 ? ' With no topics left, its digest will carry every new paper.' : ''}`,
      ephemeral: false,
    };
  },
});
