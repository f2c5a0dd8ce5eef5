import { UserError } from '../domain/errors.ts';
import { isIsoDay } from '../domain/clock.ts';
import { titleKey } from '../domain/paper.ts';

/**
 * The search language people type, parsed into a small tree that no database ever sees as
 * syntax. Words are ANDed; "quoted phrases"; -word excludes; OR joins its neighbours;
 * author:name and title:word limit a term to one field; since:YYYY-MM-DD limits by date.
 * Everything else (stray quotes, FTS5 operators, unknown key:value, punctuation, emoji)
 * is read as plain words.
 */
export interface SearchQuery {
  /** Every clause must match; a clause matches when any of its terms does (OR). */
  must: Term[][];
  /** No term here may match. */
  not: Term[];
  since: string | null;
  /** The whole input as a title key when it has no operators: an exact title finds its paper first. */
  titleKey: string | null;
  /** The input, whitespace-collapsed, for echoing back. */
  text: string;
}

export interface Term {
  /** Lower-case word tokens; more than one means a phrase. */
  tokens: string[];
  field: 'any' | 'title' | 'authors';
}

export const QUERY_LIMITS = { maxChars: 500, maxTerms: 32 } as const;

const FIELD_KEYS: Record<string, Term['field']> = { author: 'authors', authors: 'authors', au: 'authors', title: 'title', ti: 'title' };

/** Splits text into the tokens FTS5's unicode61 tokenizer would index: runs of letters and digits. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
}

interface RawPart {
  text: string;
  quoted: boolean;
  negated: boolean;
  key: string | null;
}

function lex(input: string): RawPart[] {
  const parts: RawPart[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    let key: string | null = null;
    const keyMatch = /^([A-Za-z]+):(?=\S)/.exec(input.slice(i));
    if (keyMatch) {
      key = keyMatch[1]!.toLowerCase();
      i += keyMatch[0].length;
    }
    if (input[i] === '"') {
      // A stray opening quote runs to the end of the input: the words still count.
      const close = input.indexOf('"', i + 1);
      const end = close === -1 ? input.length : close;
      parts.push({ text: input.slice(i + 1, end), quoted: true, negated, key });
      i = end + 1;
    } else {
      let end = i;
      while (end < input.length && !/\s/.test(input[end]!)) end++;
      parts.push({ text: input.slice(i, end), quoted: false, negated, key });
      i = end;
    }
  }
  return parts;
}

export function parseSearchQuery(input: string): SearchQuery {
  const text = input.replace(/\s+/g, ' ').trim();
  if (text.length === 0) throw new UserError('bad_query', 'Tell me what to look for, e.g. `/papers search delta rule`.');
  if (text.length > QUERY_LIMITS.maxChars) {
    throw new UserError(
      'bad_query',
      `That search is ${text.length.toLocaleString('en-US')} characters long; please keep it under ${QUERY_LIMITS.maxChars}.`,
    );
  }

  const must: Term[][] = [];
  const not: Term[] = [];
  let since: string | null = null;
  let pendingOr = false;
  let pendingNot = false;
  let plainWordsOnly = true;

  for (const part of lex(text)) {
    if (!part.quoted && !part.key && !part.negated) {
      if (part.text === 'OR') {
        pendingOr = must.length > 0;
        plainWordsOnly = false;
        continue;
      }
      if (part.text === 'AND') continue;
      if (part.text === 'NOT') {
        pendingNot = true;
        plainWordsOnly = false;
        continue;
      }
    }
    if (part.key === 'since') {
      const day = part.text.trim();
      if (!isIsoDay(day)) throw new UserError('bad_query', `\`since:\` wants a date like 2025-06-01, not \`${day.slice(0, 40)}\`.`);
      since = day;
      plainWordsOnly = false;
      continue;
    }
    const field: Term['field'] = (part.key ? FIELD_KEYS[part.key] : undefined) ?? 'any';
    // An unknown key (e.g. `abstract:` or `foo:`) is just more words.
    const raw = part.key && field === 'any' ? `${part.key} ${part.text}` : part.text;
    if (part.negated || field !== 'any') plainWordsOnly = false;
    const tokens = wordTokens(raw);
    if (tokens.length === 0) continue;
    // A quoted string or a hyphenated/apostrophe word is one phrase; so is an author name.
    const terms: Term[] =
      part.quoted || field === 'authors' || !/\s/.test(raw) ? [{ tokens, field }] : tokens.map((t) => ({ tokens: [t], field }));
    if (part.negated || pendingNot) {
      not.push(...terms);
      pendingNot = false;
      continue;
    }
    if (pendingOr && terms.length > 0) {
      must[must.length - 1]!.push(terms[0]!);
      for (const t of terms.slice(1)) must.push([t]);
      pendingOr = false;
      continue;
    }
    for (const t of terms) must.push([t]);
  }

  const termCount = must.reduce((n, c) => n + c.length, 0) + not.length;
  if (termCount > QUERY_LIMITS.maxTerms) {
    throw new UserError('bad_query', `That search has ${termCount} terms; please use at most ${QUERY_LIMITS.maxTerms}.`);
  }
  if (must.length === 0) {
    throw new UserError(
      'bad_query',
      not.length > 0
        ? 'Add at least one word to look for; `-word` only excludes.'
        : 'I found no words to search for in that. Try a few keywords, e.g. `/papers search diffusion transformer`.',
    );
  }
  return { must, not, since, titleKey: plainWordsOnly ? titleKey(text) : null, text };
}

/** A canonical spelling of a query: two topics that mean the same thing get the same key. */
export function queryKey(q: SearchQuery): string {
  const term = (t: Term) => `${t.field === 'any' ? '' : t.field + ':'}${t.tokens.join(' ')}`;
  const clauses = q.must.map((c) => c.map(term).sort().join(' | ')).sort();
  const nots = q.not.map((t) => '-' + term(t)).sort();
  return [...clauses, ...nots, ...(q.since ? [`since:${q.since}`] : [])].join(' & ');
}
