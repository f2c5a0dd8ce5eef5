import { UserError } from '../domain/errors.ts';
import { clip } from '../domain/clip.ts';
import { isIsoDay } from '../domain/clock.ts';
import { titleKey } from '../domain/paper.ts';

/**
 * The search language people type, parsed into a small tree that no database ever sees as
 * syntax. Words are ANDed; "quoted phrases"; -word (or NOT word) excludes; OR joins its
 * neighbours; author:name and title:word limit a term to one field; since:YYYY-MM-DD limits
 * by date. Everything else (stray quotes, parentheses, NEAR, ^, *, unknown key:value,
 * punctuation, emoji) is read as plain words.
 */
export interface SearchQuery {
  /** Every clause must match; a clause matches when any of its terms does (OR). */
  must: Term[][];
  /** No term here may match. */
  not: Term[];
  since: string | null;
  /**
   * The whole input as a title key: an exact title finds its paper first, whatever operators
   * it seems to hold ("RM -RF: Reward Model...", "Do NOT Think That Much..."). Only a whole
   * title matches, so a query that really uses operators is never taken for one.
   */
  titleKey: string | null;
  /** The input, whitespace-collapsed, for echoing back. */
  text: string;
  /**
   * The plain word the input ends with, which may be only half-typed: where it sits in `must`,
   * and the known words it may be the start of (see completeLastWord). Papers that only a
   * completion matches rank below those that match the word as typed.
   */
  lastWord?: LastWord | null;
}

export interface LastWord {
  clause: number;
  term: number;
  completions: readonly string[];
}

export interface Term {
  /** Lower-case word tokens; more than one means a phrase. */
  tokens: string[];
  field: 'any' | 'title' | 'authors';
  /** Typed in quotes: taken as typed, never corrected or completed. */
  quoted?: boolean;
}

export const QUERY_LIMITS = { maxChars: 500, maxTerms: 32 } as const;

type KeyMeaning = Term['field'] | 'since';

/**
 * Keys people type before a colon. Field names borrowed from arXiv's or FTS5's syntax that we
 * do not scope to (abstract, keywords, all) mean "anywhere": every field is searched anyway.
 */
const KEYS: Record<string, KeyMeaning> = {
  author: 'authors',
  authors: 'authors',
  au: 'authors',
  authors_text: 'authors',
  title: 'title',
  ti: 'title',
  since: 'since',
  abstract: 'any',
  abs: 'any',
  summary: 'any',
  keywords: 'any',
  keyword: 'any',
  keywords_text: 'any',
  all: 'any',
};

/**
 * Splits text into the words FTS5's unicode61 tokenizer would index: runs of letters, digits
 * and private-use characters, with combining marks continuing a word (as unicode61 does when it
 * removes diacritics). Every word reaches FTS5 inside double quotes and is tokenized again
 * there, so a character we keep that unicode61 treats as a separator only splits a phrase.
 */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu) ?? [];
}

interface RawPart {
  text: string;
  quoted: boolean;
  negated: boolean;
  key: KeyMeaning | null;
  /** A `since:` with nothing after it. */
  emptyKey?: boolean;
}

/** `key:` or FTS5's `{col ...}:` (optionally with spaces around the colon) at the start of `s`. */
const KEY_PREFIX = /^(?:([A-Za-z_]+)|\{([^{}]*)\})(\s*):(\s*)/;

function readKey(s: string): { key: KeyMeaning | null; length: number; empty: boolean } | null {
  const m = KEY_PREFIX.exec(s);
  if (!m) return null;
  const rest = s.slice(m[0].length);
  const empty = rest.length === 0;
  if (m[1] !== undefined) {
    const meaning = KEYS[m[1].toLowerCase()];
    // `foo:bar` is one compound word (like `20.04`), and `Them All: A Survey` is part of a title:
    // only known keys count, and only written against their value unless it is a filter key.
    if (meaning === undefined) return null;
    const spaced = m[3] !== '' || m[4] !== '';
    if (spaced && meaning === 'any') return null;
    return { key: meaning, length: m[0].length, empty };
  }
  // A column filter: one column we scope to keeps its meaning; anything else searches everywhere.
  const cols = m[2]!.trim().split(/\s+/).filter(Boolean).map((c) => KEYS[c.toLowerCase()]);
  const scoped = cols.length === 1 && cols[0] !== undefined && cols[0] !== 'since' ? cols[0] : 'any';
  return { key: scoped, length: m[0].length, empty };
}

/** FTS5's NEAR(a b, 5) groups: keep the words, drop the operator and the distance. */
function unwrapNear(input: string): string {
  return input.replace(/\bNEAR\s*\(([^()]*)\)/g, (_, inner: string) => ` ${inner.replace(/,\s*\d+\s*$/, '')} `);
}

function lex(input: string): RawPart[] {
  const parts: RawPart[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
  while (i < input.length) {
    // An opening parenthesis groups nothing here (`(a OR b) c` reads the same without it).
    while (i < input.length && (isSpace(input[i]) || input[i] === '(')) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && !isSpace(input[i + 1])) {
      negated = true;
      i++;
    }
    let key: KeyMeaning | null = null;
    const k = readKey(input.slice(i));
    if (k) {
      if (k.empty) {
        parts.push({ text: '', quoted: false, negated, key: k.key, emptyKey: true });
        break;
      }
      key = k.key;
      i += k.length;
    }
    if (input[i] === '"') {
      // A stray opening quote runs to the end of the input: the words still count.
      const close = input.indexOf('"', i + 1);
      const end = close === -1 ? input.length : close;
      parts.push({ text: input.slice(i + 1, end), quoted: true, negated, key });
      i = end + 1;
    } else {
      let end = i;
      while (end < input.length && !isSpace(input[end])) end++;
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
  let lastWord: LastWord | null = null;

  for (const part of lex(unwrapNear(text))) {
    lastWord = null;
    if (part.emptyKey) {
      if (part.key === 'since') throw new UserError('bad_query', '`since:` wants a date like 2025-06-01.');
      continue;
    }
    if (!part.quoted && !part.key && !part.negated) {
      if (part.text === 'OR' || part.text === '|') {
        pendingOr = must.length > 0;
        continue;
      }
      if (part.text === 'AND' || part.text === 'NEAR' || /^NEAR\/\d+$/.test(part.text)) continue;
      if (part.text === 'NOT') {
        pendingNot = true;
        continue;
      }
    }
    if (part.key === 'since') {
      const day = part.text.trim();
      if (!isIsoDay(day)) throw new UserError('bad_query', `\`since:\` wants a date like 2025-06-01, not \`${clip(day, 40)}\`.`);
      since = day;
      continue;
    }
    const field: Term['field'] = part.key ?? 'any';
    const tokens = wordTokens(part.text);
    if (tokens.length === 0) continue;
    // A quoted string, a compound word (`multi-agent`, `who's`, `20.04`) and an author name are each one phrase.
    const terms: Term[] =
      part.quoted || field === 'authors' || !/\s/.test(part.text) ? [{ tokens, field, ...(part.quoted ? { quoted: true } : {}) }] : tokens.map((t) => ({ tokens: [t], field }));
    if (part.negated || pendingNot) {
      not.push(...terms);
      pendingNot = false;
      pendingOr = false;
      continue;
    }
    if (pendingOr) {
      must[must.length - 1]!.push(terms[0]!);
      for (const t of terms.slice(1)) must.push([t]);
      pendingOr = false;
    } else {
      for (const t of terms) must.push([t]);
    }
    const last = terms[terms.length - 1]!;
    if (!part.quoted && field !== 'authors' && last.tokens.length === 1) {
      const clause = must.findIndex((c) => c.includes(last));
      lastWord = { clause, term: must[clause]!.indexOf(last), completions: [] };
    }
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
  return { must, not, since, titleKey: titleKey(text) || null, text, lastWord };
}

/** The word at `at` in `q`. */
export function termAt(q: SearchQuery, at: { clause: number; term: number }): Term {
  return q.must[at.clause]![at.term]!;
}

/**
 * The second tier of a search whose last word has completions: the papers that match the
 * query with the last word's clause replaced by its completions, and that the query as typed
 * does not match (so the tiers never overlap). Null when there is nothing to complete.
 */
export function withCompletionsTier(q: SearchQuery): SearchQuery | null {
  const last = q.lastWord;
  if (!last || last.completions.length === 0) return null;
  const clause = q.must[last.clause]!;
  const field = termAt(q, last).field;
  return {
    ...q,
    must: q.must.map((c, i) => (i === last.clause ? last.completions.map((w) => ({ tokens: [w], field })) : c)),
    not: [...q.not, ...clause],
    titleKey: null,
    lastWord: null,
  };
}

/** A canonical spelling of a query: two topics that mean the same thing get the same key. */
export function queryKey(q: SearchQuery): string {
  const term = (t: Term) => `${t.field === 'any' ? '' : t.field + ':'}${t.tokens.join(' ')}`;
  const clauses = q.must.map((c) => c.map(term).sort().join(' | ')).sort();
  const nots = q.not.map((t) => '-' + term(t)).sort();
  return [...clauses, ...nots, ...(q.since ? [`since:${q.since}`] : [])].join(' & ');
}

/**
 * Whether the query asks only for author names (`author:"Tri Dao"`, `author:dao OR author:gu`,
 * with exclusions or since: at will): both stores list such matches newest first, unranked.
 */
export function byAuthorOnly(q: SearchQuery): boolean {
  return q.must.length > 0 && q.must.every((c) => c.every((t) => t.field === 'authors'));
}
