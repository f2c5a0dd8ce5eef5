import { commands } from '../../commands/index.ts';
import { openApp } from '../../src/app.ts';
import { buildCards } from '../../src/commands/cards.ts';
import { cliConfig } from '../../src/cli/env.ts';
import { secretsOf } from '../../src/config.ts';
import type { CliArgs, CliCommand } from '../../src/cli/main.ts';
import { EXIT, UsageError } from '../../src/cli/usage.ts';
import { isIsoDay, systemClock } from '../../src/domain/clock.ts';
import { planChannelDigest } from '../../src/digest/preview.ts';
import { renderAtom } from '../../src/feeds/atom.ts';
import { feedUrl } from '../../src/feeds/http.ts';
import { createLogger } from '../../src/logger.ts';
import type { ChannelRow, TeamRow } from '../../src/store/schema.ts';
import type { Store } from '../../src/store/store.ts';
import { DEFAULT_IDENTITY, type ConsoleIdentity } from './identity.ts';
import { chartDirFor } from './chart-dir.ts';
import { ConsolePoster } from './poster.ts';
import { renderCard, renderReply } from './render.ts';
import { runLine } from './run-line.ts';

const IDENTITY_OPTIONS = {
  team: { type: 'string' },
  channel: { type: 'string' },
  user: { type: 'string' },
  member: { type: 'boolean' },
} as const;

export function identityFrom(args: CliArgs): ConsoleIdentity {
  const pick = (k: 'team' | 'channel' | 'user') => {
    const v = args.values[k];
    if (v === undefined) return DEFAULT_IDENTITY[k];
    if (typeof v !== 'string' || !/^[\w.-]{1,64}$/.test(v)) throw new UsageError(`--${k} takes a name of letters, digits, . _ or - (at most 64)`);
    return v;
  };
  return { team: pick('team'), channel: pick('channel'), user: pick('user'), manager: !args.values.member };
}

/** `paperboy run "/papers ..."`: one command through the console adapter; exit 2 for a command misused, 1 when it failed. */
export const runCli: CliCommand = {
  usage: 'paperboy run "/papers <command> ..." [--team T] [--channel C] [--user U] [--member] [--db PATH]',
  options: IDENTITY_OPTIONS,
  allowPositionals: true,
  async run(args) {
    const line = args.positionals.join(' ');
    if (!line.trim()) throw new UsageError('give a command, e.g. paperboy run "/papers today"');
    const identity = identityFrom(args);
    const config = cliConfig(args);
    const logger = createLogger(config.logLevel, { secrets: secretsOf(config) });
    const app = await openApp({ dbPath: config.dbPath, pgPool: config.pgPool, clock: systemClock, logger, commands, publicUrl: config.publicUrl, limits: config.limits });
    app.posters.register(new ConsolePoster((t) => process.stdout.write(t + '\n'), { chartDir: chartDirFor(config.dbPath) }));
    try {
      const reply = await runLine(line, identity, app.runtime);
      const text = renderReply(reply) + '\n';
      if (!reply.error) {
        process.stdout.write(text);
        return EXIT.ok;
      }
      process.stderr.write(text);
      const misuse = reply.error.kind === 'user' && ['bad_option', 'bad_query', 'unknown_command'].includes(reply.error.code);
      return misuse ? EXIT.usage : EXIT.failure;
    } finally {
      await app.close();
    }
  },
};

/** `--channel C [--team T] [--platform P]`: which channel a CLI command is about. */
interface ChannelArgs {
  channel: string;
  team: string;
  platform: string;
}

function channelArgs(args: CliArgs): ChannelArgs {
  const channel = args.values.channel;
  if (typeof channel !== 'string' || !channel) throw new UsageError('--channel is required');
  const platform = typeof args.values.platform === 'string' ? args.values.platform : 'console';
  if (!['console', 'discord', 'slack'].includes(platform)) throw new UsageError('--platform is console, discord or slack');
  const team = typeof args.values.team === 'string' ? args.values.team : DEFAULT_IDENTITY.team;
  return { channel, team, platform };
}

/** The channel's rows; null (after saying why on stderr) for a Discord or Slack channel that never used the bot. */
async function findChannel(store: Store, where: ChannelArgs, command: string): Promise<{ team: TeamRow; channel: ChannelRow } | null> {
  const now = systemClock.now();
  const { platform } = where;
  // A console channel springs into being when named; a Discord or Slack one must have used the bot.
  const team = platform === 'console' ? await store.teams.ensureTeam({ platform, externalId: where.team }, now) : await store.teams.findTeam(platform, where.team);
  const channel = team && (platform === 'console' ? await store.teams.ensureChannel(team.id, { externalId: where.channel }, now) : await store.teams.findChannel(team.id, where.channel));
  if (!team || !channel) {
    process.stderr.write(`paperboy ${command}: no ${platform} channel ${where.channel} in team ${where.team} (it appears once someone uses /papers there)\n`);
    return null;
  }
  return { team, channel };
}

/** `paperboy feed --channel C`: the channel's Atom feed, as GET /feeds/<token>.atom serves it. */
export const feedCli: CliCommand = {
  usage: 'paperboy feed --channel C [--team T] [--platform console|discord|slack] [--db PATH]',
  options: { channel: { type: 'string' }, team: { type: 'string' }, platform: { type: 'string' } },
  allowPositionals: false,
  async run(args) {
    const where = channelArgs(args);
    const config = cliConfig(args);
    const app = await openApp({ dbPath: config.dbPath, pgPool: config.pgPool, clock: systemClock, logger: createLogger(config.logLevel), commands });
    try {
      const found = await findChannel(app.store, where, 'feed');
      if (!found) return EXIT.failure;
      const token = await app.store.feeds.token(found.channel.id, systemClock.now());
      const source = (await app.store.feeds.source(found.channel.id, systemClock.now()))!;
      process.stdout.write(renderAtom(source, { selfUrl: feedUrl(config.publicUrl, token) }));
      return EXIT.ok;
    } finally {
      await app.close();
    }
  },
};

/** `paperboy digest --channel C`: what the channel's next digest would post. */
export const digestCli: CliCommand = {
  usage: 'paperboy digest --channel C [--team T] [--platform console|discord|slack] [--date YYYY-MM-DD] [--json] [--db PATH]',
  options: { channel: { type: 'string' }, team: { type: 'string' }, platform: { type: 'string' }, date: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: false,
  async run(args) {
    const where = channelArgs(args);
    const date = args.values.date;
    if (date !== undefined && (typeof date !== 'string' || !isIsoDay(date))) throw new UsageError('--date takes a day as YYYY-MM-DD');
    const config = cliConfig(args);
    const logger = createLogger(config.logLevel, { secrets: secretsOf(config) });
    const app = await openApp({ dbPath: config.dbPath, pgPool: config.pgPool, clock: systemClock, logger, commands });
    try {
      const { store } = app;
      const found = await findChannel(store, where, 'digest');
      if (!found) return EXIT.failure;
      const { team, channel } = found;
      const channelId = where.channel;
      const plan = await planChannelDigest(store, channel.id, { clock: systemClock, logger }, date);
      const papers = await store.papers.getMany(plan.picked.map((p) => p.paperId));
      if (args.values.json) {
        const byId = new Map(papers.map((p) => [p.id, p]));
        const rows = plan.picked.map((p) => ({ rank: p.rank, id: p.paperId, title: byId.get(p.paperId)?.title ?? '', topics: p.topics, upvotes: p.upvotes, teamVotes: p.teamVotes, listedOn: p.listedOn }));
        process.stdout.write(JSON.stringify({ digestDate: plan.digestDate, from: plan.from, to: plan.to, papers: rows }, null, 2) + '\n');
        return EXIT.ok;
      }
      const cards = await buildCards(store, team.id, null, papers);
      const head = `Digest for #${channelId} on ${plan.digestDate} (papers listed ${plan.from} to ${plan.to}): ${cards.length} of ${plan.picked.length + plan.cut.length} matching.`;
      process.stdout.write([head, ...cards.map((c, i) => '\n' + renderCard(c, i + 1))].join('\n') + '\n');
      return EXIT.ok;
    } finally {
      await app.close();
    }
  },
};
