import { main, type CliTable } from '../src/cli/main.ts';

/**
 * The CLI's command table: the composition root, where the core meets the adapters. Every
 * entry is loaded only when run, so `paperboy search` starts without discord.js or Bolt.
 */
export const cliTable: CliTable = {
  start: { summary: 'run the bot: Discord and/or Slack when their tokens are set, else the terminal console', load: async () => (await import('./start.ts')).startCli },
  run: { summary: 'run one /papers command through the console adapter and print the reply', load: async () => (await import('./console/cli.ts')).runCli },
  ingest: { summary: 'load papers from a file, or fetch them from Hugging Face or arXiv', load: async () => (await import('../src/cli/ingest.ts')).ingestCommand },
  search: { summary: 'search the store; --json prints [{id, title, ...}] best first', load: async () => (await import('../src/cli/search.ts')).searchCli },
  backup: { summary: 'copy the SQLite store to FILE, safely while the bot runs (PostgreSQL: use pg_dump)', load: async () => (await import('../src/cli/backup.ts')).backupCli },
  digest: { summary: "show what a channel's next digest would post", load: async () => (await import('./console/cli.ts')).digestCli },
  feed: { summary: "print a channel's Atom feed (the papers posted there, newest first)", load: async () => (await import('./console/cli.ts')).feedCli },
  'discord:register': { summary: 'register /papers with Discord (sends it only when it changed)', load: async () => (await import('./discord/cli.ts')).discordRegisterCommand },
  'discord:invite': { summary: 'print the link that adds the bot to a Discord server', load: async () => (await import('./discord/cli.ts')).discordInviteCommand },
  'slack:manifest': { summary: 'print the Slack app manifest (--oauth: for install mode; --write refreshes slack/manifest.json or manifest.oauth.json)', load: async () => (await import('./slack/cli.ts')).slackManifestCommand },
};

export function runCli(argv: string[]): Promise<number> {
  return main(argv, cliTable);
}
