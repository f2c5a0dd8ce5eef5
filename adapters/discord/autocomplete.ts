import type { AutocompleteInteraction, ApplicationCommandOptionChoiceData } from 'discord.js';
import type { Runtime } from '../../src/commands/dispatch.ts';
import type { StringOption } from '../../src/commands/types.ts';
import { isUserError } from '../../src/domain/errors.ts';
import { parseArxivId } from '../../src/domain/paper.ts';
import type { Logger } from '../../src/logger.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import type { Store } from '../../src/store/store.ts';
import { PLATFORM } from './keys.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { ROOT_COMMAND } from './registration.ts';
import { truncate } from './text.ts';

type Choice = ApplicationCommandOptionChoiceData<string>;

/** Suggestions while typing an option declared with `autocomplete`. Never deferred: Discord allows none. */
export async function answerAutocomplete(interaction: AutocompleteInteraction, rt: Runtime, log: Logger): Promise<void> {
  let choices: Choice[] = [];
  try {
    if (interaction.commandName === ROOT_COMMAND) {
      const spec = rt.commands.find((c) => c.name === interaction.options.getSubcommand(false));
      const focused = interaction.options.getFocused(true);
      const option = spec?.options.find((o): o is StringOption => o.name === focused.name && o.type === 'string');
      const typed = String(focused.value ?? '');
      switch (option?.autocomplete) {
        case 'paper':
          choices = await suggestPapers(rt.store, typed);
          break;
        case 'topic':
          choices = interaction.guildId && interaction.channelId ? await suggestTopics(rt.store, interaction.guildId, interaction.channelId, typed) : [];
          break;
        case 'timezone':
          choices = suggestTimezones(typed);
          break;
        default:
          choices = [];
      }
    }
  } catch (e) {
    // Half-typed text is often not a valid query yet: no suggestions, no noise.
    if (!isUserError(e)) log.warn('autocomplete failed', { err: e });
  }
  await interaction.respond(choices.slice(0, L.autocompleteChoices));
}

function choice(name: string, value: string): Choice {
  return { name: truncate(name, L.choiceName), value };
}

/** Ids by prefix (newest first), a pasted link, or words as they are typed (the last one completed, typos corrected). */
export async function suggestPapers(store: Store, typed: string): Promise<Choice[]> {
  const q = typed.trim();
  let papers: Array<{ id: string; title: string }>;
  if (/^[\d.]*$/.test(q)) {
    papers = await store.papers.idsStartingWith(q, L.autocompleteChoices);
  } else if (parseArxivId(q)) {
    const p = await store.papers.get(parseArxivId(q)!);
    papers = p ? [p] : [];
  } else {
    const { page } = await searchPapers(store, q, { limit: L.autocompleteChoices, offset: 0 });
    papers = await store.papers.getMany(page.ids);
  }
  return papers.map((p) => choice(`${p.id} · ${p.title}`, p.id));
}

/** The channel's topics containing what was typed. A topic too long for a choice value cannot be offered. */
export async function suggestTopics(store: Store, guildId: string, channelId: string, typed: string): Promise<Choice[]> {
  const team = await store.teams.findTeam(PLATFORM, guildId);
  const channel = team ? await store.teams.findChannel(team.id, channelId) : undefined;
  if (!channel) return [];
  const needle = typed.trim().toLowerCase();
  return (await store.topics.list(channel.id))
    .filter((t) => t.query.length <= L.choiceValue && t.query.toLowerCase().includes(needle))
    .map((t) => choice(t.query, t.query));
}

let zones: string[] | undefined;

/** IANA zones containing what was typed ("berlin", "new york"), those starting with it first. */
export function suggestTimezones(typed: string): Choice[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  const matches = zones.filter((z) => z.toLowerCase().includes(needle));
  const starts = (z: string) => z.toLowerCase().startsWith(needle) || z.toLowerCase().split('/').some((part) => part.startsWith(needle));
  matches.sort((a, b) => Number(starts(b)) - Number(starts(a)));
  return matches.slice(0, L.autocompleteChoices).map((z) => choice(z.replace(/_/g, ' '), z));
}
