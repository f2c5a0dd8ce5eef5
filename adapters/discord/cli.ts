import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField, REST } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { cliConfig } from '../../src/cli/env.ts';
import type { CliArgs, CliCommand } from '../../src/cli/main.ts';
import { EXIT, UsageError } from '../../src/cli/usage.ts';
import { buildCommandsJson, ROOT_COMMAND, syncCommands } from './registration.ts';

/**
 * What the bot needs in a channel, and nothing more: see it (and its reactions), post
 * digest papers with embeds, also in threads, and read back its own post to redraw vote
 * counts after a reaction. Answers to /papers go through the interaction webhook, which
 * needs no channel permission.
 */
export const BOT_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
]);

/** `bot` joins the server; `applications.commands` lets /papers be registered there. */
export const INVITE_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

export function inviteUrl(appId: string, guildId?: string): string {
  const url = new URL('https://discord.com/oauth2/authorize');
  url.searchParams.set('client_id', appId);
  url.searchParams.set('scope', INVITE_SCOPES.join(' '));
  url.searchParams.set('permissions', BOT_PERMISSIONS.bitfield.toString());
  url.searchParams.set('integration_type', '0');
  if (guildId) {
    url.searchParams.set('guild_id', guildId);
    url.searchParams.set('disable_guild_select', 'true');
  }
  return url.toString();
}

const SNOWFLAKE = /^\d{5,25}$/;

function guildOption(args: CliArgs): string | undefined {
  const guild = args.values.guild;
  if (guild === undefined) return undefined;
  if (typeof guild !== 'string' || !SNOWFLAKE.test(guild)) {
    throw new UsageError('--guild takes a server id (Discord: User Settings > Advanced > Developer Mode, then right-click the server > Copy Server ID).');
  }
  return guild;
}

export const DISCORD_CLI_SUMMARIES = {
  'discord:register': 'register /papers with Discord (sends it only when it changed)',
  'discord:invite': 'print the link that adds the bot to a Discord server',
} as const;

export const discordRegisterCommand: CliCommand = {
  usage: 'paperboy discord:register [--guild ID] [--dry-run]',
  options: { guild: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  allowPositionals: false,
  async run(args) {
    const guildId = guildOption(args);
    const body = buildCommandsJson(commands);
    if (args.values['dry-run']) {
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return EXIT.ok;
    }
    const discord = cliConfig(args).discord;
    if (!discord) throw new Error('set DISCORD_TOKEN and DISCORD_APP_ID first (see docs/discord.md); --dry-run prints the JSON without them.');
    const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
    const result = await syncCommands(rest, discord.appId, body, guildId);
    const subs = body[0]?.options?.length ?? 0;
    process.stdout.write(
      result.changed
        ? `Registered /${ROOT_COMMAND} with ${subs} subcommands ${result.scope}.\n`
        : `/${ROOT_COMMAND} is already registered ${result.scope} as declared (${subs} subcommands); nothing sent.\n`,
    );
    return EXIT.ok;
  },
};

export const discordInviteCommand: CliCommand = {
  usage: 'paperboy discord:invite [--guild ID] [--app-id ID]',
  options: { guild: { type: 'string' }, 'app-id': { type: 'string' } },
  allowPositionals: false,
  async run(args) {
    const guildId = guildOption(args);
    const flag = args.values['app-id'];
    if (flag !== undefined && (typeof flag !== 'string' || !SNOWFLAKE.test(flag))) throw new UsageError('--app-id takes the numeric Application ID.');
    const appId = typeof flag === 'string' ? flag : cliConfig(args).discord?.appId;
    if (!appId) throw new Error('set DISCORD_APP_ID and DISCORD_TOKEN (or pass --app-id): the Application ID is on the Developer Portal > General Information.');
    process.stdout.write(`${inviteUrl(appId, guildId)}\n`);
    return EXIT.ok;
  },
};
