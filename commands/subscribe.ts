import { code, plural } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { addDays, isoDay } from '../src/domain/clock.ts';
import { UserError } from '../src/domain/errors.ts';
import { applyCorrections, asTyped, findMisspellings } from '../src/search/expand.ts';
import { parseSearchQuery, queryKey } from '../src/search/query.ts';

export const MAX_TOPICS = 25;
export const TOPIC_MAX_CHARS = 200;

export const subscribe = defineCommand({
  name: 'subscribe',
  description: "Follow a topic in this channel's digest (same syntax as search)",
  options: [{ name: 'topic', type: 'string', description: 'Words, "a phrase", -exclude, OR, author:name', required: true, maxLength: TOPIC_MAX_CHARS, rest: 'raw' }],
  access: 'manager',
  examples: ['/papers subscribe "state space models"', '/papers subscribe diffusion -video', '/papers subscribe author:"Tri Dao"'],
  async handler({ options, store, clock, channel, user }) {
    const query = parseSearchQuery(options.topic);
    if (query.since) throw new UserError('bad_query', 'A topic follows new papers, so `since:` has no place in it.');
    const topics = await store.topics.list(channel.id);
    if (topics.length >= MAX_TOPICS) throw new UserError('conflict', `This channel already follows ${MAX_TOPICS} topics; \`/papers unsubscribe\` one first.`);
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
    const added = await store.topics.add(channel.id, query.text, queryKey(query), user.id, clock.now());
    await store.teams.activate(channel.id, clock.now());
    if (!added) return { text: `This channel already follows ${code(query.text)}.`, ephemeral: true };
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
