import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.ts';
import type { CliCommand } from '../../src/cli/main.ts';
import { EXIT } from '../../src/cli/usage.ts';
import { manifestJson } from './manifest.ts';

const MANIFEST_PATH = fileURLToPath(new URL('../../slack/manifest.json', import.meta.url));

/**
 * `paperboy slack:manifest`: the Slack app manifest generated from the command declarations,
 * to paste into "Create an app > From a manifest". `--write` refreshes slack/manifest.json
 * (test/slack/manifest.test.ts fails while it is stale).
 */
export const slackManifestCommand: CliCommand = {
  usage: 'paperboy slack:manifest [--write]',
  options: { write: { type: 'boolean' } },
  allowPositionals: false,
  async run(args) {
    const json = manifestJson(commands);
    if (args.values.write) {
      writeFileSync(MANIFEST_PATH, json);
      process.stdout.write(`wrote ${MANIFEST_PATH}\n`);
    } else {
      process.stdout.write(json.endsWith('\n') ? json : json + '\n');
    }
    return EXIT.ok;
  },
};
