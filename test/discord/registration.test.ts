import { REST } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { discordInviteCommand, discordRegisterCommand, inviteUrl } from '../../adapters/discord/cli.ts';
import { buildCommandsJson, canonicalCommands, syncCommands } from '../../adapters/discord/registration.ts';
import { commands } from '../../commands/index.ts';
import { UsageError } from '../../src/cli/usage.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { APP_ID, GUILD, TOKEN } from './harness.ts';

const OPTION_TYPE = { string: 3, integer: 4, choice: 3 } as const;
const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

describe('registration JSON from the declarations', () => {
  const json = buildCommandsJson(commands);
  const root = json[0]!;

  it('matches the reviewed snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('is one /papers root open to members, usable in servers', () => {
    expect(json).toHaveLength(1);
    expect(root.name).toBe('papers');
    expect(root.default_member_permissions).toBeNull();
    expect(root.contexts).toEqual([0]);
  });

  it('has one type-1 subcommand per declared command, with every option typed and limited as declared', () => {
    expect(root.options?.map((o) => o.name)).toEqual(commands.map((c) => c.name));
    expect(root.options!.length).toBeLessThanOrEqual(25);
    for (const spec of commands) {
      const sub = root.options!.find((o) => o.name === spec.name) as any;
      expect(sub.type).toBe(1);
      expect(sub.name).toMatch(NAME);
      expect(sub.description.length).toBeGreaterThan(0);
      expect(sub.description.length).toBeLessThanOrEqual(100);
      expect(sub.options).toHaveLength(spec.options.length);
      // Discord rejects a required option after an optional one.
      const required = sub.options.map((o: any) => o.required);
      expect(required).toEqual([...required].sort((a: boolean, b: boolean) => Number(b) - Number(a)));
      for (const opt of spec.options) {
        const o = sub.options.find((x: any) => x.name === opt.name);
        expect(o.name).toMatch(NAME);
        expect(o.type).toBe(OPTION_TYPE[opt.type]);
        expect(o.required).toBe(!!opt.required);
        expect(o.description.length).toBeLessThanOrEqual(100);
        if (opt.type === 'string') {
          expect(o.max_length).toBe(opt.maxLength);
          expect(o.min_length).toBe(opt.minLength);
          expect(o.autocomplete ?? false).toBe(!!opt.autocomplete);
        }
        if (opt.type === 'integer') {
          expect(o.min_value).toBe(opt.min);
          expect(o.max_value).toBe(opt.max);
        }
        if (opt.type === 'choice') expect(o.choices).toEqual(opt.choices.map((c) => ({ name: c, value: c })));
      }
    }
  });
});

describe('syncing with Discord', () => {
  let fake: FakeDiscord;
  let rest: REST;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN, appId: APP_ID, guilds: [GUILD] });
    rest = new REST({ api: fake.apiUrl }).setToken(TOKEN);
  });
  afterEach(() => fake.assertNoUnmatched());
  afterAll(async () => fake.close());

  it('overwrites once, then sees no difference and sends nothing', async () => {
    const wanted = buildCommandsJson(commands);
    expect(await syncCommands(rest, APP_ID, wanted)).toEqual({ changed: true, scope: 'globally' });
    expect(fake.callsTo('PUT', /^\/applications\/\d+\/commands$/)).toHaveLength(1);
    expect(canonicalCommands(fake.registered.get('global')!)).toBe(canonicalCommands(wanted));

    expect(await syncCommands(rest, APP_ID, wanted)).toEqual({ changed: false, scope: 'globally' });
    expect(fake.callsTo('PUT', /^\/applications\/\d+\/commands$/)).toHaveLength(1);
    expect(fake.callsTo('GET', /^\/applications\/\d+\/commands$/)).toHaveLength(2);
  });

  it('overwrites again when a declaration changed', async () => {
    const changed = buildCommandsJson(commands.map((c, i) => (i === 0 ? { ...c, description: `${c.description} (new)` } : c)));
    expect((await syncCommands(rest, APP_ID, changed)).changed).toBe(true);
    expect(fake.registered.get('global')![0].options[0].description).toMatch(/\(new\)$/);
  });

  it('registers per guild when asked', async () => {
    const result = await syncCommands(rest, APP_ID, buildCommandsJson(commands), GUILD.id);
    expect(result).toEqual({ changed: true, scope: `in guild ${GUILD.id}` });
    expect(fake.registered.get(GUILD.id)).toHaveLength(1);
  });

  it('runs as `discord:register` with the environment, and says when nothing was sent', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const env = { DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: APP_ID, DISCORD_API_URL: fake.apiUrl };
      expect(await discordRegisterCommand.run({ values: { guild: GUILD.id }, positionals: [], env })).toBe(0);
      expect(String(out.mock.calls.at(-1)?.[0])).toMatch(/already registered in guild .* nothing sent/);
    } finally {
      out.mockRestore();
    }
  });
});

describe('CLI', () => {
  it('--dry-run prints the JSON and needs no token', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await discordRegisterCommand.run({ values: { 'dry-run': true }, positionals: [], env: {} })).toBe(0);
      expect(JSON.parse(String(out.mock.calls[0]?.[0]))).toEqual(buildCommandsJson(commands));
    } finally {
      out.mockRestore();
    }
  });

  it('refuses a malformed --guild as bad usage', async () => {
    await expect(discordRegisterCommand.run({ values: { guild: 'general' }, positionals: [], env: {} })).rejects.toBeInstanceOf(UsageError);
  });

  it('names the missing settings', async () => {
    await expect(discordRegisterCommand.run({ values: {}, positionals: [], env: {} })).rejects.toThrow(/DISCORD_TOKEN and DISCORD_APP_ID/);
  });

  it('prints an invite with exactly the bot and applications.commands scopes and the permissions the bot uses', async () => {
    const url = new URL(inviteUrl(APP_ID));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(APP_ID);
    expect(url.searchParams.get('scope')!.split(' ').sort()).toEqual(['applications.commands', 'bot']);
    // View Channel, Send Messages, Send Messages in Threads, Embed Links, Read Message History; nothing else.
    const expected = (1n << 10n) | (1n << 11n) | (1n << 38n) | (1n << 14n) | (1n << 16n);
    expect(BigInt(url.searchParams.get('permissions')!)).toBe(expected);

    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await discordInviteCommand.run({ values: { guild: GUILD.id }, positionals: [], env: { DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: APP_ID } })).toBe(0);
      const printed = new URL(String(out.mock.calls[0]?.[0]).trim());
      expect(printed.searchParams.get('guild_id')).toBe(GUILD.id);
      expect(printed.searchParams.get('client_id')).toBe(APP_ID);
    } finally {
      out.mockRestore();
    }
  });
});
