import { buildCards } from '../src/commands/cards.ts';
import { code } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { QUERY_LIMITS } from '../src/search/query.ts';
import { searchPapers } from '../src/search/search-papers.ts';

export const PAGE_SIZE = 5;

export const search = defineCommand({
  name: 'search',
  description: 'Search every paper I have',
  options: [
    { name: 'query', type: 'string', description: 'Words, "a phrase", -exclude, OR, author:name, since:YYYY-MM-DD', required: true, maxLength: QUERY_LIMITS.maxChars, rest: 'raw' },
    { name: 'page', type: 'integer', description: 'Page of results', min: 1, max: 50 },
  ],
  access: 'member',
  examples: ['/papers search delta rule', '/papers search "state space" -vision since:2025-01-01', '/papers search author:"Tri Dao"'],
  async handler({ options, store, team, user }) {
    const page = options.page ?? 1;
    const { query, page: result, corrections, typed, asTyped } = await searchPapers(store, options.query, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    if (result.ids.length === 0) {
      return {
        text: page > 1 ? `No more results for \`${query.text}\` (page ${page}).` : `Nothing matches \`${query.text}\`. Try fewer or different words.`,
        ephemeral: true,
      };
    }
    const papers = await store.papers.getMany(result.ids);
    const first = (page - 1) * PAGE_SIZE + 1;
    const lines = [`Results ${first}–${first + papers.length - 1} for \`${query.text}\`.`];
    if (corrections.length > 0) lines.push(`Showing results for ${code(query.text)}; search instead for ${code(typed)}: ${code(`/papers search ${asTyped}`, 200)}`);
    if (result.window) lines.push(`That matches a great many papers, so these are the best of the ${result.window.toLocaleString('en-US')} newest; add words or since: to narrow it.`);
    if (result.hasMore) lines.push(`More: \`/papers search ${query.text} page:${page + 1}\``);
    return { title: 'Search', text: lines.join('\n'), cards: await buildCards(store, team.id, user.id, papers), ephemeral: false };
  },
});
