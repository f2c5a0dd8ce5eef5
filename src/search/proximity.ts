import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SearchQuery } from './query.ts';
import { foldedWords, stem } from './words.ts';

/**
 * Proximity, the ranking rule BM25 lacks: people type key phrases ("sparse autoencoders feature
 * steering"), and a paper that holds the words side by side, as typed, is the one they mean
 * more often than one that scatters them. The best `PROXIMITY_DEPTH` papers of a ranking are
 * reordered by how many neighbouring pairs of the query's words they hold as neighbours (in
 * any form) in their title, abstract or keywords; ties keep their BM25 order. Papers below
 * that depth keep their place, so pages stay consistent.
 */
export const PROXIMITY_DEPTH = 50;

/** The neighbouring pairs of plain words in the query, in the order typed, as stems. */
export function queryPairs(q: SearchQuery): string[] {
  const words = q.must.map((c) => (c.length === 1 && c[0]!.field !== 'authors' && c[0]!.tokens.length === 1 ? stem(c[0]!.tokens[0]!) : null));
  const pairs: string[] = [];
  for (let i = 1; i < words.length; i++) if (words[i - 1] && words[i]) pairs.push(`${words[i - 1]} ${words[i]}`);
  return pairs;
}

/** `ids` (best first) with the first PROXIMITY_DEPTH reordered by neighbouring query pairs held. */
export async function byProximity(db: Kysely<Database>, q: SearchQuery, ids: string[]): Promise<string[]> {
  const pairs = queryPairs(q);
  const head = ids.slice(0, PROXIMITY_DEPTH);
  if (pairs.length === 0 || head.length < 2) return ids;
  const rows = await db.selectFrom('papers').select(['id', 'title', 'abstract', 'keywords_text']).where('id', 'in', head).execute();
  const held = new Map(rows.map((r) => [r.id, pairsHeld(pairs, [r.title, r.abstract, r.keywords_text])]));
  const order = new Map(head.map((id, i) => [id, i]));
  head.sort((a, b) => (held.get(b) ?? 0) - (held.get(a) ?? 0) || order.get(a)! - order.get(b)!);
  return [...head, ...ids.slice(PROXIMITY_DEPTH)];
}

function pairsHeld(pairs: string[], texts: string[]): number {
  const present = new Set<string>();
  for (const text of texts) {
    const stems = foldedWords(text).map(stem);
    for (let i = 1; i < stems.length; i++) present.add(`${stems[i - 1]} ${stems[i]}`);
  }
  return pairs.filter((p) => present.has(p)).length;
}
