import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { commandResponse } from '../../adapters/slack/listeners/command.ts';
import { limitViolations, type SlackMessage } from '../../adapters/slack/render.ts';
import { runCommand } from '../../src/commands/dispatch.ts';
import { parseCommandText } from '../../src/commands/parse-text.ts';
import { defineCommand, type CommandSpec } from '../../src/commands/types.ts';
import { CHANNEL, makeRuntime, PEOPLE, startHarness, TEAM, type Harness } from './harness.ts';

/** Every way a declaration says its command is used: its examples, or its bare name. */
function invocations(spec: CommandSpec): string[] {
  return spec.examples?.length ? [...spec.examples] : [`/papers ${spec.name}`];
}

describe('every declared /papers subcommand, through Slack', () => {
  let h: Harness;
  let twin: Awaited<ReturnType<typeof makeRuntime>>;
  beforeAll(async () => {
    h = await startHarness();
    twin = await makeRuntime();
  });
  afterAll(async () => {
    await h.close();
    await twin.store.close();
  });
  afterEach(() => h.fake.assertClean());

  it('the command list is not empty', () => {
    expect(commands.map((c) => c.name)).toContain('search');
  });

  // Each example runs through signed HTTP, Bolt, the text parser and response_url, and must
  // come out exactly as the core renders it when run directly on an identical store.
  for (const spec of commands) {
    for (const text of invocations(spec)) {
      it(`${text}`, async () => {
        const got = await h.command(text, PEOPLE.admin);

        const parsed = parseCommandText(text, twin.commands);
        expect(parsed.command).toBe(spec.name);
        const direct = await runCommand(
          {
            command: parsed.command,
            options: parsed.options,
            team: { platform: 'slack', externalId: TEAM, name: 'test-domain' },
            channel: { externalId: CHANNEL, name: 'papers' },
            user: { id: PEOPLE.admin!.id, name: PEOPLE.admin!.name, isManager: () => true },
            managerRequirement: 'n/a',
          },
          twin,
        );
        expect(direct.text).not.toMatch(/something went wrong/i);
        // Feed tokens are random by design: the two stores' differ.
        const sameToken = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/\/feeds\/[\w-]{32}\.atom/g, '/feeds/TOKEN.atom'));
        expect(sameToken(got.body)).toEqual(sameToken(commandResponse(direct)));
        expect(got.body.response_type).toBe(direct.ephemeral || direct.file ? 'ephemeral' : 'in_channel');
        expect(limitViolations(got.body as unknown as SlackMessage)).toEqual([]);
      });
    }
  }
});

describe('/papers on Slack', () => {
  let h: Harness;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let handlerFinished = false;
  const slow = defineCommand({
    name: 'slowpoke',
    description: 'Test only: answers when the test lets it',
    options: [],
    access: 'member',
    async handler() {
      await gate;
      handlerFinished = true;
      return { text: 'done at last', ephemeral: true };
    },
  });

  beforeAll(async () => {
    h = await startHarness({ commands: [...commands, slow] });
  });
  afterAll(() => h.close());
  afterEach(() => h.fake.assertClean());

  it('acks before the command has finished, then answers through response_url', async () => {
    const res = await h.slack.slashCommand({ text: 'slowpoke', response_url: h.fake.responseUrl('slow'), team_id: TEAM, channel_id: CHANNEL, user_id: PEOPLE.member!.id });
    expect(res.status).toBe(200);
    expect(handlerFinished).toBe(false);
    expect(h.fake.responsesTo('slow')).toEqual([]);
    release();
    const reply = await h.fake.waitFor(() => h.fake.responsesTo('slow')[0]);
    expect(handlerFinished).toBe(true);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: 'done at last' });
  });

  it('shares search results in the channel, each paper with its buttons', async () => {
    const r = await h.command('search benchmark');
    expect(r.body.response_type).toBe('in_channel');
    const blocks = r.body.blocks as Array<Record<string, any>>;
    const actions = blocks.filter((b) => b.type === 'actions');
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) {
      const ids = a.elements.map((e: Record<string, string>) => e.action_id);
      expect(ids[0]).toMatch(/^pb:vote:\d{4}\.\d{4,5}$/);
      expect(ids[1]).toMatch(/^pb:save:/);
      expect(a.elements[0].text.text).toMatch(/^👍 Upvote \(\d+\)$/);
      for (const e of a.elements.slice(2)) expect(e.url).toMatch(/^https:\/\//);
    }
    expect(String(r.body.text)).toContain('•');
  });

  it('answers a mistake privately, with the same words as everywhere else', async () => {
    const r = await h.command('serch delta rule');
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toContain('Did you mean `/papers search`?');

    const missing = await h.command('show');
    expect(missing.body.response_type).toBe('ephemeral');
    expect(missing.body.text).toMatch(/needs `paper`/);
  });

  it('treats a bare /papers as help', async () => {
    const r = await h.command('');
    for (const c of commands) expect(String(JSON.stringify(r.body.blocks))).toContain(`/papers ${c.name}`);
  });

  it('hands the BibTeX export over as a private code block', async () => {
    await h.command('save 2608.14391');
    await h.command('save 2608.14290');
    const r = await h.command('export');
    expect(r.body.response_type).toBe('ephemeral');
    const code = (r.body.blocks as Array<Record<string, any>>).filter((b) => b.type === 'section' && b.text.text.startsWith('```'));
    expect(code).toHaveLength(1);
    const bib = code[0]!.text.text as string;
    expect(bib.match(/@\w+\{/g)).toHaveLength(2);
    expect(bib).toContain('2608.14391');
    expect(bib).toContain('2608.14290');
  });

  it('shows the CSL-JSON export privately as code blocks that are each a valid CSL-JSON array', async () => {
    await h.command('save 2608.14391 read me');
    await h.command('save 2608.14290');
    const r = await h.command('export csl-json');
    expect(r.body.response_type).toBe('ephemeral');
    const code = (r.body.blocks as Array<Record<string, any>>).filter((b) => b.type === 'section' && b.text.text.startsWith('```'));
    const items = code.flatMap((b) => JSON.parse((b.text.text as string).slice(3, -3).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Array<{ number: string; note?: string }>);
    expect(items.map((i) => i.number).sort()).toEqual(['arXiv:2608.14290', 'arXiv:2608.14391']);
    expect(items.find((i) => i.number === 'arXiv:2608.14391')!.note).toBe('read me');
  });

  it('keeps mentions in paper text inert', async () => {
    const p = (await h.runtime.store.papers.get('2608.14391'))!;
    await h.runtime.store.papers.upsertMany([{ paper: { ...p, title: 'Ping <!channel> and <!here> & <@U024BE7LH>', aiSummary: 'See <https://evil.example|this> <!subteam^S123>' }, listing: null }], new Date());
    const r = await h.command('show 2608.14391');
    const raw = JSON.stringify(r.body);
    expect(raw).not.toMatch(/<!channel>|<!here>|<@U024BE7LH>|<!subteam|<https:\/\/evil/);
    expect(raw).toContain('&lt;!channel&gt;');
    expect(raw).toContain('&amp;');
  });
});
