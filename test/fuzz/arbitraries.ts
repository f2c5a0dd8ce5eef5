import fc from 'fast-check';

/*
 * Generators of hostile input, shared by every fuzz property: the things people paste into a
 * chat box and the things a source may send. Each piece is here because it has broken (or
 * could break) a parser, a database or a platform limit somewhere.
 */

/** Quotes, brackets and FTS5 / tsquery / SQL syntax. */
export const SYNTAX = [
  '"', '""', '"unclosed', 'closed"', '“', '”', '“curly', "'", "''", '`', '```', '*', '^', ':', '::', '(', ')', '((', '{', '}', '[', ']',
  '+', '-', '--', ',', '.', '/', '\\', '|', '&', '!', '~', '<', '>', '<->', '=', ';', '?', '#', '$', '%', '@', '<@123>', '<!channel>', '@everyone',
  'AND', 'OR', 'NOT', 'NEAR', 'NEAR(a b)', 'NEAR(a b, 5)', 'NEAR(', 'NEAR/3', 'and', 'or', 'not', 'near', 'MATCH', 'rank', 'rowid', 'bm25(',
  'title:', 'author:', 'au:', 'ti:', 'since:', 'abstract:', 'foo:', '{title}:', '{title abstract}:', '{authors}:', '{nope}:', '-title:', 'author:"',
  'diff*', '^start', 'a:b', 'page:', 'page:2', 'page:-1', 'page:999999999999999', 'query:', 'id:',
  "'; DROP TABLE papers; --", "'); DROP TABLE papers;--", '" OR 1=1 --', "' OR '1'='1", '%00', '\\"', '"*"', '"^"', '$1', '::tsquery', "!'x'",
] as const;

/** Right-to-left, zero-width, combining, control and astral characters (emoji and lone surrogates too). */
export const UNICODE = [
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u202e', '\u202d', '\u200f', '\u061c', '\u2066', '\u2069',
  'עברית', 'العربية', 'שלום עולם', 'مرحبا',
  '🚀', '👩‍🔬', '🇩🇪', '👍🏽', '🏳️‍🌈', '𝒜', '𝕏', '\u{1F600}', '\u{10FFFF}', '\ud83d', '\ude00', '\ud800', '\udfff',
  'é', 'e\u0301', '\u0301', 'ﬁ', 'ß', 'İ', 'ς', '日本語', 'テキスト', '\ue000', '\uffff', '\ufffd',
  '\u0000', '\u0001', '\u0007', '\u001b[31m', '\u007f', '\t', '\n', '\r\n', '\u2028', '\u2029', '\u00a0', '\u3000',
] as const;

/** Ids as people paste them, good and bad. */
export const IDS = [
  '2608.14391', '2608.14391v2', 'arXiv:2608.14391', 'https://arxiv.org/abs/2608.14391', 'https://huggingface.co/papers/2608.14391',
  'https://arxiv.org/pdf/2608.14391v3.pdf', 'hep-th/9901001', '1706.03762', '2401.00001', '0000.00000', '9999.99999', '2608.1439',
  '2608.143911', '2608.14391v', 'abc', '../../etc/passwd', 'https://evil.example/abs/2608.14391', 'javascript:alert(1)', '2608.14391%00',
  'arxiv:', 'https://arxiv.org/abs/', '１２３４.５６７８９',
] as const;

/** Dates, times and time zones, well and badly formed. */
export const WHEN = [
  '09:00', '9:00', '17:30', '23:59', '00:00', '24:00', '25:61', '9', '09', '9am', '09:00,17:00', '09:00 17:00', '1:2', '09:00,09:00',
  '01:00,02:00,03:00,04:00,05:00,06:00,07:00', '-1:00', '٠٩:٠٠', '09：00',
  'mon-fri', 'daily', 'weekdays', 'weekends', 'sat-sun', 'fri-mon', 'mon,wed,fri', 'MONDAY', 'monday-friday', 'mon-', '-fri', 'funday', 'mon--fri',
  'UTC', 'utc', 'Etc/UTC', 'GMT', 'Europe/Berlin', 'america/new_york', 'Asia/Kolkata', 'Mars/Olympus', 'Europe/', '/', '+05:30', 'UTC+1',
  'EST', 'Etc/GMT+12', 'Etc/GMT-14', 'Antarctica/Troll', 'Pacific/Kiritimati',
  '2025-06-01', '2024-02-29', '2023-02-29', '2024-13-45', '0000-00-00', '9999-12-31', '1969-12-31', '2024-1-1', '2024-01-01T00:00', '20240101',
  '+275760-09-13', '-000001-01-01', 'since:2024-01-01', 'since:2024-13-45', 'since:',
] as const;

const WORDS = [
  'attention', 'transformer', 'diffusion', 'delta', 'rule', 'mamba', 'agent', 'multi-agent', "who's", '20.04', 'ubuntu', 'graph', 'neural',
  'the', 'a', 'of', 'learning', 'model', 'vaswani', 'yang', 'search', 'help', 'today', 'top', 'week', 'month', 'post', 'preview', 'list', 'on', 'off',
] as const;

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SYNTAX) },
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE) },
  { weight: 2, arbitrary: fc.constantFrom(...IDS) },
  { weight: 3, arbitrary: fc.constantFrom(...WHEN) },
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'grapheme' }) },
);

const glue = fc.constantFrom('', ' ', ' ', ' ', '  ', '\t', '\n', ',', ':');

/** A few hostile pieces glued together, sometimes with no space between them (`title:"mamba`). */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.tuple(glue, piece), { minLength: 0, maxLength: 10 })
  .map((parts) => parts.map(([g, p]) => g + p).join(''));

/** About 100 KB: one piece repeated, or a long run of pieces. */
export const hugeText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(piece.filter((p) => p.length > 0), fc.integer({ min: 50_000, max: 110_000 })).map(([p, n]) => p.repeat(Math.ceil(n / p.length)).slice(0, n)),
  fc.tuple(hostileText.filter((t) => t.length > 0), fc.integer({ min: 90_000, max: 110_000 })).map(([t, n]) => t.repeat(Math.ceil(n / t.length))),
);

/**
 * Text whose astral characters (emoji) straddle a given cut: `before` ASCII characters, then
 * emoji. With `before` near a platform limit, a cut lands between the two halves of a pair.
 */
export function astralAt(limit: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: Math.max(0, limit - 4), max: limit + 2 }), fc.constantFrom('🚀', '👩‍🔬', '🇩🇪', '𝒜', '👍🏽'), fc.integer({ min: 1, max: 8 }), fc.constantFrom('', ' ', 'x'))
    .map(([before, emoji, n, pad]) => 'a'.repeat(before) + pad + emoji.repeat(n));
}

/** Any text a person or a source may hand us: mostly short and hostile, sometimes huge or cut at a limit. */
export function anyText(limits: readonly number[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: hostileText },
    { weight: 1, arbitrary: hugeText },
    ...limits.map((l) => ({ weight: 1, arbitrary: astralAt(l) })),
  );
}

/** A lone surrogate: half an emoji, which no platform accepts. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` holds no lone surrogate (String#isWellFormed, which Node 20's types do not declare). */
export function wellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
