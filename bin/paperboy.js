#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx paperboy` and `npm start` need no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../adapters/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
