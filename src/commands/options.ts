import { UserError } from '../domain/errors.ts';
import { flatClip } from './text.ts';
import type { CommandSpec, OptionSpec } from './types.ts';

export type RawOptions = Record<string, string | number | boolean | undefined>;

/**
 * Checks raw option values (strings from text, typed values from Discord) against the
 * declaration: types, limits, choices, required. Every problem is a UserError that says
 * what was expected.
 */
export function resolveOptions(spec: CommandSpec, raw: RawOptions): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  const known = new Set(spec.options.map((o) => o.name));
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && raw[key] !== undefined) {
      const names = spec.options.map((o) => `\`${o.name}\``).join(', ');
      throw new UserError('bad_option', `\`/papers ${spec.name}\` has no option \`${key}\`${names ? ` (it takes ${names})` : ''}.`);
    }
  }
  for (const opt of spec.options) {
    const value = raw[opt.name];
    if (value === undefined || value === '') {
      if (opt.required) throw new UserError('bad_option', `\`/papers ${spec.name}\` needs ${describe(opt)}. Usage: \`${usage(spec)}\``);
      out[opt.name] = undefined;
      continue;
    }
    out[opt.name] = coerce(spec, opt, value);
  }
  return out;
}

function coerce(spec: CommandSpec, opt: OptionSpec, value: string | number | boolean): string | number {
  const s = String(value).trim();
  switch (opt.type) {
    case 'string': {
      if (opt.minLength !== undefined && s.length < opt.minLength) {
        throw new UserError('bad_option', `\`${opt.name}\` must be at least ${opt.minLength} characters.`);
      }
      if (opt.maxLength !== undefined && s.length > opt.maxLength) {
        throw new UserError('bad_option', `\`${opt.name}\` can be at most ${opt.maxLength} characters (got ${s.length.toLocaleString('en-US')}).`);
      }
      return s;
    }
    case 'integer': {
      const n = typeof value === 'number' ? value : /^[+-]?\d{1,12}$/.test(s) ? Number(s) : NaN;
      if (!Number.isInteger(n)) throw new UserError('bad_option', `\`${opt.name}\` must be a whole number, not \`${flatClip(s, 40)}\`.`);
      if ((opt.min !== undefined && n < opt.min) || (opt.max !== undefined && n > opt.max)) {
        throw new UserError('bad_option', `\`${opt.name}\` must be between ${opt.min ?? '-∞'} and ${opt.max ?? '∞'}.`);
      }
      return n;
    }
    case 'choice': {
      const match = opt.choices.find((c) => c.toLowerCase() === s.toLowerCase());
      if (!match) {
        throw new UserError('bad_option', `\`${opt.name}\` must be one of ${opt.choices.map((c) => `\`${c}\``).join(', ')} (not \`${flatClip(s, 40)}\`). Usage: \`${usage(spec)}\``);
      }
      return match;
    }
  }
}

function describe(opt: OptionSpec): string {
  return `\`${opt.name}\` (${opt.description.replace(/\.$/, '').toLowerCase()})`;
}

/**
 * `/papers search <query> [page:N]`, from the declaration. Options after a rest-of-line
 * option can only be given by name in text form, so they are shown that way.
 */
export function usage(spec: CommandSpec): string {
  let afterRest = false;
  const parts = spec.options.map((o) => {
    const label = o.type === 'choice' ? o.choices.join('|') : afterRest ? `${o.name}:${o.type === 'integer' ? 'N' : '…'}` : o.name;
    if (o.type === 'string' && o.rest) afterRest = true;
    return o.required ? `<${label}>` : `[${label}]`;
  });
  return ['/papers', spec.name, ...parts].join(' ');
}
