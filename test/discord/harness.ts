import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import { startDiscord, type DiscordStartOptions } from '../../adapters/discord/index.ts';
import type { PlatformAdapter } from '../../adapters/types.ts';
import { commands as allCommands } from '../../commands/index.ts';
import type { Runtime } from '../../src/commands/dispatch.ts';
import type { CommandServices, CommandSpec } from '../../src/commands/types.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { memoryLogger } from '../../src/logger.ts';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { FakeDiscord, Perm, type FakeGuild, type FakeUser, type Where } from '../support/fake-discord/index.ts';

export const TOKEN = 'fake-bot-token.abc';
export const APP_ID = '1400000000000000001';
export const GUILD: FakeGuild = { id: '1400000000000000100', name: 'Reading Group', channels: [{ id: '1400000000000000200', name: 'papers' }, { id: '1400000000000000201', name: 'general' }] };
export const CHANNEL_ID = GUILD.channels[0]!.id;
export const ALICE: FakeUser = { id: '1400000000000001001', username: 'alice' };
export const BOB: FakeUser = { id: '1400000000000001002', username: 'bob' };
export const OTHER_BOT: FakeUser = { id: '1400000000000001003', username: 'otherbot', bot: true };
export const NOW = '2026-08-18T09:00:00Z';
/** On HF Daily Papers 2026-08-17 (the fixture), and the id the command examples use. */
export const PAPER_ID = '2608.14391';

const FIXTURES = new URL('../fixtures/discord/', import.meta.url);

/** The recorded HF days, ingested the way the product ingests them. */
export async function seedPapers(store: Store): Promise<void> {
  for (const day of ['2026-08-17', '2026-08-18']) {
    const json = JSON.parse(readFileSync(new URL(`daily_papers_${day}.json`, FIXTURES), 'utf8'));
    const parsed = parseHfDailyPapers(json, day);
    await store.papers.upsertMany(parsed.items, new Date(NOW));
  }
}

export interface Harness {
  fake: FakeDiscord;
  store: Store;
  runtime: Runtime;
  adapter: PlatformAdapter;
  logger: ReturnType<typeof memoryLogger>;
  services: CommandServices & { postDigestNow: ReturnType<typeof vi.fn> };
  where(user?: FakeUser, permissions?: string, channelId?: string): Where;
  close(): Promise<void>;
}

export interface HarnessOptions extends DiscordStartOptions {
  commands?: readonly CommandSpec[];
  heartbeatIntervalMs?: number;
}

/** A fake Discord, a seeded in-memory store, and the real adapter logged in to the fake. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: [GUILD], heartbeatIntervalMs: options.heartbeatIntervalMs });
  const store = await openStore(':memory:');
  await seedPapers(store);
  const commands = options.commands ?? allCommands;
  const logger = memoryLogger();
  const services = {
    postDigestNow: vi.fn(async () => ({ posted: 0, note: 'Nothing new to post right now.' })),
    commands: () => commands,
  };
  const runtime: Runtime = { store, clock: fixedClock(NOW), logger, services, commands };
  const adapter = await startDiscord({ settings: { token: TOKEN, appId: APP_ID, apiUrl: fake.apiUrl }, runtime, logger }, options);
  return {
    fake,
    store,
    runtime,
    adapter,
    logger,
    services,
    where: (user = ALICE, permissions = Perm.member, channelId = CHANNEL_ID) => ({ appId: APP_ID, guild: GUILD, channelId, user, permissions }),
    async close() {
      await adapter.stop();
      await fake.close();
      await store.close();
    },
  };
}
