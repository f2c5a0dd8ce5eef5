import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { analysePaper, PaperMatcher } from './matcher.ts';
import { parseSearchQuery, type SearchQuery } from './query.ts';

/**
 * Which of a digest's candidate papers each topic matches. One tick plans every due channel
 * over the same few days of papers, so the matcher for a set of papers is built once and kept a
 * short while; a new paper changes the set, and so the key.
 */
const KEEP = { matchers: 8, ms: 60_000 } as const;

export class TopicMatching {
  private readonly recent = new Map<string, { matcher: Promise<PaperMatcher>; at: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The subset of `paperIds` that `q` matches. */
  async matching(q: SearchQuery, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    return (await this.matcherFor(paperIds)).matching(q);
  }

  /** A matcher over exactly these papers (unknown ids are left out). */
  matcherFor(paperIds: readonly string[]): Promise<PaperMatcher> {
    // Not sorted: every caller lists a window's papers in the same order, and a miss only costs a rebuild.
    const key = paperIds.join(',');
    const now = this.now();
    for (const [k, v] of this.recent) if (now - v.at > KEEP.ms) this.recent.delete(k);
    const hit = this.recent.get(key);
    if (hit) return hit.matcher;
    const matcher = this.build(paperIds);
    if (this.recent.size >= KEEP.matchers) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(key, { matcher, at: now });
    matcher.catch(() => this.recent.delete(key));
    return matcher;
  }

  private async build(paperIds: readonly string[]): Promise<PaperMatcher> {
    const rows = await this.db
      .selectFrom('papers')
      .select(['id', 'title', 'abstract', 'authors_text', 'keywords_text', 'published_at'])
      .where('id', 'in', [...paperIds])
      .execute();
    return new PaperMatcher(
      rows.map((r) =>
        analysePaper({ id: r.id, title: r.title, abstract: r.abstract, authorsText: r.authors_text, keywordsText: r.keywords_text, publishedAt: r.published_at }),
      ),
    );
  }
}

/** Topics parsed once: a tick plans every due channel, and channels share topics. Parsed queries are never changed. */
const parsedTopics = new Map<string, SearchQuery>();
const PARSED_TOPICS_KEPT = 50_000;

/** A stored topic's query (throws UserError, every time, for one that no longer parses). */
export function parseTopic(text: string): SearchQuery {
  let q = parsedTopics.get(text);
  if (!q) {
    q = parseSearchQuery(text);
    if (parsedTopics.size >= PARSED_TOPICS_KEPT) parsedTopics.clear();
    parsedTopics.set(text, q);
  }
  return q;
}
