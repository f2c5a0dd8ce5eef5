import type { Kysely } from 'kysely';
import { DeliveriesRepo } from './deliveries.ts';
import { singleProcessFleetLock, type FleetLock } from './fleet-lock.ts';
import { InstancesRepo } from './instances.ts';
import { OutboxRepo } from './outbox.ts';
import { PapersRepo } from './papers.ts';
import type { Database } from './schema.ts';
import type { SearchIndex } from './search-index.ts';
import { SavesRepo } from './saves.ts';
import { SchedulesRepo } from './schedules.ts';
import { SourceStatusRepo } from './source-status.ts';
import { TasteRepo } from './taste.ts';
import { TeamsRepo } from './teams.ts';
import { TermVectorsRepo } from './term-vectors.ts';
import { TopicsRepo } from './topics.ts';
import { VotesRepo } from './votes.ts';
import { TopicMatching } from '../search/topic-matching.ts';
import { Vocabulary, VocabularyIndexer } from '../search/vocabulary.ts';
import { FtsSearchIndex, type FtsTuning } from './sqlite/fts-search.ts';
import { openSqlite } from './sqlite/open.ts';

/**
 * Everything Paperboy keeps. The repositories speak kysely only; what is SQLite-specific
 * (pragmas, FTS5) lives under ./sqlite and reaches the rest of the code through `search`.
 */
export class Store {
  readonly papers: PapersRepo;
  readonly teams: TeamsRepo;
  readonly topics: TopicsRepo;
  readonly schedules: SchedulesRepo;
  readonly votes: VotesRepo;
  readonly saves: SavesRepo;
  readonly deliveries: DeliveriesRepo;
  readonly outbox: OutboxRepo;
  readonly sources: SourceStatusRepo;
  /** Running bot processes (register, heartbeat, who is live). */
  readonly instances: InstancesRepo;
  /** The words of every stored paper: completions and typo corrections. */
  readonly vocabulary: Vocabulary;
  /** Which of a digest's candidate papers a topic matches, in memory. */
  readonly matcher: TopicMatching;
  /** Term counts and document frequencies for TF-IDF (similar papers, team taste). */
  readonly vectors: TermVectorsRepo;
  /** Team taste: signals and fitted models. */
  readonly taste: TasteRepo;

  constructor(
    readonly db: Kysely<Database>,
    readonly search: SearchIndex,
    private readonly onClose: () => Promise<void>,
    /** Once-per-fleet work; a dialect shared by many processes brings its own (fleet-lock.ts). */
    private readonly fleet: FleetLock = singleProcessFleetLock(),
  ) {
    this.vectors = new TermVectorsRepo(db);
    // The search index first, then the vocabulary, then the term vectors: all in the inserting transaction.
    this.papers = new PapersRepo(db, [search, new VocabularyIndexer(), this.vectors]);
    this.taste = new TasteRepo(db);
    this.teams = new TeamsRepo(db);
    this.topics = new TopicsRepo(db);
    this.schedules = new SchedulesRepo(db);
    this.votes = new VotesRepo(db);
    this.saves = new SavesRepo(db);
    this.deliveries = new DeliveriesRepo(db);
    this.outbox = new OutboxRepo(db);
    this.sources = new SourceStatusRepo(db);
    this.instances = new InstancesRepo(db);
    this.vocabulary = new Vocabulary(db);
    this.matcher = new TopicMatching(db);
  }

  /** Runs `fn` unless another instance is running it under `name` now (see FleetLock). */
  fleetLock<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    return this.fleet.run(name, fn);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

export interface OpenStoreOptions {
  /** Tuning for the full-text index (benchmarks vary it). */
  fts?: Partial<FtsTuning>;
}

/** Opens the embedded SQLite store at `path` (`:memory:` for tests), migrated to the latest schema. */
export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { db } = await openSqlite(path);
  return new Store(db, new FtsSearchIndex(db, options.fts), () => db.destroy());
}
