import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SearchQuery } from './query.ts';
import { foldedWords, stem } from './words.ts';

/**
 * What BM25 does not see, applied to the best `PROXIMITY_DEPTH` papers of a ranking:
 * 1. Exact phrases: a quoted phrase matches every form of its words, but papers holding it
 *    exactly as typed come first.
 * 2. Proximity: people type key phrases ("sparse autoencoders feature steering"), and a paper
 *    holding the words side by side, as typed, is the one they mean more often than one that
 *    scatters them. Papers are lifted by how many neighbouring pairs of the query's words they
 *    hold as neighbours (in any form) in their title, abstract or keywords.
 * Ties keep their BM25 order; papers below that depth keep their place, so pages stay consistent.
 */
export const PROXIMITY_DEPTH = 50;

/** The neighbouring pairs of plain words in the query, in the order typed, as stems. */
export function queryPairs(q: SearchQuery): string[] {
  const words = q.must.map((c) => (c.length === 1 && c[0]!.field !== 'authors' && c[0]!.tokens.length === 1 ? stem(c[0]!.tokens[0]!) : null));
  const pairs: string[] = [];
  for (let i = 1; i < words.length; i++) if (words[i - 1] && words[i]) pairs.push(`${words[i - 1]} ${words[i]}`);
  return pairs;
}

/** The quoted phrases of the query, folded but not stemmed. */
function quotedPhrases(q: SearchQuery): string[][] {
  return q.must.flatMap((c) => c.filter((t) => t.quoted && t.field !== 'authors').map((t) => foldedWords(t.tokens.join(' '))));
}

/** Whether byProximity can reorder anything for this query: it has neighbouring words or a quoted phrase. */
export function reordersByProximity(q: SearchQuery): boolean {
  return queryPairs(q).length > 0 || quotedPhrases(q).length > 0;
}

/** `ids` (best first) with the first PROXIMITY_DEPTH reordered by exact phrases, then neighbouring query pairs held. */
export async function byProximity(db: Kysely<Database>, q: SearchQuery, ids: string[]): Promise<string[]> {
  const pairs = queryPairs(q);
  const phrases = quotedPhrases(q);
  const head = ids.slice(0, PROXIMITY_DEPTH);
  if ((pairs.length === 0 && phrases.length === 0) || head.length < 2) return ids;
  const rows = await db.selectFrom('papers').select(['id', 'title', 'abstract', 'keywords_text']).where('id', 'in', head).execute();
  const score = new Map(
    rows.map((r) => {
      const fields = [r.title, r.abstract, r.keywords_text].map(foldedWords);
      return [r.id, { exact: phrases.filter((p) => fields.some((f) => holds(f, p))).length, pairs: pairsHeld(pairs, fields) }];
    }),
  );
  const none = { exact: 0, pairs: 0 };
  const order = new Map(head.map((id, i) => [id, i]));
  head.sort((a, b) => {
    const [x, y] = [score.get(a) ?? none, score.get(b) ?? none];
    return y.exact - x.exact || y.pairs - x.pairs || order.get(a)! - order.get(b)!;
  });
  return [...head, ...ids.slice(PROXIMITY_DEPTH)];
}

function holds(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

function pairsHeld(pairs: string[], fields: string[][]): number {
  if (pairs.length === 0) return 0;
  const wanted = new Set(pairs.flatMap((p) => p.split(' ')));
  // Porter rewrites endings only: a word whose first two letters start no query stem is not
  // one of the query's words, and need not be stemmed (most of an abstract is skipped so).
  const starts = new Set([...wanted].map((w) => w.slice(0, 2)));
  const present = new Set<string>();
  for (const words of fields) {
    let previous: string | null = null;
    for (const w of words) {
      const s = starts.has(w.slice(0, 2)) ? stem(w) : null;
      const current = s !== null && wanted.has(s) ? s : null;
      if (previous !== null && current !== null) present.add(`${previous} ${current}`);
      previous = current;
    }
  }
  return pairs.filter((p) => present.has(p)).length;
}
