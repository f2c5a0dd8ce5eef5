import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandSpec, OptionSpec } from '../../src/commands/types.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { truncate } from './text.ts';

/** The one root command; every CommandSpec is a subcommand of it. */
export const ROOT_COMMAND = 'papers';
const ROOT_DESCRIPTION = 'Research papers: search, vote, save, and this channel’s daily digest';

export type CommandsJson = RESTPostAPIChatInputApplicationCommandsJSONBody[];

/**
 * The application-command JSON for `commands`: `/papers` with one subcommand per spec.
 * `default_member_permissions` is per root command only, so `/papers` stays open to
 * members and manager-only subcommands are checked when they run.
 */
export function buildCommandsJson(commands: readonly CommandSpec[]): CommandsJson {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: ROOT_COMMAND,
      description: ROOT_DESCRIPTION,
      default_member_permissions: null,
      // Guild-installed and usable in servers only: teams are guilds.
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: [InteractionContextType.Guild],
      options: commands.map(subcommandJson),
    },
  ];
}

function subcommandJson(spec: CommandSpec): APIApplicationCommandSubcommandOption {
  // Discord rejects a required option after an optional one; options are named, so order is free.
  const options = [...spec.options].sort((a, b) => Number(!!b.required) - Number(!!a.required));
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: spec.name,
    description: truncate(spec.description, L.commandDescription),
    options: options.map(optionJson),
  };
}

function optionJson(o: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: o.name, description: truncate(o.description, L.commandDescription), required: !!o.required };
  switch (o.type) {
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(o.minLength !== undefined && { min_length: o.minLength }),
        ...(o.maxLength !== undefined && { max_length: Math.min(o.maxLength, L.optionStringLength) }),
        ...(o.autocomplete && { autocomplete: true }),
      };
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(o.min !== undefined && { min_value: o.min }),
        ...(o.max !== undefined && { max_value: o.max }),
      };
    case 'choice':
      if (o.choices.length > L.optionChoices) throw new Error(`option ${o.name}: Discord allows at most ${L.optionChoices} choices`);
      return { ...base, type: ApplicationCommandOptionType.String, choices: o.choices.map((c) => ({ name: c, value: c })) };
  }
}

/**
 * A command as Discord compares it: what we send, with Discord's defaults filled in and
 * server-side fields (id, version, ...) left out. Two lists with the same canonical form
 * need no PUT.
 */
export function canonicalCommands(list: readonly unknown[]): string {
  const cmds = list.map((c) => canonicalCommand(c as Record<string, unknown>)).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return JSON.stringify(cmds);
}

function canonicalCommand(c: Record<string, unknown>): Record<string, unknown> {
  return {
    type: c.type ?? ApplicationCommandType.ChatInput,
    name: c.name,
    description: c.description ?? '',
    default_member_permissions: c.default_member_permissions ?? null,
    nsfw: c.nsfw ?? false,
    integration_types: c.integration_types ?? [ApplicationIntegrationType.GuildInstall],
    contexts: c.contexts ?? null,
    options: canonicalOptions(c.options),
  };
}

function canonicalOptions(options: unknown): unknown[] {
  if (!Array.isArray(options)) return [];
  return options.map((raw) => {
    const o = raw as Record<string, unknown>;
    return {
      type: o.type,
      name: o.name,
      description: o.description ?? '',
      required: o.required ?? false,
      autocomplete: o.autocomplete ?? false,
      choices: Array.isArray(o.choices) ? o.choices.map((ch) => ({ name: ch.name, value: ch.value })) : [],
      min_value: o.min_value ?? null,
      max_value: o.max_value ?? null,
      min_length: o.min_length ?? null,
      max_length: o.max_length ?? null,
      options: canonicalOptions(o.options),
    };
  });
}

export interface SyncResult {
  changed: boolean;
  scope: string;
}

/**
 * Makes Discord's registered commands equal `wanted`: fetches what is there and bulk-overwrites
 * only when it differs, since command creates count toward a daily limit.
 */
export async function syncCommands(rest: REST, appId: string, wanted: CommandsJson, guildId?: string): Promise<SyncResult> {
  const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
  const scope = guildId ? `in guild ${guildId}` : 'globally';
  const current = (await rest.get(route)) as unknown[];
  if (canonicalCommands(current) === canonicalCommands(wanted)) return { changed: false, scope };
  await rest.put(route, { body: wanted });
  return { changed: true, scope };
}
