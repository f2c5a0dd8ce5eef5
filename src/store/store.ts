import type { Kysely } from 'kysely';
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
import { WatchRepo } from './watch.ts';
import { TopicMatching } from '../search/topic-matching.ts';
import { FeedsRepo } from './feeds.ts';
import { SlackInstallationsRepo } from './slack-installations.ts';
import { RecapsRepo } from './recaps.ts';
import { Vocabulary, VocabularyIndexer } from '../search/vocabulary.ts';
import { isPostgresUrl } from './bot-lock.ts';
import { POSTGRES_SEAM, SQLITE_SEAM, type DialectName, type DialectSeam } from './dialect.ts';
import { postgresFleetLock } from './postgres/fleet-lock.ts';
import { openPostgres } from './postgres/open.ts';
import { TsSearchIndex, type TsTuning } from './postgres/ts-search.ts';
import { FtsSearchIndex, type FtsTuning } from './sqlite/fts-search.ts';
import { openSqlite } from './sqlite/open.ts';

/**
 * Everything Paperboy keeps. The repositories speak kysely only; what is specific to a
 * database (SQLite's pragmas and FTS5, PostgreSQL's pool, tsvector search and locks) lives
 * under ./sqlite and ./postgres and reaches the rest of the code through `search`, the fleet
 * lock and the dialect seam (dialect.ts).
 */
export class Store {
  /** Which database this is; the repositories never need to ask. */
  readonly dialect: DialectName;
  readonly papers: PapersRepo;
  readonly teams: TeamsRepo;
  readonly topics: TopicsRepo;
  readonly schedules: SchedulesRepo;
  readonly votes: VotesRepo;
  readonly saves: SavesRepo;
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
  /** Channels' Atom feed tokens and what the feeds list. */
  readonly feeds: FeedsRepo;
  /** Slack workspaces installed through OAuth, their tokens sealed (install mode). */
  readonly slackInstallations: SlackInstallationsRepo;
  /** Watched (saved) papers: their changes, the direct messages announcing them, when each person last looked. */
  readonly watch: WatchRepo;
  /** Channels' weekly recap slots and the recaps planned. */
  readonly recaps: RecapsRepo;

  constructor(
    readonly db: Kysely<Database>,
    readonly search: SearchIndex,
    private readonly onClose: () => Promise<void>,
    /** Once-per-fleet work; a dialect shared by many processes brings its own (fleet-lock.ts). */
    private readonly fleet: FleetLock = singleProcessFleetLock(),
    seam: DialectSeam = SQLITE_SEAM,
  ) {
    this.dialect = seam.name;
    this.vectors = new TermVectorsRepo(db);
    // The search index first, then the vocabulary, then the term vectors: all in the inserting transaction.
    this.watch = new WatchRepo(db);
    this.papers = new PapersRepo(db, [search, new VocabularyIndexer(), this.vectors], seam, this.watch);
    this.taste = new TasteRepo(db);
    this.teams = new TeamsRepo(db);
    this.topics = new TopicsRepo(db);
    this.schedules = new SchedulesRepo(db);
    this.votes = new VotesRepo(db);
    this.saves = new SavesRepo(db);
    this.outbox = new OutboxRepo(db, seam.claimLocking, seam.planInOneStatement);
    this.sources = new SourceStatusRepo(db);
    this.instances = new InstancesRepo(db);
    this.vocabulary = new Vocabulary(db);
    this.matcher = new TopicMatching(db);
    this.feeds = new FeedsRepo(db);
    this.slackInstallations = new SlackInstallationsRepo(db);
    this.recaps = new RecapsRepo(db);
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
  /** Tuning for the full-text index (benchmarks and tests vary it); each dialect reads the names it knows. */
  fts?: Partial<FtsTuning & TsTuning>;
  /** PostgreSQL pool size (PAPERBOY_PG_POOL); default 10. */
  pgPool?: number;
}

export { isPostgresUrl };

/**
 * Opens the store at `location`, migrated to the latest schema: PostgreSQL for a
 * `postgres://` or `postgresql://` URL, else the embedded SQLite file (`:memory:` for tests).
 * The one place a dialect is chosen.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { db } = await openPostgres(location, { poolSize: options.pgPool ?? 10 });
    return new Store(db, new TsSearchIndex(db, options.fts), () => db.destroy(), postgresFleetLock(db), POSTGRES_SEAM);
  }
  const { db } = await openSqlite(location);
  return new Store(db, new FtsSearchIndex(db, options.fts), () => db.destroy(), singleProcessFleetLock(), SQLITE_SEAM);
}
