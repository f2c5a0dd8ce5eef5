import { readFileSync } from 'node:fs';
import { commands as declaredCommands } from '../../commands/index.ts';
import { startSlack, type SlackAdapter } from '../../adapters/slack/index.ts';
import { METHOD_SCOPES } from '../../adapters/slack/manifest.ts';
import type { Runtime } from '../../src/commands/dispatch.ts';
import type { CommandServices, CommandSpec } from '../../src/commands/types.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { FakeSlack, type FakeUser, type RecordedResponse } from '../support/fake-slack/fake-slack.ts';
import { SlackSender, type SendOptions, type SlashFields } from '../support/fake-slack/slack-requests.ts';

export const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TOKEN = 'xoxb-1111-2222-paperboytest';
export const TEAM = 'T111';
export const CHANNEL = 'C111';
export const NOW = '2026-08-17T12:00:00.000Z';

/** People in the fake workspace. */
export const PEOPLE: Record<string, FakeUser> = {
  admin: { id: 'UADMIN', team_id: TEAM, name: 'ada', is_admin: true },
  owner: { id: 'UOWNER', team_id: TEAM, name: 'olu', is_owner: true },
  member: { id: 'UMEMBER', team_id: TEAM, name: 'mia' },
  guest: { id: 'UGUEST', team_id: TEAM, name: 'gus', is_restricted: true },
  external: { id: 'UEXT', team_id: 'T999OTHER', name: 'eve', is_admin: true },
};

/** The first eight papers of a recorded HF day. */
export async function seedPapers(store: Store): Promise<string[]> {
  const json = JSON.parse(readFileSync(new URL('../fixtures/slack/hf_daily_papers_2026-08-17.slice.json', import.meta.url), 'utf8'));
  const parsed = parseHfDailyPapers(json, '2026-08-17');
  await store.papers.upsertMany(parsed.items, new Date(NOW));
  return parsed.items.map((i) => i.paper.id);
}

export async function makeRuntime(commands: readonly CommandSpec[] = declaredCommands): Promise<Runtime & { logger: ReturnType<typeof memoryLogger>; clock: ReturnType<typeof fixedClock> }> {
  const store = await openStore(':memory:');
  await seedPapers(store);
  const services: CommandServices = {
    postDigestNow: async () => ({ posted: 0, note: 'Nothing new to post today.' }),
    commands: () => commands,
  };
  return { store, clock: fixedClock(NOW), logger: memoryLogger(), services, commands };
}

export interface Harness {
  fake: FakeSlack;
  runtime: Awaited<ReturnType<typeof makeRuntime>>;
  adapter: SlackAdapter;
  slack: SlackSender;
  /** Runs `/papers <text>` as a person and returns what reached the response_url. */
  command(text: string, as?: FakeUser, extra?: Partial<SlashFields>, opts?: SendOptions): Promise<RecordedResponse>;
  close(): Promise<void>;
}

let nextResponse = 0;
export function responseId(prefix = 'r'): string {
  return `${prefix}-${++nextResponse}`;
}

export async function startHarness(opts: { commands?: readonly CommandSpec[]; managers?: string[] } = {}): Promise<Harness> {
  const fake = await FakeSlack.start({ token: TOKEN, teamId: TEAM });
  for (const u of Object.values(PEOPLE)) fake.users.set(u.id, u);
  const runtime = await makeRuntime(opts.commands);
  const adapter = await startSlack({
    settings: { botToken: TOKEN, signingSecret: SECRET, appToken: undefined, apiUrl: fake.apiUrl, managers: opts.managers ?? [] },
    runtime,
    logger: runtime.logger,
    port: 0,
    host: '127.0.0.1',
  });
  const slack = new SlackSender(`http://127.0.0.1:${adapter.port}/slack/events`, SECRET);
  return {
    fake,
    runtime,
    adapter,
    slack,
    async command(text, as = PEOPLE.member!, extra = {}, sendOpts) {
      const id = responseId('cmd');
      const res = await slack.slashCommand(
        { text, response_url: fake.responseUrl(id), team_id: TEAM, channel_id: CHANNEL, channel_name: 'papers', user_id: as.id, user_name: as.name ?? as.id, ...extra },
        sendOpts,
      );
      if (res.status !== 200) throw new Error(`slash command got HTTP ${res.status}`);
      return fake.waitFor(() => fake.responsesTo(id)[0], `the reply to /papers ${text}`);
    },
    async close() {
      await adapter.stop();
      await fake.close();
      await runtime.store.close();
      // Whatever the adapter called during the tests must have its scope in the manifest.
      const undeclared = [...new Set(fake.calls.map((c) => c.method))].filter((m) => !(m in METHOD_SCOPES));
      if (undeclared.length > 0) throw new Error(`Slack methods called without a scope in METHOD_SCOPES: ${undeclared.join(', ')}`);
      // No test here expects an error: a listener that failed would show up as one.
      const errors = runtime.logger.entries.filter((e) => e.level === 'error');
      if (errors.length > 0) throw new Error(`errors were logged: ${JSON.stringify(errors).slice(0, 2000)}`);
    },
  };
}
