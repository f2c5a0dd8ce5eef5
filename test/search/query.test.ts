import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.ts';
import { parseSearchQuery, queryKey } from '../../src/search/query.ts';
import type { Store } from '../../src/store/store.ts';
import { HAND_MADE, paper, storeWith } from './hand-made-papers.ts';

let store: Store;
beforeAll(async () => {
  store = await storeWith();
});
afterAll(() => store.close());

/** The ids a query finds, best first. */
async function find(query: string, limit = 50): Promise<string[]> {
  return (await store.search.search(parseSearchQuery(query), { limit, offset: 0 })).ids;
}

/** The same, as a sorted set, where only membership matters. */
async function findSet(query: string): Promise<string[]> {
  return (await find(query)).sort();
}

function userError(query: string): UserError {
  try {
    parseSearchQuery(query);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`expected a UserError for ${JSON.stringify(query)}`);
}

describe('words', () => {
  it('are ANDed', async () => {
    expect(await findSet('diffusion image')).toEqual(['2006.11239', '2105.05233']);
    expect(await findSet('diffusion gans')).toEqual(['2105.05233']);
    expect(await find('diffusion kernels')).toEqual([]);
  });

  it('ignore case and diacritics, in either Unicode form', async () => {
    expect(await find('NAIVE bayes')).toEqual(['2401.00009']);
    expect(await find('naïve')).toEqual(['2401.00009']);
    expect(await find('nai\u0308ve')).toEqual(['2401.00009']);
    expect(await find('author:jose')).toEqual(['2401.00008']);
  });

  it('rank a title match above the same word in an abstract', async () => {
    const ids = await find('attention');
    expect(ids.slice(0, 2).sort()).toEqual(['1706.03762', '2307.08691']);
    expect(ids).toContain('2401.00010');
  });
});

describe('"quoted phrases"', () => {
  it('match the words in order and next to each other', async () => {
    expect(await findSet('"state space"')).toEqual(['2312.00752', '2401.00007']);
    expect(await find('"space state"')).toEqual([]);
    expect(await find('"diffusion models" "sample quality"')).toEqual(['2105.05233']);
  });

  it('keep their words when the closing quote is missing', async () => {
    expect(await findSet('"state space')).toEqual(await findSet('"state space"'));
    expect(await findSet('traffic "')).toEqual(['2401.00001']);
  });
});

describe('-word exclusion', () => {
  it('drops papers with the word', async () => {
    expect(await find('diffusion -gans')).toEqual(['2006.11239']);
    expect(await find('diffusion -"sample quality"')).toEqual(['2006.11239']);
    expect(await find('diffusion NOT gans')).toEqual(['2006.11239']);
  });

  it('alone is a clear message', () => {
    expect(userError('-diffusion').message).toMatch(/at least one word/);
  });

  it('a hyphen inside or around words is not an exclusion', async () => {
    expect(await find('diffusion - gans')).toEqual(['2105.05233']);
    expect(await findSet('linear-time')).toEqual(['2312.00752']);
  });
});

describe('OR', () => {
  it('matches either side, and binds only its neighbours', async () => {
    expect(await findSet('mamba OR flashattention')).toEqual(['2307.08691', '2312.00752']);
    expect(await findSet('mamba OR flashattention kernel')).toEqual(['2307.08691']);
    expect(await findSet('mamba | flashattention')).toEqual(['2307.08691', '2312.00752']);
  });

  it('at either end, or before an exclusion, is ignored', async () => {
    expect(await findSet('OR mamba')).toEqual(['2312.00752']);
    expect(await findSet('mamba OR')).toEqual(['2312.00752']);
    expect(await findSet('attention OR -mamba')).toEqual(['1706.03762', '2307.08691', '2401.00010']);
  });

  it('lower-case "or" is a word', () => {
    expect(parseSearchQuery('mamba or flash').must).toHaveLength(3);
  });
});

describe('author:', () => {
  it('matches a name in the author list only', async () => {
    expect(await findSet('author:dao')).toEqual(['2307.08691', '2312.00752', '2401.00006']);
    expect(await findSet('author:vaswani')).toEqual(['1706.03762']);
    expect(await find('author:attention')).toEqual([]);
  });

  it('"First Last" is a phrase: both names, in that order', async () => {
    expect(await findSet('author:"Tri Dao"')).toEqual(['2307.08691', '2312.00752']);
    expect(await findSet('au:"tri dao" mamba')).toEqual(['2312.00752']);
    expect(await find('author:"Dao Ashish"')).toEqual([]);
  });

  it('can be excluded and ORed', async () => {
    expect(await findSet('attention -author:dao')).toEqual(['1706.03762', '2401.00010']);
    expect(await findSet('author:vaswani OR author:gu')).toEqual(['1706.03762', '2312.00752']);
  });
});

describe('title:', () => {
  it('matches words in the title only', async () => {
    expect(await findSet('title:attention')).toEqual(['1706.03762', '2307.08691']);
    // In any of their forms: "State Space Models" holds the phrase too.
    expect(await findSet('title:"state spaces"')).toEqual(['2312.00752', '2401.00007']);
    expect(await findSet('title:"selective state spaces"')).toEqual(['2312.00752']);
    expect(await findSet('ti:graph')).toEqual(['2401.00010']);
  });

  it('accepts a space after the colon, and FTS5 spellings of a column filter', async () => {
    const titleOnly = await findSet('title:attention');
    expect(await findSet('title: attention')).toEqual(titleOnly);
    expect(await findSet('{title}:attention')).toEqual(titleOnly);
    expect(await findSet('{title} : attention')).toEqual(titleOnly);
  });
});

describe('other column filters', () => {
  it('abstract:, keywords: and multi-column {..}: search everywhere', async () => {
    const anywhere = await findSet('attention');
    expect(await findSet('abstract:attention')).toEqual(anywhere);
    expect(await findSet('{title abstract}:attention')).toEqual(anywhere);
    expect(await findSet('keywords:attention')).toEqual(anywhere);
    expect(await findSet('{abstract}: attention')).toEqual(anywhere);
  });

  it('an unknown key:value is one compound word', async () => {
    expect(parseSearchQuery('foo:bar').must).toEqual([[{ tokens: ['foo', 'bar'], field: 'any' }]]);
    expect(await find('ubuntu:20.04')).toEqual(['2401.00004']);
  });
});

describe('since:YYYY-MM-DD', () => {
  it('keeps papers published on or after the day', async () => {
    expect(await findSet('attention since:2023-01-01')).toEqual(['2307.08691', '2312.00752', '2401.00010']);
    expect(await findSet('attention since:2023-07-17')).toEqual(['2307.08691', '2312.00752', '2401.00010']);
    expect(await findSet('attention since:2023-07-18')).toEqual(['2312.00752', '2401.00010']);
    expect(await findSet('since: 2024-01-02 attention')).toEqual([]);
    expect(await findSet('title:attention since:2020-01-01')).toEqual(['2307.08691']);
  });

  it.each(['since:2023-02-30', 'since:yesterday', 'since:2023', 'since:23-01-01', 'attention since:'])('rejects %s with a message naming the format', (q) => {
    const e = userError(q);
    expect(e.code).toBe('bad_query');
    expect(e.message).toMatch(/since:.*2025-06-01/);
  });

  it('alone is a clear message', () => {
    expect(userError('since:2024-01-01').message).toMatch(/no words/);
  });
});

describe('FTS5 operators are words, not syntax', () => {
  it('NEAR(a b) and NEAR(a b, 5) look for the words', async () => {
    expect(await findSet('NEAR(state space)')).toEqual(await findSet('state space'));
    expect(await findSet('NEAR(state space, 5)')).toEqual(await findSet('state space'));
    expect(await findSet('state NEAR space')).toEqual(await findSet('state space'));
    expect(await findSet('state NEAR/3 space')).toEqual(await findSet('state space'));
  });

  it('lower-case near is a word', async () => {
    expect(await findSet('near field')).toEqual(['2401.00008']);
  });

  it('^, * and parentheses are dropped', async () => {
    expect(await findSet('^attention')).toEqual(await findSet('attention'));
    expect(await findSet('attention*')).toEqual(await findSet('attention'));
    expect(await findSet('(mamba OR flashattention) kernel')).toEqual(['2307.08691']);
    expect(await findSet('diffusion AND gans')).toEqual(['2105.05233']);
  });

  it('a prefix is not expanded: it has to be a whole word', async () => {
    expect(await find('diffu*')).toEqual([]);
  });
});

describe('punctuation inside words', () => {
  it('multi-agent is the phrase "multi agent"', async () => {
    expect(await findSet('multi-agent')).toEqual(['2401.00001']);
  });

  it("who's and 20.04 are phrases too", async () => {
    expect(await find("who's")).toEqual(['2401.00003']);
    expect(await find('who’s afraid')).toEqual(['2401.00003']);
    expect(await find('20.04')).toEqual(['2401.00004']);
  });
});

describe('input with no words', () => {
  it.each([':', '"', '""', '-', '🚀', '🚀🔥 ✨', '()', '{title}:', '* ^ :', '\u0000\u0007'])('%j is a clear message', (q) => {
    const e = userError(q);
    expect(e.code).toBe('bad_query');
    expect(e.message.length).toBeGreaterThan(10);
  });

  it('empty or blank input asks for words', () => {
    expect(userError('   ').message).toMatch(/what to look for/);
  });

  it('emoji beside words are ignored', async () => {
    expect(await find('🚀 mamba')).toEqual(['2312.00752']);
  });
});

describe('long input', () => {
  it('10 KB of text is a clear message', () => {
    const e = userError('attention '.repeat(1024));
    expect(e.message).toMatch(/10,239 characters long; please keep it under 500/);
  });

  it('too many terms is a clear message', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(userError(words).message).toMatch(/40 terms; please use at most 32/);
  });
});

describe('exact titles', () => {
  it('find their paper first, punctuation, case and "NOT" notwithstanding', async () => {
    expect((await find('Attention Is All You Need'))[0]).toBe('1706.03762');
    expect((await find('attention is all you need!'))[0]).toBe('1706.03762');
    expect((await find('Do NOT Think That Much for 2+3=? On the Overthinking of o1-Like LLMs'))[0]).toBe('2412.21187');
    expect((await find("Who's Afraid of Noisy Labels?"))[0]).toBe('2401.00003');
  });

  it('win even when they seem to hold operators', async () => {
    const rmrf = paper('2601.13097', 'RM -RF: Reward Model for Run-Free Unit Test Evaluation', 'Judging unit tests without running them: rf.');
    const llm = paper('2504.15585', 'A Comprehensive Survey in LLM(-Agent) Full Stack Safety', 'Safety of llm agent stacks.');
    const s = await storeWith([...HAND_MADE, rmrf, llm]);
    const first = async (text: string) => (await s.search.search(parseSearchQuery(text), { limit: 3, offset: 0 })).ids[0];
    expect(await first(rmrf.title)).toBe(rmrf.id);
    expect(await first(llm.title)).toBe(llm.id);
    // The same words as a query with a real exclusion still exclude.
    expect(await first('reward model -rf')).toBeUndefined();
    await s.close();
  });
});

describe('queryKey', () => {
  it('gives one key to one meaning', () => {
    const key = (s: string) => queryKey(parseSearchQuery(s));
    expect(key('Diffusion  models')).toBe(key('models diffusion'));
    expect(key('a OR b c')).toBe(key('c b OR a'));
    expect(key('"state space"')).not.toBe(key('state space'));
    expect(key('title:mamba')).not.toBe(key('mamba'));
  });
});
