import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { BOT_EVENTS, buildManifest, EVENTS_PATH, manifestJson, METHOD_SCOPES, REQUEST_URL_PLACEHOLDER, SLASH_COMMAND } from '../../adapters/slack/manifest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADAPTER = join(ROOT, 'adapters/slack');

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file, text: readFileSync(file, 'utf8') };
    });
}

/** `client.chat.update(`, `this.client.users.info(`: the Web API methods the adapter's code calls. */
function calledMethods(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { file, text } of sources(ADAPTER)) {
    for (const m of text.matchAll(/\bclient\.([a-z]+)\.([a-zA-Z]+)\(/g)) found.set(`${m[1]}.${m[2]}`, file);
    // The WebClient's upload helper makes these two Web API calls (and a POST to the upload URL they give).
    if (/\bclient\.filesUploadV2\(/.test(text)) for (const m of ['files.getUploadURLExternal', 'files.completeUploadExternal']) found.set(m, file);
  }
  return found;
}

describe('slack/manifest.json', () => {
  it('is what the code declares (regenerate: npx paperboy slack:manifest --write)', () => {
    const committed = readFileSync(join(ROOT, 'slack/manifest.json'), 'utf8');
    expect(committed, 'slack/manifest.json is stale: run `npx paperboy slack:manifest --write`').toBe(manifestJson(commands));
  });

  it('has one slash command, events and interactivity, all on the endpoint Bolt serves', () => {
    const m = buildManifest(commands) as any;
    expect(m.features.slash_commands).toHaveLength(1);
    expect(m.features.slash_commands[0].command).toBe(SLASH_COMMAND);
    expect(REQUEST_URL_PLACEHOLDER.endsWith(EVENTS_PATH)).toBe(true);
    for (const url of [m.features.slash_commands[0].url, m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url]) expect(url).toBe(REQUEST_URL_PLACEHOLDER);
    expect(m.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    expect(m.oauth_config.scopes.bot).toContain('reactions:read');
    expect(m.oauth_config.scopes.bot).toContain('commands');
    for (const c of commands) expect(m.features.slash_commands[0].usage_hint).toContain(c.name);
  });

  it('grants a scope for every Web API method the adapter calls, and none it does not', () => {
    const called = calledMethods();
    expect(called.size).toBeGreaterThan(3);
    for (const [method, file] of called) expect(METHOD_SCOPES, `${method} (called in ${file}) needs its scope in METHOD_SCOPES`).toHaveProperty([method]);
    // apps.connections.open is called by Bolt's Socket Mode receiver, not by our code (startup.test.ts sees it at the fake).
    const unused = Object.keys(METHOD_SCOPES).filter((m) => !called.has(m) && m !== 'apps.connections.open');
    expect(unused, 'METHOD_SCOPES lists methods nothing calls').toEqual([]);
  });

  it('lists the events and the slash command the adapter registers', () => {
    const code = sources(ADAPTER).map((s) => s.text).join('\n');
    // Listeners are registered from the manifest's own constants, never from literals.
    expect(code).not.toMatch(/app\.event\(\s*['"`]/);
    expect(code).not.toMatch(/app\.command\(\s*['"`]/);
    expect(code).toMatch(/for \(const name of BOT_EVENTS\) \{\s*app\.event\(name/);
    expect(code).toMatch(/app\.command\(SLASH_COMMAND/);
  });
});
