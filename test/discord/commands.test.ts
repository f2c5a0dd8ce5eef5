import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANAGER_REQUIREMENT } from '../../adapters/discord/permissions.ts';
import { commands } from '../../commands/index.ts';
import { resolveOptions } from '../../src/commands/options.ts';
import { parseCommandText } from '../../src/commands/parse-text.ts';
import type { CommandSpec } from '../../src/commands/types.ts';
import { chatInputInteraction, Perm, type CommandOption, type VisibleAnswer } from '../support/fake-discord/index.ts';
import { ALICE, BOB, CHANNEL_ID, GUILD, PAPER_ID, startHarness, type Harness } from './harness.ts';

/*
 * Every declared subcommand, end to end: each of its examples goes in over the gateway as a
 * real-shaped INTERACTION_CREATE, the real discord.js client answers, and the answer is read
 * at the fake Discord. Generic over `commands`: a new subcommand is covered by its examples.
 */

/** A typed-in example as Discord would send it: options by name, integers as numbers. */
function asDiscordOptions(spec: CommandSpec, raw: Record<string, unknown>): CommandOption[] {
  return spec.options.flatMap((o): CommandOption[] => {
    const v = raw[o.name];
    if (v === undefined || v === '') return [];
    return o.type === 'integer' ? [{ name: o.name, type: 4, value: Number(v) }] : [{ name: o.name, type: 3, value: String(v) }];
  });
}

/** The examples, or (for a command without any) its bare form with required options left out. */
function examplesOf(spec: CommandSpec): string[] {
  return spec.examples?.length ? [...spec.examples] : [`/papers ${spec.name}`];
}

const SOMETHING_WRONG = /something went wrong/i;

function text(answer: VisibleAnswer): string {
  const m = answer.message;
  return [m.content, ...m.embeds.map((e: any) => `${e.title ?? ''} ${e.description ?? ''}`)].join('\n');
}

/** The body discord.js sent for the visible answer (reply callback data, webhook edit, or follow-up). */
function sentBody(h: Harness, answer: VisibleAnswer): any {
  if (answer.via === 'reply') return answer.interaction.callback!.data;
  const token = answer.interaction.token;
  const calls = h.fake.calls.filter((c) => c.path.includes(`/webhooks/`) && c.path.includes(token) && (c.method === 'PATCH' || c.method === 'POST'));
  return calls.at(-1)!.body;
}

let h: Harness;
let logMark = 0;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => {
  logMark = h.logger.entries.length;
});
afterEach(() => {
  h.fake.assertNoUnmatched();
  expect(h.logger.entries.slice(logMark).filter((e) => e.level === 'error')).toEqual([]);
});
afterAll(async () => h?.close());

async function run(sub: string, options: CommandOption[], permissions: string = Perm.member, user = ALICE): Promise<VisibleAnswer> {
  const interaction = h.fake.interact(chatInputInteraction(h.where(user, permissions), sub, options));
  return h.fake.answerTo(interaction);
}

describe('every subcommand, from each of its examples', () => {
  for (const spec of commands) {
    for (const example of examplesOf(spec)) {
      it(`${example}`, async () => {
        const parsed = parseCommandText(example, commands);
        expect(parsed.command).toBe(spec.name);
        // Managers run the examples: the permission paths have their own tests below.
        const answer = await run(spec.name, asDiscordOptions(spec, parsed.options), Perm.manageChannels);
        const shown = text(answer);
        expect(shown.trim().length + answer.message.attachments.length).toBeGreaterThan(0);
        expect(shown).not.toMatch(SOMETHING_WRONG);
        expect(shown).not.toMatch(/I don't know `\/papers/);
        expect(sentBody(h, answer).allowed_mentions).toEqual({ parse: [] });
        // Answered inside Discord's window: the fake refuses late callbacks with 10062.
        expect(answer.interaction.callback!.at - answer.interaction.dispatchedAt).toBeLessThan(3000);
      });
    }
  }
});

describe('manager-only subcommands', () => {
  const managerOnly = commands.filter((c) => c.access === 'manager');
  const conditional = commands.filter((c) => c.managerWhen);

  function managerExamples(spec: CommandSpec): Array<{ example: string; options: CommandOption[] }> {
    return examplesOf(spec).flatMap((example) => {
      const { options } = parseCommandText(example, commands);
      const needs = spec.access === 'manager' || spec.managerWhen?.(resolveOptions(spec, options) as never);
      return needs ? [{ example, options: asDiscordOptions(spec, options) }] : [];
    });
  }

  it('the declarations have some (else this section proves nothing)', () => {
    expect(managerOnly.length + conditional.length).toBeGreaterThan(0);
  });

  for (const spec of [...managerOnly, ...conditional]) {
    for (const { example, options } of managerExamples(spec)) {
      it(`refuses ${example} to a member without Manage Channels or Manage Server, privately and naming the permission`, async () => {
        const answer = await run(spec.name, options, Perm.member, BOB);
        expect(answer.ephemeral).toBe(true);
        expect(text(answer)).toContain(MANAGER_REQUIREMENT.replace(/^the /, ''));
      });

      it(`allows ${example} with Manage Channels, Manage Server or Administrator`, async () => {
        for (const perms of [Perm.manageChannels, Perm.manageGuild, Perm.administrator]) {
          const answer = await run(spec.name, options, perms, BOB);
          expect(text(answer)).not.toContain(MANAGER_REQUIREMENT.replace(/^the /, ''));
        }
      });
    }
  }
});

describe('specific paths', () => {
  it('shows search results as embeds with Upvote / Save / link buttons', async () => {
    const answer = await run('search', [{ name: 'query', type: 3, value: 'diffusion' }]);
    expect(answer.ephemeral).toBe(false);
    expect(answer.message.embeds.length).toBeGreaterThan(0);
    const row = answer.message.components[0];
    expect(row.components[0].label).toMatch(/Upvote \(\d+\)/);
    expect(row.components[0].custom_id).toMatch(/^pb:vote:/);
    expect(row.components.length).toBeLessThanOrEqual(5);
  });

  it('counts a /papers vote for the team', async () => {
    await run('vote', [{ name: 'paper', type: 3, value: '2608.16887' }], Perm.member, BOB);
    const team = await h.store.teams.findTeam('discord', GUILD.id);
    expect(await h.store.votes.count(team!.id, '2608.16887')).toBe(1);
  });

  it('hands over /papers export as a .bib attachment', async () => {
    await run('save', [{ name: 'paper', type: 3, value: PAPER_ID }]);
    const answer = await run('export', []);
    const call = h.fake.callsTo('POST', new RegExp(`^/interactions/${answer.interaction.id}/`))[0]!;
    expect(call.files).toHaveLength(1);
    expect(call.files[0]!.name).toMatch(/\.bib$/);
    expect(call.files[0]!.text).toContain(PAPER_ID);
  });

  it('hands over /papers export ris and csl-json as attachments too', async () => {
    await run('save', [{ name: 'paper', type: 3, value: PAPER_ID }]);
    for (const [format, ext] of [['ris', /\.ris$/], ['csl-json', /\.json$/]] as const) {
      const answer = await run('export', [{ name: 'format', type: 3, value: format }]);
      const call = h.fake.callsTo('POST', new RegExp(`^/interactions/${answer.interaction.id}/`))[0]!;
      expect(call.files).toHaveLength(1);
      expect(call.files[0]!.name).toMatch(ext);
      expect(call.files[0]!.text).toContain(`arXiv:${PAPER_ID}`);
    }
  });

  // The real engine behind this command posts to the fake Discord in test/start/start-wiring.test.ts;
  // here: the command asks for this channel and words the count itself, privately.
  it('passes the post request of /papers digest post to the delivery service, for this channel', async () => {
    h.services.postDigestNow.mockResolvedValueOnce({ posted: 3 });
    const answer = await run('digest', [{ name: 'action', type: 3, value: 'post' }], Perm.administrator);
    const team = await h.store.teams.findTeam('discord', GUILD.id);
    const channel = await h.store.teams.findChannel(team!.id, CHANNEL_ID);
    expect(h.services.postDigestNow.mock.calls.at(-1)).toEqual([channel!.id]);
    expect(text(answer).trim()).toBe('Posted 3 papers here.');
    expect(answer.ephemeral).toBe(true);
  });

  it('answers a subcommand Discord still has registered but the bot no longer knows, privately', async () => {
    const answer = await run('frobnicate', []);
    expect(answer.ephemeral).toBe(true);
    expect(text(answer)).toMatch(/don't know/);
  });

  it('shows a user mistake privately (bad option value)', async () => {
    const answer = await run('show', [{ name: 'paper', type: 3, value: 'not a paper' }]);
    expect(answer.ephemeral).toBe(true);
    expect(text(answer)).toMatch(/doesn't look like an arXiv id/);
  });
});
