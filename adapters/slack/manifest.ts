import type { CommandSpec } from '../../src/commands/types.ts';

/**
 * What the Slack app must be configured with, in one place: the adapter registers exactly
 * these, `slack/manifest.json` is generated from them, and a test fails when either drifts.
 */
export const SLASH_COMMAND = '/papers';

/** Bolt's default endpoint: slash commands, interactivity and events all arrive here. */
export const EVENTS_PATH = '/slack/events';

/** Events the adapter listens to. */
export const BOT_EVENTS = ['reaction_added', 'reaction_removed'] as const;

/** Install mode: the app leaving a workspace (no scope needed); its tokens are deleted and its channels stop. */
export const REMOVAL_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

/** Install mode's OAuth pages (Bolt's defaults, named here so the manifest and the adapter agree). */
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The scope each Web API method the adapter calls needs (a test keeps this complete). */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'users.info': ['users:read'],
  // The delivery check reads back recent posts (and their metadata) in public and private channels.
  'conversations.history': ['channels:history', 'groups:history'],
  // Thread replies are not in the history: a reaction's message, and a thread-mode digest's papers, are read back here.
  'conversations.replies': ['channels:history', 'groups:history'],
  // The weekly recap's chart (filesUploadV2 makes both calls); without the scope the recap carries a text table.
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  // Socket Mode's connection call uses the app-level token (connections:write), not a bot scope.
  'apps.connections.open': [],
};

const EVENT_SCOPES: Readonly<Record<(typeof BOT_EVENTS)[number], readonly string[]>> = {
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
};

/** Bot token scopes: slash commands plus whatever the methods and events need. */
export function botScopes(): string[] {
  const all = new Set<string>(['commands']);
  for (const scopes of Object.values(METHOD_SCOPES)) scopes.forEach((s) => all.add(s));
  for (const e of BOT_EVENTS) EVENT_SCOPES[e].forEach((s) => all.add(s));
  return [...all].sort();
}

/** Replace in the pasted manifest with the bot's public https address. */
export const REQUEST_URL_PLACEHOLDER = 'https://YOUR-PUBLIC-HOST/slack/events';

/** Replace in the OAuth manifest with the bot's public https address. */
export const REDIRECT_URL_PLACEHOLDER = `https://YOUR-PUBLIC-HOST${REDIRECT_PATH}`;

export interface ManifestOptions {
  /** Install mode (many workspaces): the OAuth redirect URL, and the events that say the app was removed. */
  oauth?: boolean;
}

/** The app manifest (Slack: Create New App > From a manifest). */
export function buildManifest(commands: readonly CommandSpec[], opts: ManifestOptions = {}): Record<string, unknown> {
  const manifest = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Paperboy',
      description: "The day's new research papers in your channels: search, vote, save.",
      background_color: '#2c2d30',
    },
    features: {
      bot_user: { display_name: 'Paperboy', always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          url: REQUEST_URL_PLACEHOLDER,
          description: 'Research papers: search, today, vote, save, digests',
          usage_hint: usageHint(commands),
          // Raw text, so quotes and key:value reach the parser as typed.
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: botScopes() } },
    settings: {
      event_subscriptions: { request_url: REQUEST_URL_PLACEHOLDER, bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, request_url: REQUEST_URL_PLACEHOLDER },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
  if (!opts.oauth) return manifest;
  return {
    ...manifest,
    oauth_config: { redirect_urls: [REDIRECT_URL_PLACEHOLDER], ...manifest.oauth_config },
    settings: { ...manifest.settings, event_subscriptions: { ...manifest.settings.event_subscriptions, bot_events: [...BOT_EVENTS, ...REMOVAL_EVENTS] } },
  };
}

/** `[search|today|...] ...`: what Slack shows while typing /papers. */
function usageHint(commands: readonly CommandSpec[]): string {
  const names = commands.map((c) => c.name);
  const hint = `[${names.join(' | ')}] …`;
  return hint.length <= 1000 ? hint : 'help';
}

export function manifestJson(commands: readonly CommandSpec[], opts: ManifestOptions = {}): string {
  return JSON.stringify(buildManifest(commands, opts), null, 2) + '\n';
}
