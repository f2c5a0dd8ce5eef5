#!/usr/bin/env node
// `npm run fuzz`: runs test/fuzz/main.ts through tsx, like bin/paperboy-bench.js (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../test/fuzz/main.ts');
