import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * The tables, as kysely sees them. Dialect-neutral: timestamps are ISO-8601 strings,
 * days are YYYY-MM-DD strings, lists are JSON text, flags are 0/1 integers.
 */
export interface Database {
  papers: PapersTable;
  listings: ListingsTable;
  teams: TeamsTable;
  channels: ChannelsTable;
  topics: TopicsTable;
  schedules: SchedulesTable;
  votes: VotesTable;
  saves: SavesTable;
  deliveries: DeliveriesTable;
  digests: DigestsTable;
  source_status: SourceStatusTable;
  words: WordsTable;
  paper_terms: PaperTermsTable;
  term_stats: TermStatsTable;
  term_df_deltas: TermDfDeltasTable;
  team_taste: TeamTasteTable;
  instances: InstancesTable;
  channel_feeds: ChannelFeedsTable;
  slack_installations: SlackInstallationsTable;
  watch_events: WatchEventsTable;
  watch_notices: WatchNoticesTable;
  reading_list_views: ReadingListViewsTable;
  recap_schedules: RecapSchedulesTable;
  recaps: RecapsTable;
}

export interface PapersTable {
  /** Stable integer key: the full-text index refers to papers by it. */
  seq: Generated<number>;
  /** arXiv id without version, e.g. 2608.16859. */
  id: string;
  title: string;
  /** titleKey(title): exact-title lookups ignore case and punctuation. */
  title_key: string;
  abstract: string;
  /** JSON array of author names, in arXiv order. */
  authors: string;
  /** Author names joined for the full-text index. */
  authors_text: string;
  org: string | null;
  published_at: string | null;
  upvotes: number;
  comments: number;
  arxiv_url: string;
  pdf_url: string;
  hf_url: string | null;
  github_url: string | null;
  project_url: string | null;
  thumbnail_url: string | null;
  ai_summary: string | null;
  /** JSON array (HF ai_keywords). */
  keywords: string;
  keywords_text: string;
  /** JSON array of arXiv categories. */
  categories: string;
  source: 'hf' | 'arxiv';
  first_seen_at: string;
  updated_at: string;
  /** The arXiv version last seen (`…v3` is 3); null until arXiv (API or announcement feed) names one. */
  arxiv_version: Generated<number | null>;
  /** 1 once arXiv marked the paper withdrawn. */
  withdrawn: Generated<number>;
}

/** A paper's place in a source's daily list: the HF Daily Papers day, or the arXiv announcement day. */
export interface ListingsTable {
  source: 'hf' | 'arxiv';
  day: string;
  paper_id: string;
  rank: number;
}

export interface TeamsTable {
  id: Generated<number>;
  platform: string;
  external_id: string;
  name: string | null;
  disabled_reason: string | null;
  created_at: string;
}

export interface ChannelsTable {
  id: Generated<number>;
  team_id: number;
  external_id: string;
  name: string | null;
  paused: Generated<number>;
  /** Set when the platform says we can no longer post here; kept until /papers resume. */
  disabled_reason: string | null;
  disabled_at: string | null;
  max_papers: Generated<number>;
  created_at: string;
  /** Set when the channel opts in to scheduled digests (or resumes); slots before it never count as missed. */
  active_since: string | null;
  /** Why the adapter cannot check the channel before a re-post (e.g. a missing history scope); null when it can. */
  duplicate_check_problem: string | null;
  /** 1: a digest's papers go in a thread under its header (`/papers schedule ... thread`; Slack only). */
  thread_mode: Generated<number>;
}

export interface TopicsTable {
  id: Generated<number>;
  channel_id: number;
  /** The saved query, in /papers search syntax. */
  query: string;
  /** Normalized form: one topic per meaning, whatever the spelling. */
  query_key: string;
  created_by: string;
  created_at: string;
}

export interface SchedulesTable {
  channel_id: number;
  /** JSON array of local times, "HH:MM", sorted. */
  times: string;
  timezone: string;
  /** JSON array of ISO weekdays, 1 = Monday ... 7 = Sunday. */
  weekdays: string;
  updated_at: string;
}

export interface VotesTable {
  team_id: number;
  user_id: string;
  paper_id: string;
  created_at: string;
}

export interface SavesTable {
  team_id: number;
  user_id: string;
  paper_id: string;
  note: string | null;
  created_at: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  channel_id: number;
  /** The channel's local date of the digest. */
  digest_date: string;
  /** A digest's header (rank 0, before its papers) or one of its papers. */
  kind: Generated<DeliveryKind>;
  /** Null for a header. */
  paper_id: string | null;
  rank: number;
  state: DeliveryState;
  message_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** Null for posts made outside a planned digest. */
  digest_id: number | null;
  /** JSON array of the channel topics the paper matched, for /papers why. */
  topics: Generated<string>;
  /** A retry waits until then. */
  next_attempt_at: string | null;
  claimed_at: string | null;
  /** The instance sending it (state 'sending'); null otherwise. */
  lease_owner: string | null;
  /** Until when that instance holds it; after, another may take it over. */
  lease_until: string | null;
}

/** One digest: the marker that a channel's slot (local date + time) has been planned. */
export interface DigestsTable {
  id: Generated<number>;
  channel_id: number;
  digest_date: string;
  slot: string;
  due_at: string;
  kind: DigestKind;
  window_from: string;
  window_to: string;
  paper_count: number;
  created_at: string;
}

/** On time; late but within the grace window; one catch-up after a long outage; a manager's post. */
export type DigestKind = 'scheduled' | 'late' | 'catch-up' | 'manual';

export interface SourceStatusTable {
  source: string;
  last_ok_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  failures: Generated<number>;
  last_items: Generated<number>;
  next_poll_at: string | null;
}

/** A paper's term counts for TF-IDF (similar papers, team taste), written at ingest. */
export interface PaperTermsTable {
  paper_seq: number;
  /** encodeTermCounts(): hashed feature ids with counts, a few hundred bytes. */
  terms: Uint8Array;
}

/** One row (id 1): how many papers are indexed, and in how many each feature occurs. */
export interface TermStatsTable {
  id: number;
  doc_count: number;
  /** FEATURE_SPACE little-endian uint32 document frequencies; empty until the first paper. */
  df: Uint8Array;
}

/** Document frequencies added by one ingest, not yet folded into term_stats.df. */
export interface TermDfDeltasTable {
  id: Generated<number>;
  /** encodeTermCounts(): feature ids with how many new papers hold each. */
  df: Uint8Array;
}

/** A team's fitted taste model, with the signals it was fitted on: refitted only when they change. */
export interface TeamTasteTable {
  team_id: number;
  /** A digest of the feature scheme and the positive and negative paper ids. */
  signals_key: string;
  positives: number;
  negatives: number;
  /** Sparse weights: uint32 feature ids then float32 weights, little-endian. */
  weights: Uint8Array;
  bias: number;
  fitted_at: string;
}

/** A running bot process: registered at start, heartbeating while it lives. */
export interface InstancesTable {
  /** `${host}:${pid}:${random}`, made at start. */
  id: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
}

/** A channel's Atom feed (issue 12): served at /feeds/<token>.atom; a reset replaces the token. */
export interface ChannelFeedsTable {
  channel_id: number;
  /** Unguessable (random, URL-safe): the URL is the only secret. */
  token: string;
  created_at: string;
}

/** A change to a watched (saved) paper, recorded once (unique per paper, kind and value). */
export interface WatchEventsTable {
  id: Generated<number>;
  paper_id: string;
  kind: WatchEventKind;
  /** The new version ("3"), the code URL, or "withdrawn". */
  value: string;
  created_at: string;
}

export type WatchEventKind = 'version' | 'code' | 'withdrawn';

/** One direct message telling a saver of a change: claimed, leased and settled like a delivery. */
export interface WatchNoticesTable {
  id: Generated<number>;
  event_id: number;
  team_id: number;
  /** The platform's user id: where the direct message goes. */
  user_id: string;
  state: Generated<DeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  claimed_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  message_id: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** When a person last ran `/papers saved`: what changed after it is marked. */
export interface ReadingListViewsTable {
  team_id: number;
  user_id: string;
  seen_at: string;
}

/** A channel's weekly recap slot (issue 12): one weekday and local time, in the zone of the channel's schedule. */
export interface RecapSchedulesTable {
  channel_id: number;
  /** ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** "HH:MM", local. */
  time: string;
  /** No slot before it fires: turning the recap on never posts one that had already passed. */
  updated_at: string;
}

/** One planned recap: unique per channel and ISO week (the key that makes it post once). */
export interface RecapsTable {
  id: Generated<number>;
  channel_id: number;
  /** ISO week of the slot's local date, e.g. 2026-W34. */
  week: string;
  slot_date: string;
  due_at: string;
  /** Its outbox row (kind 'recap'). */
  delivery_id: number | null;
  /** JSON RecapData, as computed when planned: a retry posts what was planned. */
  data: string;
  created_at: string;
}

export type RecapRow = Selectable<RecapsTable>;

export type DeliveryState = 'planned' | 'sending' | 'sent' | 'failed';
/** A recap has neither digest nor paper: its recaps row (recaps.delivery_id) holds what it says. */
export type DeliveryKind = 'header' | 'paper' | 'recap';

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type TopicRow = Selectable<TopicsTable>;
export type ScheduleRow = Selectable<SchedulesTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type DigestRow = Selectable<DigestsTable>;
export type InstanceRow = Selectable<InstancesTable>;
export type WatchNoticeRow = Selectable<WatchNoticesTable>;

/** The store's own vocabulary: every word of the papers' text, with how many papers hold it (typo correction, completion). */
export interface WordsTable {
  /** Folded as the search index folds it (lower case, accents removed). */
  word: string;
  /** Papers holding the word (counted when a paper is first stored). */
  df: number;
}

/** A Slack workspace's OAuth install (install mode); the installation and its tokens are sealed (secret-box.ts). */
export interface SlackInstallationsTable {
  /** The team id; `org:<enterprise id>` for an org-wide install. */
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  bot_user_id: string | null;
  /** Bolt's Installation as JSON, AES-256-GCM sealed with PAPERBOY_SECRET_KEY. */
  sealed: string;
  installed_at: string;
  updated_at: string;
}
