import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.ts';
import type { CliCommand } from '../../src/cli/main.ts';
import { EXIT } from '../../src/cli/usage.ts';
import { manifestJson } from './manifest.ts';

const MANIFEST_PATH = fileURLToPath(new URL('../../slack/manifest.json', import.meta.url));
const OAUTH_MANIFEST_PATH = fileURLToPath(new URL('../../slack/manifest.oauth.json', import.meta.url));

/**
 * `paperboy slack:manifest`: the Slack app manifest generated from the command declarations,
 * to paste into "Create an app > From a manifest". `--write` refreshes slack/manifest.json
 * (test/slack/manifest.test.ts fails while it is stale). `--oauth`: the install-mode variant
 * (many workspaces: the OAuth redirect URL and the uninstall events), in slack/manifest.oauth.json.
 */
export const slackManifestCommand: CliCommand = {
  usage: 'paperboy slack:manifest [--oauth] [--write]',
  options: { write: { type: 'boolean' }, oauth: { type: 'boolean' } },
  allowPositionals: false,
  async run(args) {
    const oauth = Boolean(args.values.oauth);
    const json = manifestJson(commands, { oauth });
    if (args.values.write) {
      const path = oauth ? OAUTH_MANIFEST_PATH : MANIFEST_PATH;
      writeFileSync(path, json);
      process.stdout.write(`wrote ${path}\n`);
    } else {
      process.stdout.write(json.endsWith('\n') ? json : json + '\n');
    }
    return EXIT.ok;
  },
};
