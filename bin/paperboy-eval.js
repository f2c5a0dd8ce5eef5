#!/usr/bin/env node
// `npm run eval`: runs bench/eval.ts through tsx, like bin/paperboy-bench.js runs the benchmark (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../bench/eval.ts');
