import type { Kysely } from 'kysely';
import { wordTokens } from '../../src/search/query.ts';
import type { Database } from '../../src/store/schema.ts';
import type { CorpusDay } from './corpus.ts';
import type { Rng } from './prng.ts';

export interface MixQuery {
  kind: string;
  text: string;
}

/** The query kinds the issue names, in the order the report lists them. */
export const KINDS = [
  'rare word',
  'two words',
  'very common words',
  'phrase of common words',
  'exact title',
  'author:',
  'since:',
  'OR',
  'exclusion',
  'other word form',
  'half-typed',
  'typo',
] as const;

/** Fixed, because they are the expensive ones: a word in most papers, and phrases of such words. */
const VERY_COMMON = ['model', 'learning', 'language model', 'the', 'models', 'data', 'large language models', 'we propose'];
const COMMON_PHRASES = ['"in this paper"', '"state of the art"', '"large language models"', '"language model"', '"the model"', '"we propose a"', '"of the"', '"experimental results"'];

/**
 * Queries drawn from the corpus's vocabulary (word document frequencies in the real 9,124
 * papers decide rare and middling words) and from the benchmark database itself (titles and
 * author names of random papers), `perKind` of each kind.
 */
export async function buildQueryMix(corpus: CorpusDay[], db: Kysely<Database>, rng: Rng, perKind: number, lastDay: string): Promise<MixQuery[]> {
  const df = new Map<string, number>();
  const abstracts: string[][] = [];
  for (const day of corpus)
    for (const item of day.papers) {
      const words = [...new Set(wordTokens(item.paper.summary ?? ''))];
      abstracts.push(words);
      for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
    }
  const isWord = (w: string) => /^\p{L}{4,}$/u.test(w);
  const rare = [...df].filter(([w, n]) => n <= 2 && isWord(w)).map(([w]) => w);
  const middling = (w: string) => isWord(w) && (df.get(w) ?? 0) >= 30 && (df.get(w) ?? 0) <= 600;
  const twoFromOnePaper = (): [string, string] => {
    for (;;) {
      const words = rng.pick(abstracts).filter(middling);
      if (words.length >= 2) {
        const a = rng.pick(words);
        const b = rng.pick(words.filter((w) => w !== a));
        return [a, b];
      }
    }
  };
  const maxSeq = Number((await db.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
  const randomPapers = async (n: number) => {
    const seqs = Array.from({ length: n }, () => 1 + rng.int(maxSeq));
    return db.selectFrom('papers').select(['title', 'authors']).where('seq', 'in', seqs).execute();
  };
  const titles = (await randomPapers(perKind * 2)).map((p) => p.title);
  const names = (await randomPapers(perKind * 2)).flatMap((p) => JSON.parse(p.authors) as string[]);
  const recentDay = (days: number) => new Date(Date.parse(`${lastDay}T00:00:00Z`) - rng.int(days) * 86_400_000).toISOString().slice(0, 10);

  const make: Record<(typeof KINDS)[number], () => string> = {
    'rare word': () => rng.pick(rare),
    'two words': () => twoFromOnePaper().join(' '),
    'very common words': () => rng.pick(VERY_COMMON),
    'phrase of common words': () => rng.pick(COMMON_PHRASES),
    'exact title': () => rng.pick(titles),
    'author:': () => {
      const name = rng.pick(names);
      return rng.chance(0.5) ? `author:"${name}"` : `author:${name.split(' ').pop()}`;
    },
    'since:': () => `${rng.chance(0.5) ? rng.pick(VERY_COMMON) : twoFromOnePaper()[0]} since:${recentDay(365)}`,
    OR: () => twoFromOnePaper().join(' OR '),
    exclusion: () => twoFromOnePaper().join(' -'),
    'other word form': () => {
      const [a, b] = twoFromOnePaper();
      return `${a} ${b.endsWith('s') ? b.slice(0, -1) : b + 's'}`;
    },
    // As people type a title: its first three words, the last cut to four letters.
    'half-typed': () => {
      const words = rng.pick(titles).split(/\s+/).slice(0, 3);
      words[words.length - 1] = words[words.length - 1]!.slice(0, 4);
      return words.join(' ');
    },
    typo: () => {
      const [a, b] = twoFromOnePaper();
      const i = 1 + rng.int(b.length - 3);
      return `${a} ${b.slice(0, i)}${b[i + 1]}${b[i]}${b.slice(i + 2)}`;
    },
  };
  return KINDS.flatMap((kind) => Array.from({ length: perKind }, () => ({ kind, text: make[kind]() })));
}
