import { UserError } from '../domain/errors.ts';
import type { RawOptions } from './options.ts';
import { flatClip } from './text.ts';
import type { CommandSpec } from './types.ts';

export interface TextInvocation {
  command: string;
  options: RawOptions;
}

interface Token {
  /** As typed, quotes included. */
  raw: string;
  /** Quotes removed. */
  value: string;
}

/**
 * Reads `/papers <subcommand> ...` typed as text (Slack, console) against the declarations:
 * the first word picks the subcommand; `name:value` sets an option by name; other words fill
 * the options in declared order, "quoted" words counting as one; an option declared `rest`
 * takes the remainder of the line, so options declared after it are given by name.
 */
export function parseCommandText(text: string, commands: readonly CommandSpec[]): TextInvocation {
  const body = text.trim().replace(/^\/papers\b/i, '').trim();
  const tokens = tokenize(body);
  const first = tokens.shift();
  if (!first) return { command: 'help', options: {} };
  const name = first.value.toLowerCase();
  const spec = commands.find((c) => c.name === name);
  if (!spec) {
    const guess = closest(name, commands.map((c) => c.name));
    throw new UserError(
      'unknown_command',
      `I don't know \`/papers ${flatClip(first.value, 60)}\`.${guess ? ` Did you mean \`/papers ${guess}\`?` : ''} Try \`/papers help\`.`,
    );
  }

  const options: RawOptions = {};
  const optionNames = new Set(spec.options.map((o) => o.name));
  const positional: Token[] = [];
  for (const t of tokens) {
    const kv = /^([a-z_]+):(.+)$/s.exec(t.raw);
    if (kv && optionNames.has(kv[1]!)) {
      options[kv[1]!] = unquote(kv[2]!);
      continue;
    }
    positional.push(t);
  }

  // Options after a `rest` option can only be given by name (`page:2`): otherwise
  // `/papers search gpt 4` could not say whether 4 is a word or a page.
  for (const opt of spec.options) {
    if (positional.length === 0) break;
    if (options[opt.name] !== undefined) continue;
    if (opt.type === 'string' && opt.rest) {
      const rest = positional.splice(0);
      options[opt.name] = opt.rest === 'raw' || rest.length > 1 ? rest.map((t) => t.raw).join(' ') : rest[0]!.value;
      break;
    }
    options[opt.name] = positional.shift()!.value;
  }
  if (positional.length > 0) {
    throw new UserError('bad_option', `\`/papers ${spec.name}\` got more than it takes: \`${flatClip(positional.map((t) => t.raw).join(' '), 60)}\`. Try \`/papers help ${spec.name}\`.`);
  }
  return { command: spec.name, options };
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  // A word, possibly with "quoted parts" inside (author:"Yann LeCun"); an unclosed quote runs to the end.
  const re = /(?:[^\s"“”]+|["“”][^"“”]*(?:["“”]|$))+/g;
  for (const m of s.matchAll(re)) out.push({ raw: m[0], value: unquote(m[0]) });
  return out;
}

function unquote(s: string): string {
  return s.replace(/["“”]/g, '');
}

/** The command name nearest to a typo, if one is close. */
function closest(word: string, names: string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(word.slice(0, 20), n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
