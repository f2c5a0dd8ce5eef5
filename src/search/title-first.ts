import type { SearchQuery } from './query.ts';
import { foldedWords, stem } from './words.ts';

/**
 * The order of a list of newest matches, when every word is too common to rank by (both
 * stores' "newest" plan): the papers with a term of every clause in their title first, each
 * part newest first as given. Author terms count as met: a title cannot hold them.
 */
export function titleFirst<T extends { title: string }>(q: SearchQuery, newestFirst: readonly T[]): T[] {
  const inTitle = titleMatcher(q);
  const titled: T[] = [];
  const rest: T[] = [];
  for (const row of newestFirst) (inTitle(row.title) ? titled : rest).push(row);
  return [...titled, ...rest];
}

const stems = (text: string) => foldedWords(text).map(stem);

function titleMatcher(q: SearchQuery): (title: string) => boolean {
  const clauses = q.must.map((c) => c.map((t) => (t.field === 'authors' ? null : stems(t.tokens.join(' ')))));
  const holds = (words: string[], phrase: string[]) => words.some((_, i) => phrase.every((w, j) => words[i + j] === w));
  return (title) => {
    const words = stems(title);
    return clauses.every((c) => c.some((phrase) => phrase === null || holds(words, phrase)));
  };
}
