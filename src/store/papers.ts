import { sql, type Kysely } from 'kysely';
import type { IngestItem, Paper, PaperSource } from '../domain/paper.ts';
import { titleKey } from '../domain/paper.ts';
import { SQLITE_SEAM, type DialectSeam } from './dialect.ts';
import type { Database, NewPaperRow, PaperRow } from './schema.ts';
import type { FreshPaper, IngestIndexer } from './search-index.ts';
import type { WatchRepo } from './watch.ts';

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

export class PapersRepo {
  constructor(
    private readonly db: Kysely<Database>,
    /** Told about newly inserted papers, in the same transaction, in this order. */
    private readonly indexers: readonly IngestIndexer[],
    /** Rows per INSERT and how concurrent ingests are kept apart (dialect.ts). */
    private readonly seam: DialectSeam = SQLITE_SEAM,
    /** Told, in the same transaction, what each write changes on a saved paper (watched papers). */
    private readonly watch: WatchRepo | null = null,
  ) {}

  /**
   * Inserts new papers and refreshes known ones (upvotes, comments, links, AI fields) in one
   * transaction, in multi-row statements. Re-running the same items changes nothing but the
   * refreshed counts: ids are the arXiv ids, listings are keyed by (source, day, paper).
   */
  async upsertMany(items: IngestItem[], now: Date): Promise<UpsertCounts> {
    const byId = new Map<string, IngestItem>();
    for (const item of items) byId.set(item.paper.id, item); // the last word on a paper wins
    const unique = [...byId.values()];
    const stamp = now.toISOString();
    const fresh: FreshPaper[] = [];
    const batchRows = this.seam.paperBatchRows;
    await this.db.transaction().execute(async (trx) => {
      await this.seam.serializeIngest(trx);
      // New rows get seqs above the current largest (SQLite's INTEGER PRIMARY KEY, PostgreSQL's
      // identity; serializeIngest keeps ingests apart), so a returned seq tells a new row apart.
      const before = await trx.selectFrom('papers').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
      const afterSeq = Number(before?.m ?? 0);
      for (let i = 0; i < unique.length; i += batchRows) {
        const chunk = unique.slice(i, i + batchRows);
        const watched = this.watch ? await this.watch.watchedState(trx, chunk.map((it) => it.paper.id)) : null;
        const rows = chunk.map((it) => ({ ...toRow(it.paper, stamp), arxiv_version: it.arxiv?.version ?? null, withdrawn: it.arxiv?.withdrawn ? 1 : 0 }));
        const written = await trx
          .insertInto('papers')
          .values(rows)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              title_key: eb.ref('excluded.title_key'),
              abstract: eb.ref('excluded.abstract'),
              authors: eb.ref('excluded.authors'),
              authors_text: eb.ref('excluded.authors_text'),
              // Only HF knows upvotes and comments: an arXiv sighting must not zero them.
              upvotes: sql<number>`CASE WHEN excluded.source = 'hf' THEN excluded.upvotes ELSE papers.upvotes END`,
              comments: sql<number>`CASE WHEN excluded.source = 'hf' THEN excluded.comments ELSE papers.comments END`,
              org: sql<string | null>`COALESCE(excluded.org, papers.org)`,
              published_at: sql<string | null>`COALESCE(papers.published_at, excluded.published_at)`,
              hf_url: sql<string | null>`COALESCE(excluded.hf_url, papers.hf_url)`,
              github_url: sql<string | null>`COALESCE(excluded.github_url, papers.github_url)`,
              project_url: sql<string | null>`COALESCE(excluded.project_url, papers.project_url)`,
              thumbnail_url: sql<string | null>`COALESCE(excluded.thumbnail_url, papers.thumbnail_url)`,
              ai_summary: sql<string | null>`COALESCE(excluded.ai_summary, papers.ai_summary)`,
              keywords: sql<string>`CASE WHEN excluded.keywords = '[]' THEN papers.keywords ELSE excluded.keywords END`,
              keywords_text: sql<string>`CASE WHEN excluded.keywords = '[]' THEN papers.keywords_text ELSE excluded.keywords_text END`,
              categories: sql<string>`CASE WHEN excluded.categories = '[]' THEN papers.categories ELSE excluded.categories END`,
              updated_at: eb.ref('excluded.updated_at'),
              // Versions only go up (an older sighting, e.g. a backfill, must not lower it); a withdrawal stays.
              arxiv_version: sql<number | null>`CASE WHEN papers.arxiv_version IS NULL OR excluded.arxiv_version > papers.arxiv_version THEN COALESCE(excluded.arxiv_version, papers.arxiv_version) ELSE papers.arxiv_version END`,
              withdrawn: sql<number>`CASE WHEN excluded.withdrawn > papers.withdrawn THEN excluded.withdrawn ELSE papers.withdrawn END`,
            })),
          )
          .returning(['id', 'seq'])
          .execute();
        const rowById = new Map(rows.map((r) => [r.id, r]));
        for (const w of written) {
          if (Number(w.seq) <= afterSeq) continue; // a paper we knew, refreshed
          const r = rowById.get(w.id)!;
          fresh.push({ seq: Number(w.seq), title: r.title, abstract: r.abstract, authors_text: r.authors_text, keywords_text: r.keywords_text, published_at: r.published_at ?? null, first_seen_at: stamp });
        }
        if (watched && watched.size > 0) await this.watch!.recordChanges(trx, watched, chunk, stamp);
        const listings = chunk.flatMap((it) =>
          it.listing ? [{ source: it.listing.source, day: it.listing.day, paper_id: it.paper.id, rank: it.listing.rank }] : [],
        );
        if (listings.length > 0) {
          await trx
            .insertInto('listings')
            .values(listings)
            .onConflict((oc) => oc.columns(['source', 'day', 'paper_id']).doUpdateSet((eb) => ({ rank: eb.ref('excluded.rank') })))
            .execute();
        }
      }
      fresh.sort((a, b) => a.seq - b.seq);
      for (const indexer of this.indexers) if (fresh.length > 0 || indexer.indexesUpdates) await indexer.indexNewPapers(trx, afterSeq, fresh);
    });
    return { inserted: fresh.length, updated: unique.length - fresh.length };
  }

  async get(id: string): Promise<Paper | null> {
    const row = await this.db.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** Papers by id, in the order asked; unknown ids are left out. */
  async getMany(ids: readonly string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('papers').selectAll().where('id', 'in', [...ids]).execute();
    const byId = new Map(rows.map((r) => [r.id, fromRow(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** HF upvotes by paper id, for the ids the store has: what ranking a digest needs of a paper, without its text. */
  async upvotesOf(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('papers').select(['id', 'upvotes']).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, Number(r.upvotes)]));
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The ids listed on `day` by `source`, in listing order. */
  async listedOn(day: string, source: PaperSource = 'hf'): Promise<string[]> {
    const rows = await this.db
      .selectFrom('listings')
      .select('paper_id')
      .where('source', '=', source)
      .where('day', '=', day)
      .orderBy('rank')
      .execute();
    return rows.map((r) => r.paper_id);
  }

  /** The newest listing day on or before `day`, if any. */
  async latestListedDay(onOrBefore: string, source: PaperSource = 'hf'): Promise<string | null> {
    const r = await this.db
      .selectFrom('listings')
      .select((eb) => eb.fn.max('day').as('day'))
      .where('source', '=', source)
      .where('day', '<=', onOrBefore)
      .executeTakeFirst();
    return r?.day ?? null;
  }

  /** Listed (by any source) between two days inclusive, each paper once with its first listing day. */
  async listedBetween(from: string, to: string): Promise<Array<{ paperId: string; day: string }>> {
    const rows = await this.db
      .selectFrom('listings')
      .select(['paper_id', (eb) => eb.fn.min('day').as('day')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy('paper_id')
      .execute();
    return rows.map((r) => ({ paperId: r.paper_id, day: r.day }));
  }

  /** Every day a paper was listed, earliest first. */
  async listingsOf(paperId: string): Promise<Array<{ source: PaperSource; day: string; rank: number }>> {
    return this.db.selectFrom('listings').select(['source', 'day', 'rank']).where('paper_id', '=', paperId).orderBy('day').execute();
  }

  /** Completes a partly typed id for autocomplete: newest first. */
  async idsStartingWith(prefix: string, limit: number): Promise<Array<{ id: string; title: string }>> {
    const rows = await this.db
      .selectFrom('papers')
      .select(['id', 'title'])
      .where('id', '>=', prefix)
      .where('id', '<', prefix + '\uffff')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows;
  }
}

/** The papers row for a paper (exported for the benchmark's raw-insert baseline). */
export function toRow(p: Paper, stamp: string): NewPaperRow {
  return {
    id: p.id,
    title: p.title,
    title_key: titleKey(p.title),
    abstract: p.abstract,
    authors: JSON.stringify(p.authors),
    authors_text: p.authors.join('; '),
    org: p.org,
    published_at: p.publishedAt,
    upvotes: p.upvotes,
    comments: p.comments,
    arxiv_url: p.links.arxiv,
    pdf_url: p.links.pdf,
    hf_url: p.links.hf,
    github_url: p.links.github,
    project_url: p.links.project,
    thumbnail_url: p.thumbnailUrl,
    ai_summary: p.aiSummary,
    keywords: JSON.stringify(p.keywords),
    keywords_text: p.keywords.join('; '),
    categories: JSON.stringify(p.categories),
    source: p.source,
    first_seen_at: stamp,
    updated_at: stamp,
  };
}

export function fromRow(r: PaperRow): Paper {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    org: r.org,
    publishedAt: r.published_at,
    upvotes: r.upvotes,
    comments: r.comments,
    links: { arxiv: r.arxiv_url, pdf: r.pdf_url, hf: r.hf_url, github: r.github_url, project: r.project_url },
    thumbnailUrl: r.thumbnail_url,
    aiSummary: r.ai_summary,
    keywords: JSON.parse(r.keywords) as string[],
    categories: JSON.parse(r.categories) as string[],
    source: r.source,
  };
}
