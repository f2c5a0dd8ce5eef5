import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { defineCommand, type Reply } from '../../src/commands/types.ts';
import { autocompleteInteraction, buttonInteraction, chatInputInteraction, EPHEMERAL, Perm, type FakeInteraction } from '../support/fake-discord/index.ts';
import { ALICE, BOB, GUILD, PAPER_ID, startHarness, type Harness } from './harness.ts';

/** A command whose handler waits until the test lets it go: the adapter has to defer. */
function gated(name: string, reply: Reply) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const spec = defineCommand({
    name,
    description: 'test: waits for the test',
    options: [],
    access: 'member',
    async handler() {
      await gate;
      return reply;
    },
  });
  return { spec, release: () => release() };
}

const slowPublic = gated('slow-public', { title: 'Done', text: 'Took a while.', ephemeral: false });
const slowPrivate = gated('slow-private', { text: 'Only you may see this.', ephemeral: true });
const broken = defineCommand({
  name: 'broken-reply',
  description: 'test: returns a reply the adapter cannot render',
  options: [],
  access: 'member',
  async handler() {
    return { text: 'x', cards: [null as never], ephemeral: false };
  },
});
const throwing = defineCommand({
  name: 'throws',
  description: 'test: a handler bug',
  options: [],
  access: 'member',
  async handler(): Promise<Reply> {
    throw new Error('database on fire');
  },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ commands: [...commands, slowPublic.spec, slowPrivate.spec, broken, throwing], deferAfterMs: 100 });
});
afterEach(() => h.fake.assertNoUnmatched());
afterAll(async () => h?.close());

describe('answering within 3 seconds', () => {
  it('defers a slow command publicly, then edits the answer in', async () => {
    const i = h.fake.interact(chatInputInteraction(h.where(), 'slow-public'));
    await h.fake.waitFor('the deferral', () => i.callback);
    expect(i.callback).toMatchObject({ type: 5 });
    expect(i.callback!.data.flags & EPHEMERAL).toBe(0);
    slowPublic.release();
    const answer = await h.fake.answerTo(i);
    expect(answer.via).toBe('deferred-edit');
    expect(answer.message.content).toBe('**Done**\nTook a while.');
    expect(answer.ephemeral).toBe(false);
  });

  it('does not show a slow private answer publicly: the public placeholder goes, the answer follows privately', async () => {
    const i = h.fake.interact(chatInputInteraction(h.where(), 'slow-private'));
    await h.fake.waitFor('the deferral', () => i.callback);
    slowPrivate.release();
    const answer = await h.fake.answerTo(i);
    expect(answer.via).toBe('deferred-followup');
    expect(answer.ephemeral).toBe(true);
    expect(answer.message.content).toBe('Only you may see this.');
    expect(i.originalDeleted).toBe(true);
    // The placeholder was never edited to carry the private text.
    expect(h.fake.calls.filter((c) => c.method === 'PATCH' && c.path.includes(i.token))).toHaveLength(0);
  });

  it('reports a handler bug with a ref that is in the log', async () => {
    const answer = await h.fake.answerTo(h.fake.interact(chatInputInteraction(h.where(), 'throws')));
    expect(answer.ephemeral).toBe(true);
    const ref = refIn(answer.message.content);
    expect(h.logger.entries.filter((e) => e.level === 'error' && e.ref === ref)).toHaveLength(1);
  });

  it('reports a failure in the adapter itself the same way', async () => {
    const answer = await h.fake.answerTo(h.fake.interact(chatInputInteraction(h.where(), 'broken-reply')));
    expect(answer.ephemeral).toBe(true);
    const ref = refIn(answer.message.content);
    expect(h.logger.entries.filter((e) => e.level === 'error' && e.ref === ref)).toHaveLength(1);
  });
});

/** The ref quoted in a failure reply; fails the test when there is none (an undefined ref would match any log line without one). */
function refIn(content: string): string {
  const ref = /something went wrong on my side \(ref (\w+)\)/.exec(content)?.[1];
  expect(ref, content).toMatch(/^\w+$/);
  return ref!;
}

describe('autocomplete', () => {
  async function suggest(sub: string, option: string, typed: string): Promise<Array<{ name: string; value: string }>> {
    const i = h.fake.interact(autocompleteInteraction(h.where(), sub, { name: option, value: typed }));
    const cb = await h.fake.waitFor('autocomplete result', () => i.callback);
    expect(cb.type).toBe(8);
    return cb.data.choices;
  }

  it('completes paper ids by prefix, within Discord limits', async () => {
    const choices = await suggest('show', 'paper', '2608.14');
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((c) => c.value)).toContain(PAPER_ID);
    for (const c of choices) {
      expect(c.value.startsWith('2608.14')).toBe(true);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.name).toContain(c.value);
    }
  });

  it('finds papers by title words', async () => {
    const paper = (await h.store.papers.get(PAPER_ID))!;
    const words = paper.title.split(/\s+/).slice(0, 3).join(' ');
    const choices = await suggest('vote', 'paper', words);
    expect(choices[0]?.value).toBe(PAPER_ID);
  });

  it('keeps finding a paper while its last word is half-typed, and through a swapped letter', async () => {
    const paper = (await h.store.papers.get(PAPER_ID))!;
    const words = paper.title.split(/\s+/).filter((w) => /^[A-Za-z]{6,}$/.test(w));
    expect(words.length).toBeGreaterThan(1);
    const midWord = `${words[0]} ${words[1]!.slice(0, 4)}`;
    expect((await suggest('vote', 'paper', midWord)).map((c) => c.value)).toContain(PAPER_ID);
    const w = words[1]!;
    const swapped = `${words[0]} ${w[0]}${w[2]}${w[1]}${w.slice(3)}`;
    expect((await suggest('vote', 'paper', swapped)).map((c) => c.value)).toContain(PAPER_ID);
  });

  it('offers nothing, quietly, for text that is not a query yet', async () => {
    expect(await suggest('vote', 'paper', '"')).toEqual([]);
  });

  it("completes the channel's topics for unsubscribe", async () => {
    await h.fake.answerTo(h.fake.interact(chatInputInteraction(h.where(ALICE, Perm.manageChannels), 'subscribe', [{ name: 'topic', type: 3, value: 'state space models' }])));
    await h.fake.answerTo(h.fake.interact(chatInputInteraction(h.where(ALICE, Perm.manageChannels), 'subscribe', [{ name: 'topic', type: 3, value: 'speech synthesis' }])));
    const choices = await suggest('unsubscribe', 'topic', 'spa');
    expect(choices.map((c) => c.value)).toEqual(['state space models']);
  });

  it('completes time zones', async () => {
    const choices = await suggest('schedule', 'timezone', 'berl');
    expect(choices[0]).toEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
    const ny = await suggest('schedule', 'timezone', 'new york');
    expect(ny.map((c) => c.value)).toContain('America/New_York');
  });
});

describe('buttons', () => {
  let search: FakeInteraction;
  beforeEach(async () => {
    search = h.fake.interact(chatInputInteraction(h.where(), 'search', [{ name: 'query', type: 3, value: 'diffusion' }]));
    await h.fake.answerTo(search);
  });

  async function click(customId: string, user = ALICE): Promise<FakeInteraction> {
    const message = search.original!;
    const i = h.fake.interact(buttonInteraction(h.where(user), message as never, customId));
    await h.fake.waitFor('the update and its private confirmation', () => i.callback && i.followups[0]);
    return i;
  }

  it('toggles an upvote on the second paper and redraws only its count, with a private confirmation', async () => {
    const before = structuredClone(search.original!);
    const target = before.components[1].components[0].custom_id as string;
    const paperId = target.split(':')[2]!;

    const first = await click(target);
    expect(first.callback!.type).toBe(7);
    const after = h.fake.messages.get(before.id)!;
    expect(after.components[1].components[0].label).toBe('#2 Upvote (1)');
    expect(after.embeds[1].fields.find((f: any) => f.name === 'Upvotes').value).toContain('1 from this team');
    expect(after.components[0]).toEqual(before.components[0]);
    expect(after.embeds[0]).toEqual(before.embeds[0]);
    expect(first.followups[0]!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(first.followups[0]!.content).toMatch(/^Upvoted/);

    await click(target, BOB);
    expect(h.fake.messages.get(before.id)!.components[1].components[0].label).toBe('#2 Upvote (2)');
    const undo = await click(target);
    expect(h.fake.messages.get(before.id)!.components[1].components[0].label).toBe('#2 Upvote (1)');
    expect(undo.followups[0]!.content).toMatch(/Removed your vote/);

    const team = await h.store.teams.findTeam('discord', GUILD.id);
    expect(await h.store.votes.count(team!.id, paperId)).toBe(1);
  });

  it('saves to the reading list of the person who clicked', async () => {
    const save = search.original!.components[0].components[1].custom_id as string;
    const i = await click(save, BOB);
    expect(i.followups[0]!.content).toMatch(/^Saved/);
    const team = await h.store.teams.findTeam('discord', GUILD.id);
    expect(await h.store.saves.find(team!.id, BOB.id, save.split(':')[2]!)).toBeTruthy();
  });

  it('answers privately when the paper is gone', async () => {
    const message = { ...search.original!, components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Upvote (0)', custom_id: 'pb:vote:2001.00001' }] }] };
    const i = h.fake.interact(buttonInteraction(h.where(), message as never, 'pb:vote:2001.00001'));
    await h.fake.waitFor('a reply', () => i.original);
    expect(i.callback!.type).toBe(4);
    expect(i.original!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(i.original!.content).toMatch(/no longer have paper 2001\.00001/);
  });
});
