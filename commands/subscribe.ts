import { code, plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { addDays, isoDay } from '../src/domain/clock.ts';
import { UserError } from '../src/domain/errors.ts';
import { DEFAULT_CHANNEL_LIMITS } from '../src/domain/limits.ts';
import { applyCorrections, asTyped, findMisspellings } from '../src/search/expand.ts';
import { parseSearchQuery, queryKey } from '../src/search/query.ts';

export const TOPIC_MAX_CHARS = 200;

/** The polite refusal at the fair-use limit: how many it follows, the limit, how to make room. */
export function topicLimitReached(topic: string, count: number, max: number): UserError {
  const where = count > max ? `more than the ${max} a channel may follow here (the limit was lowered since)` : 'the most a channel may follow here';
  const remove = count - max + 1 === 1 ? 'one' : String(count - max + 1);
  return new UserError(
    'limit',
    `This channel already follows ${plural(count, 'topic')}, ${where}, so I haven't added ${code(topic)}. ` +
      `To make room, remove ${remove} with \`/papers unsubscribe <topic>\` (\`/papers topics\` lists them), then subscribe again.`,
  );
}

export const subscribe = defineCommand({
  name: 'subscribe',
  description: "Follow a topic in this channel's digest (same syntax as search)",
  options: [{ name: 'topic', type: 'string', description: 'Words, "a phrase", -exclude, OR, author:name', required: true, maxLength: TOPIC_MAX_CHARS, rest: 'raw' }],
  access: 'manager',
  examples: ['/papers subscribe "state space models"', '/papers subscribe diffusion -video', '/papers subscribe author:"Tri Dao"'],
  async handler({ options, store, clock, channel, user, services }) {
    const query = parseSearchQuery(options.topic);
    if (query.since) throw new UserError('bad_query', 'A topic follows new papers, so `since:` has no place in it.');
    const { maxTopics } = services.limits ?? DEFAULT_CHANNEL_LIMITS;
    const key = queryKey(query);
    const topics = await store.topics.list(channel.id);
    const followed = topics.some((t) => t.query_key === key);
    // Said before the spelling check: no use correcting a topic that cannot be added.
    if (!followed && topics.length >= maxTopics) throw topicLimitReached(query.text, topics.length, maxTopics);
    // A misspelled topic would match nothing, silently, forever: ask before saving it.
    const { corrections: sure, unknown } = await findMisspellings(query, store.vocabulary, 'unknown');
    if (sure.length > 0) {
      const meant = applyCorrections(query, sure).text;
      const words = sure.map((c) => code(c.from)).join(', ');
      return {
        text:
          `No paper I have mentions ${words}, so this topic would never match. Did you mean ${code(meant)}?\n` +
          `Follow that: ${code(`/papers subscribe ${meant}`, 250)}\nOr keep it as typed (quoted words are taken as they are): ${code(`/papers subscribe ${asTyped(query.text, sure)}`, 250)}`,
        ephemeral: true,
      };
    }
    const added = await store.topics.addWithin(channel.id, query.text, key, user.id, clock.now(), maxTopics);
    if (!added.added && added.reason === 'full') throw topicLimitReached(query.text, added.count, maxTopics); // another subscribe took the last place
    await store.teams.activate(channel.id, clock.now());
    if (!added.added) return { text: `This channel already follows ${code(query.text)}.`, ephemeral: true };
    // A taste of what it will bring: matches among the last week's listings.
    const today = isoDay(clock.now());
    const to = (await store.papers.latestListedDay(today)) ?? today;
    const recent = await store.papers.listedBetween(addDays(to, -6), to);
    const matches = await store.matcher.matching(query, recent.map((r) => r.paperId));
    const unseen = unknown.length > 0 ? ` No paper mentions ${unknown.map((w) => code(w)).join(', ')} yet; it will match once one does.` : '';
    return {
      text: `This channel now follows ${code(query.text)}. It matched ${plural(matches.size, 'paper')} in the week to ${to}.${unseen} See \`/papers topics\`.`,
      ephemeral: false,
    };
  },
});
