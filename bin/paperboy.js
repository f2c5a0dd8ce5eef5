#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx paperboy` and `npm start` need no build step.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { register } from 'tsx/esm/api';

// A .env in the working directory fills in what the environment leaves unset.
if (existsSync('.env')) {
  for (const [key, value] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

register();
const { runCli } = await import('../adapters/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
