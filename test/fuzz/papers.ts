import fc from 'fast-check';
import type { PaperCard, Reply } from '../../src/commands/types.ts';
import { normalizeSpace, parseArxivId, type Paper } from '../../src/domain/paper.ts';
import { anyText, IDS, UNICODE, WHEN } from './arbitraries.ts';

/*
 * Papers, cards and replies as hostile as a source or a handler could make them: for the
 * renderers. Text lengths sit around each platform's limits (Discord 256 / 1024 / 2000 / 4096,
 * Slack 150 / 3000, our card cuts 200 / 300 / 420 / 600), so cuts land inside emoji.
 */

const CUTS = [75, 80, 100, 150, 200, 256, 300, 420, 600, 1024, 2000, 3000, 4096, 6000];

const text = anyText(CUTS);

const url = fc.oneof(
  fc.constantFrom(
    'https://arxiv.org/abs/2608.14391', 'https://github.com/a/b', 'http://example.com/(x)', 'https://example.com/a b', 'javascript:alert(1)',
    'ftp://example.com/x', 'data:text/html,<b>x</b>', 'https://exa mple.com', 'https://例え.jp/パス', 'https://example.com/?q=<!channel>&x=|',
    '', ' ', 'https://', 'https://example.com/' + 'a'.repeat(3100),
  ),
  fc.webUrl(),
  text,
);

/** Text as the parsers store a name or title: whitespace collapsed, never blank. */
const named = text.map(normalizeSpace).filter((t) => t.length > 0);

/** A card's paper comes from the store, which holds only arXiv ids (the parsers see to it): new and old style. */
const paperId = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 99999 })).map(([a, b]) => `${a}.${String(b).padStart(5, '0')}`) },
  { weight: 1, arbitrary: fc.constantFrom(...IDS).map(parseArxivId).filter((id): id is string => id !== null) },
);

export const paperArb: fc.Arbitrary<Paper> = fc.record({
  id: paperId,
  // Never empty: the parsers drop a paper without a title, and blank author and org names.
  title: named,
  abstract: text,
  authors: fc.oneof(fc.array(named, { maxLength: 8 }), fc.array(fc.constantFrom('A', 'Ünïcødé', '🚀', '\u202eevil'), { minLength: 100, maxLength: 400 })),
  org: fc.option(named),
  publishedAt: fc.option(fc.oneof(fc.constantFrom(...WHEN), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()))),
  upvotes: fc.oneof(fc.nat(), fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1)),
  comments: fc.nat(),
  links: fc.record({ arxiv: url, pdf: url, hf: fc.option(url), github: fc.option(url), project: fc.option(url) }),
  thumbnailUrl: fc.option(url),
  aiSummary: fc.option(text),
  keywords: fc.array(text, { maxLength: 5 }),
  categories: fc.array(fc.constantFrom('cs.LG', 'cs.CL', 'hep-th', ...UNICODE), { maxLength: 4 }),
  source: fc.constantFrom('hf' as const, 'arxiv' as const),
});

export const cardArb: fc.Arbitrary<PaperCard> = fc.record({
  paper: paperArb,
  teamVotes: fc.oneof(fc.nat(), fc.integer()),
  saves: fc.nat(),
  voted: fc.option(fc.boolean()),
  saved: fc.option(fc.boolean()),
  note: fc.option(text),
});

/** A BibTeX-like export: `@` entries, sometimes huge, sometimes with fences inside. */
const fileArb = fc.record({
  name: text,
  content: fc.array(fc.tuple(text, fc.constantFrom('', '```', '\n', '@misc{x,\n')), { maxLength: 30 }).map((es) => es.map(([t, g]) => `@article{${t},\n  title = {${t}${g}}\n}`).join('\n')),
  contentType: fc.constant('application/x-bibtex'),
});

export const replyArb: fc.Arbitrary<Reply> = fc.record(
  {
    title: text,
    text: fc.oneof(text, fc.array(text, { maxLength: 60 }).map((lines) => lines.join('\n'))),
    cards: fc.array(cardArb, { maxLength: 14 }),
    ephemeral: fc.boolean(),
    file: fileArb,
  },
  { requiredKeys: ['text', 'ephemeral'] },
);
