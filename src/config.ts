import { z } from 'zod';
import { shardPlanFrom, ShardSettingError, type ShardPlan } from './discord-shards.ts';
import type { ChannelLimits } from './domain/limits.ts';
import { KEY_HOWTO, parseSecretKey, SecretKeyError } from './store/secret-box.ts';

/**
 * All configuration, read once from the environment (nothing else reads process.env).
 * A mistake fails fast with the variable's name and what it should look like.
 */
const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const url = (name: string) =>
  z.string().refine((s) => /^https?:\/\/\S+$/.test(s), { message: `${name} must be an http(s) URL` });

export const DEFAULT_ARXIV_RSS_URL = 'https://rss.arxiv.org';

const EnvSchema = z.object({
  /** A SQLite file path, or a postgres:// / postgresql:// URL. */
  PAPERBOY_DB: z.string().min(1).default('data/paperboy.db'),
  /** Connections per process when PAPERBOY_DB is a PostgreSQL URL. */
  PAPERBOY_PG_POOL: z.coerce.number().int().min(2, 'PAPERBOY_PG_POOL must be at least 2 (the fleet lock holds one connection while work runs on another)').max(1000).default(10),
  PAPERBOY_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** How people reach PAPERBOY_PORT (feed links); default http://localhost:<port>. */
  PAPERBOY_PUBLIC_URL: url('PAPERBOY_PUBLIC_URL').optional(),
  PAPERBOY_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  HF_API_URL: url('HF_API_URL').default('https://huggingface.co'),
  ARXIV_API_URL: url('ARXIV_API_URL').default('https://export.arxiv.org'),
  ARXIV_RSS_URL: url('ARXIV_RSS_URL').default(DEFAULT_ARXIV_RSS_URL),
  PAPERBOY_ARXIV_CATEGORIES: csv.default([]),
  PAPERBOY_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  PAPERBOY_INGEST_INTERVAL_MIN: z.coerce.number().int().min(1).max(1440).default(30),
  PAPERBOY_GRACE_HOURS: z.coerce.number().min(0).max(72).default(6),
  PAPERBOY_DIGEST_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(4),
  /** Seconds a claimed post is an instance's before another may take it over (renewed while it sends). */
  PAPERBOY_LEASE_S: z.coerce.number().int().min(1).max(3600).default(60),
  /** Fair use on a hosted bot: topics one channel may follow. */
  PAPERBOY_MAX_TOPICS: z.coerce
    .number({ error: 'PAPERBOY_MAX_TOPICS must be a whole number of topics per channel, e.g. 25' })
    .int('PAPERBOY_MAX_TOPICS must be a whole number of topics per channel, e.g. 25')
    .min(1, 'PAPERBOY_MAX_TOPICS must be at least 1 (a channel must be able to follow a topic)')
    .max(1000, 'PAPERBOY_MAX_TOPICS must be at most 1000')
    .default(25),
  PAPERBOY_DIGEST_HEADER: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true').transform((v) => ['true', '1', 'yes'].includes(v)),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APP_ID: z.string().regex(/^\d{5,25}$/, 'DISCORD_APP_ID must be the numeric application id').optional(),
  DISCORD_API_URL: url('DISCORD_API_URL').optional(),
  PAPERBOY_DISCORD_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  /** `auto` or the total shard count; read by shardPlanFrom (discord-shards.ts). */
  PAPERBOY_DISCORD_SHARDS: z.string().optional(),
  /** The shards this instance runs, e.g. `0-3` or `4,5`; all when unset. */
  PAPERBOY_DISCORD_SHARD_IDS: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().min(1).optional(),
  SLACK_API_URL: url('SLACK_API_URL').optional(),
  PAPERBOY_SLACK_POST_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  SLACK_MANAGERS: csv.default([]),
  /** Install mode (many workspaces through OAuth): Basic Information > App Credentials. */
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  /** Any long random string: signs the OAuth state parameter. */
  SLACK_STATE_SECRET: z.string().min(1).optional(),
  /** 32 bytes (64 hex characters or base64): seals installations' tokens in the database. */
  PAPERBOY_SECRET_KEY: z.string().min(1).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  /** PAPERBOY_DB: a SQLite file path or a PostgreSQL URL. */
  dbPath: string;
  /** PostgreSQL pool size (PAPERBOY_PG_POOL). */
  pgPool: number;
  port: number;
  /** PAPERBOY_PUBLIC_URL, else http://localhost:<port>: the base of channels' feed URLs. */
  publicUrl: string;
  logLevel: Env['PAPERBOY_LOG_LEVEL'];
  sources: {
    hfBaseUrl: string;
    arxivBaseUrl: string;
    /** arXiv's announcement feeds (ARXIV_RSS_URL), polled for arxivCategories; default rss.arxiv.org. */
    arxivRssUrl?: string;
    arxivCategories: string[];
    timeoutMs: number;
    pollIntervalMs: number;
  };
  delivery: { graceMs: number; concurrency: number; header: boolean; leaseMs: number };
  /** Fair use per channel (PAPERBOY_MAX_TOPICS). */
  limits: ChannelLimits;
  discord: {
    token: string;
    appId: string;
    apiUrl: string | undefined;
    /** The bot token's global limit, shared by every live instance (discord.js default: 50). */
    requestsPerSecond?: number;
    /** Gateway sharding (PAPERBOY_DISCORD_SHARDS / _SHARD_IDS); unset: one connection, as discord.js does by default. */
    shards?: ShardPlan;
  } | null;
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
    managers: string[];
    /** Least time between two posts to one channel (Slack allows about one a second); 0 or unset: no spacing. */
    postIntervalMs?: number;
  } | null;
  /**
   * Slack install mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): any number of
   * workspaces install the app through OAuth, each with its own token; null without them.
   */
  slackInstall: SlackInstallSettings | null;
}

export interface SlackInstallSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  signingSecret: string;
  /** PAPERBOY_SECRET_KEY as given (validated): seals the installations' tokens. */
  secretKey: string;
  apiUrl: string | undefined;
  managers: string[];
  postIntervalMs?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Blank values (FOO= in a .env file) mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`configuration problem:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.DISCORD_TOKEN && !e.DISCORD_APP_ID) throw new ConfigError('DISCORD_TOKEN is set but DISCORD_APP_ID is not: set both (Developer Portal > General Information > Application ID).');
  if (e.DISCORD_APP_ID && !e.DISCORD_TOKEN) throw new ConfigError('DISCORD_APP_ID is set but DISCORD_TOKEN is not: set both (Developer Portal > Bot > Reset Token).');
  const shards = discordShards(e);
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is.');
  }
  if (!e.SLACK_BOT_TOKEN && !(e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET || e.SLACK_STATE_SECRET) && (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN)) {
    throw new ConfigError('SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: set the bot token (xoxb-...) too.');
  }
  const slackInstall = slackInstallSettings(e);
  return {
    dbPath: e.PAPERBOY_DB,
    pgPool: e.PAPERBOY_PG_POOL,
    port: e.PAPERBOY_PORT,
    publicUrl: (e.PAPERBOY_PUBLIC_URL ?? `http://localhost:${e.PAPERBOY_PORT}`).replace(/\/+$/, ''),
    logLevel: e.PAPERBOY_LOG_LEVEL,
    sources: {
      hfBaseUrl: e.HF_API_URL,
      arxivBaseUrl: e.ARXIV_API_URL,
      arxivRssUrl: e.ARXIV_RSS_URL,
      arxivCategories: e.PAPERBOY_ARXIV_CATEGORIES,
      timeoutMs: e.PAPERBOY_HTTP_TIMEOUT_MS,
      pollIntervalMs: e.PAPERBOY_INGEST_INTERVAL_MIN * 60_000,
    },
    delivery: { graceMs: e.PAPERBOY_GRACE_HOURS * 3600_000, concurrency: e.PAPERBOY_DIGEST_CONCURRENCY, header: e.PAPERBOY_DIGEST_HEADER, leaseMs: e.PAPERBOY_LEASE_S * 1000 },
    limits: { maxTopics: e.PAPERBOY_MAX_TOPICS },
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APP_ID
        ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, apiUrl: e.DISCORD_API_URL, requestsPerSecond: e.PAPERBOY_DISCORD_REQUESTS_PER_SECOND, ...(shards && { shards }) }
        : null,
    slack: e.SLACK_BOT_TOKEN
      ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET ?? '', appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, managers: e.SLACK_MANAGERS, postIntervalMs: e.PAPERBOY_SLACK_POST_INTERVAL_MS }
      : null,
    slackInstall,
  };
}

/** Install mode's settings, all or none; a partial set names what is missing. */
function slackInstallSettings(e: Env): SlackInstallSettings | null {
  const oauth = { SLACK_CLIENT_ID: e.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: e.SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: e.SLACK_STATE_SECRET };
  const missing = Object.entries(oauth).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 3) return null;
  if (missing.length > 0) throw new ConfigError(`Slack install mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET; ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`);
  if (e.SLACK_BOT_TOKEN) throw new ConfigError('Both SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID (install mode, many workspaces) are set: unset one. In install mode each workspace gets its token by installing the app.');
  if (e.SLACK_APP_TOKEN) throw new ConfigError('Slack install mode serves the install pages and events over HTTP on PAPERBOY_PORT: unset SLACK_APP_TOKEN (Socket Mode).');
  if (!e.SLACK_SIGNING_SECRET) throw new ConfigError('Slack install mode needs SLACK_SIGNING_SECRET (Basic Information > App Credentials > Signing Secret).');
  if (!e.PAPERBOY_SECRET_KEY) throw new ConfigError(`Slack install mode stores each workspace's token encrypted, and needs PAPERBOY_SECRET_KEY. ${KEY_HOWTO}`);
  try {
    parseSecretKey(e.PAPERBOY_SECRET_KEY);
  } catch (err) {
    if (err instanceof SecretKeyError) throw new ConfigError(err.message);
    throw err;
  }
  return {
    clientId: e.SLACK_CLIENT_ID!,
    clientSecret: e.SLACK_CLIENT_SECRET!,
    stateSecret: e.SLACK_STATE_SECRET!,
    signingSecret: e.SLACK_SIGNING_SECRET,
    secretKey: e.PAPERBOY_SECRET_KEY,
    apiUrl: e.SLACK_API_URL,
    managers: e.SLACK_MANAGERS,
    postIntervalMs: e.PAPERBOY_SLACK_POST_INTERVAL_MS,
  };
}

function discordShards(e: Env): ShardPlan | null {
  let plan: ShardPlan | null;
  try {
    plan = shardPlanFrom(e.PAPERBOY_DISCORD_SHARDS, e.PAPERBOY_DISCORD_SHARD_IDS);
  } catch (err) {
    if (err instanceof ShardSettingError) throw new ConfigError(err.message);
    throw err;
  }
  if (plan && !e.DISCORD_TOKEN) throw new ConfigError('PAPERBOY_DISCORD_SHARDS is set but DISCORD_TOKEN is not: shards are Discord gateway connections; set the Discord settings too, or remove it.');
  return plan;
}

/** Every configured credential, for the logger to blank wherever it turns up (see logger.ts). */
export function secretsOf(config: Config): string[] {
  const install = config.slackInstall;
  const secrets = [config.discord?.token, config.slack?.botToken, config.slack?.signingSecret, config.slack?.appToken, install?.clientSecret, install?.stateSecret, install?.signingSecret, install?.secretKey, databasePassword(config.dbPath)];
  return secrets.filter((s): s is string => Boolean(s));
}

function databasePassword(location: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(location)) return undefined;
  try {
    return decodeURIComponent(new URL(location).password) || undefined;
  } catch {
    return undefined;
  }
}
