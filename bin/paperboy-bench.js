#!/usr/bin/env node
// `npm run bench`: runs bench/main.ts through tsx, like bin/paperboy.js runs the CLI (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../bench/main.ts');
