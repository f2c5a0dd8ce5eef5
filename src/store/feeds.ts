import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Paper } from '../domain/paper.ts';
import { fromRow } from './papers.ts';
import type { ChannelRow, Database, TeamRow } from './schema.ts';

/** A channel's feed as the Atom renderer needs it. */
export interface FeedSource {
  team: TeamRow;
  channel: ChannelRow;
  /** When the feed's token was made: the feed's `updated` before anything was posted. */
  since: string;
  entries: FeedEntry[];
}

export interface FeedEntry {
  paper: Paper;
  /** When the paper was posted to the channel. */
  postedAt: string;
  digestDate: string;
  /** The channel topics it matched. */
  topics: string[];
}

/** Papers a feed lists: the newest posts (feed readers keep what they already fetched). */
export const FEED_ENTRIES = 100;

/** 24 random bytes, URL-safe: the token is the feed URL's only secret. */
const newToken = () => randomBytes(24).toString('base64url');

/** Well-formed tokens only reach the store (a crawler's guesses end at the regex). */
export const FEED_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** Channels' Atom feeds (issue 12): an unguessable token per channel, and what the channel was posted. */
export class FeedsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The channel's feed token, made on first ask. */
  async token(channelId: number, now: Date): Promise<string> {
    await this.db
      .insertInto('channel_feeds')
      .values({ channel_id: channelId, token: newToken(), created_at: now.toISOString() })
      .onConflict((oc) => oc.column('channel_id').doNothing())
      .execute();
    const row = await this.db.selectFrom('channel_feeds').select('token').where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    return row.token;
  }

  /** A new token for the channel: the old URL stops working at once. */
  async reset(channelId: number, now: Date): Promise<string> {
    const token = newToken();
    await this.db
      .insertInto('channel_feeds')
      .values({ channel_id: channelId, token, created_at: now.toISOString() })
      .onConflict((oc) => oc.column('channel_id').doUpdateSet({ token, created_at: now.toISOString() }))
      .execute();
    return token;
  }

  /** The channel behind a token, or null. */
  async channelOf(token: string): Promise<number | null> {
    if (!FEED_TOKEN.test(token)) return null;
    const row = await this.db.selectFrom('channel_feeds').select('channel_id').where('token', '=', token).executeTakeFirst();
    return row?.channel_id ?? null;
  }

  /** The channel's posted papers, newest post first, with its team and channel rows. Null for an unknown channel. */
  async source(channelId: number, now: Date, limit = FEED_ENTRIES): Promise<FeedSource | null> {
    const channel = await this.db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirst();
    if (!channel) return null;
    const team = await this.db.selectFrom('teams').selectAll().where('id', '=', channel.team_id).executeTakeFirstOrThrow();
    const feed = await this.db.selectFrom('channel_feeds').select('created_at').where('channel_id', '=', channelId).executeTakeFirst();
    const rows = await this.db
      .selectFrom('deliveries as d')
      .innerJoin('papers as p', 'p.id', 'd.paper_id')
      .selectAll('p')
      .select(['d.updated_at as posted_at', 'd.digest_date as posted_digest', 'd.topics as posted_topics'])
      .where('d.channel_id', '=', channelId)
      .where('d.state', '=', 'sent')
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.rank', 'asc')
      .limit(limit)
      .execute();
    return {
      team,
      channel,
      since: feed?.created_at ?? now.toISOString(),
      entries: rows.map((r) => ({ paper: fromRow(r), postedAt: r.posted_at, digestDate: r.posted_digest, topics: parseTopics(r.posted_topics) })),
    };
  }
}

function parseTopics(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
