import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS } from '../../adapters/slack/limits.ts';
import {
  escapeMrkdwn,
  fileBlocks,
  fit,
  limitViolations,
  mrkdwnLink,
  paperBlocks,
  renderPaperMessage,
  renderReply,
  replaceCardActions,
  textLength,
} from '../../adapters/slack/render.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import type { Paper } from '../../src/domain/paper.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function paper(over: Partial<Paper> = {}): Paper {
  return {
    id: '2608.14391',
    title: 'A paper',
    abstract: 'An abstract.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    org: 'Analytical Engines',
    publishedAt: '2026-08-14T00:00:00.000Z',
    upvotes: 52,
    comments: 3,
    links: { arxiv: 'https://arxiv.org/abs/2608.14391', pdf: 'https://arxiv.org/pdf/2608.14391', hf: 'https://huggingface.co/papers/2608.14391', github: 'https://github.com/x/y', project: null },
    thumbnailUrl: null,
    aiSummary: null,
    keywords: [],
    categories: [],
    source: 'hf',
    ...over,
  };
}

function card(p: Partial<Paper> = {}, over: Partial<PaperCard> = {}): PaperCard {
  return { paper: paper(p), teamVotes: 2, saves: 1, voted: null, saved: null, ...over };
}

/** Deterministic text with every awkward kind of character. */
function awkward(n: number, seed = 1): string {
  const parts = ['a', ' ', '&', '<', '>', '😀', '👨‍👩‍👧', '🇩🇪', 'é', 'e\u0301', '|', '*', '`', '\n', '<!channel>', 'ß'];
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    s += parts[x % parts.length];
  }
  return s;
}

/** The longest escaped grapheme `awkward` produces (the family emoji, in UTF-16 units): how far short of its budget a cut may stop. */
const LONGEST_ESCAPED_PIECE = '👨‍👩‍👧'.length;

describe('escaping', () => {
  it('escapes the three characters that form mentions, links and commands', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <https://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;');
  });

  it('makes links only from http(s) urls, with | and > unable to end the url early', () => {
    expect(mrkdwnLink('javascript:alert(1)', 'x')).toBe('x');
    expect(mrkdwnLink('ftp://host/file', 'x')).toBe('x');
    expect(mrkdwnLink(null, 'x')).toBe('x');
    expect(mrkdwnLink('https://example.org/a|b>c', 'label')).toBe('<https://example.org/a%7Cb%3Ec|label>');
  });
});

describe('fit', () => {
  it('keeps short text whole, escaped', () => {
    expect(fit('a < b', 100)).toBe('a &lt; b');
  });

  it('never exceeds the limit, never splits a character, an emoji sequence or an entity', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const raw = awkward(400, seed);
      const whole = escapeMrkdwn(raw);
      for (const max of [1, 2, 7, 50, 75, 301, 5000]) {
        const out = fit(raw, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(LONE_SURROGATE);
        expect(out).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
        if (whole.length <= max) {
          expect(out).toBe(whole);
          continue;
        }
        // Cut: a prefix of the escaped text and an ellipsis, using the room it had.
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1);
        expect(whole.startsWith(kept)).toBe(true);
        const keptWithTrimmedSpace = whole.length - whole.slice(kept.length).trimStart().length;
        const budget = max - 1;
        expect(keptWithTrimmedSpace).toBeGreaterThanOrEqual(Math.min(0.8 * budget, budget - LONGEST_ESCAPED_PIECE));
      }
    }
    const family = '👨‍👩‍👧';
    const cut = fit(family.repeat(100), 50);
    expect(cut.slice(0, -1).replaceAll(family, '')).toBe('');
    // Long text is segmented only near the cut: a sequence the slice splits is still whole or gone.
    for (let pad = 0; pad < 130; pad++) {
      const out = fit('a'.repeat(pad) + family.repeat(500), 60);
      expect(out.slice(0, -1).replace(/^a*/, '').replaceAll(family, '').trim(), String(pad)).toBe('');
    }
  });

  it('cuts at a word boundary when one is near', () => {
    expect(fit('alpha beta gamma delta epsilon', 20)).toBe('alpha beta gamma…');
  });
});

describe('paper blocks', () => {
  it('show a linked title, summary, authors and the Upvote / Save / link buttons', () => {
    const blocks = paperBlocks(card({ aiSummary: 'One sentence.' }), { personal: false });
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context', 'actions']);
    const raw = JSON.stringify(blocks);
    expect(raw).toContain('*<https://huggingface.co/papers/2608.14391|A paper>*\\nOne sentence.');
    expect(raw).toContain('Ada Lovelace, Alan Turing');
    expect(raw).toContain('▲ 52 on Hugging Face');
    const buttons = (blocks[2] as { elements: Array<{ text: { text: string }; action_id: string; url?: string }> }).elements;
    expect(buttons.map((b) => b.text.text)).toEqual(['👍 Upvote (2)', '🔖 Save', 'arXiv', 'PDF', 'HF', 'Code']);
    expect(buttons.map((b) => b.action_id).slice(0, 2)).toEqual(['pb:vote:2608.14391', 'pb:save:2608.14391']);
  });

  it('leave out links that are not http(s)', () => {
    const blocks = paperBlocks(card({ links: { arxiv: 'https://arxiv.org/abs/2608.14391', pdf: 'https://arxiv.org/pdf/2608.14391', hf: 'data:text/html,hi', github: 'javascript:alert(1)', project: null } }), { personal: false });
    const raw = JSON.stringify(blocks);
    expect(raw).not.toMatch(/javascript:|data:/);
    expect(raw).toContain('<https://arxiv.org/abs/2608.14391|A paper>');
  });

  it("show the asker's own state only in a personal message", () => {
    const mine = card({}, { voted: true, saved: true });
    expect(JSON.stringify(paperBlocks(mine, { personal: true }))).toContain('🔖 Saved');
    expect(JSON.stringify(paperBlocks(mine, { personal: true }))).toContain('"style":"primary"');
    expect(JSON.stringify(paperBlocks(mine, { personal: false }))).not.toMatch(/Saved|primary/);
  });

  it('stay within limits whatever the paper holds', () => {
    const huge = card({ title: awkward(5000), abstract: awkward(50_000, 7), authors: Array.from({ length: 3000 }, (_, i) => awkward(30, i)), org: awkward(2000, 3) }, { note: awkward(9000, 5), teamVotes: 123_456_789 });
    const msg = renderPaperMessage(huge);
    expect(limitViolations(msg)).toEqual([]);
    expect(JSON.stringify(msg)).not.toMatch(/<!channel>/);
  });
});

describe('replies', () => {
  it('fit many papers into one message, saying how many were left out', () => {
    const cards = Array.from({ length: 40 }, (_, i) => card({ id: `2608.${10000 + i}`, title: awkward(300, i), abstract: awkward(2000, i + 1) }));
    const msg = renderReply({ title: 'Search', text: 'Results', cards, ephemeral: false });
    expect(limitViolations(msg)).toEqual([]);
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    const shown = msg.blocks.filter((b) => b.type === 'actions').length;
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(40);
    expect(JSON.stringify(msg.blocks.at(-1))).toContain(`and ${40 - shown} more papers not shown`);
  });

  it('escape user text echoed in replies and split long text at line ends', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}: \`<!here> & co\``).join('\n');
    const msg = renderReply({ text, ephemeral: true });
    expect(limitViolations(msg)).toEqual([]);
    expect(msg.blocks.length).toBeGreaterThan(1);
    expect(JSON.stringify(msg)).not.toContain('<!here>');
    expect(JSON.stringify(msg)).toContain('line 0: `&lt;!here&gt; &amp; co`');
    for (const b of msg.blocks) if (b.type === 'section') expect(b.text!.text).toMatch(/^line \d+.*`$/s);
    expect(JSON.stringify(msg.blocks.at(-1))).toContain('the rest is cut');
  });

  it('stay within limits when long text and many papers compete for room', () => {
    const cards = Array.from({ length: 30 }, (_, i) => card({ id: `2608.${20000 + i}`, title: awkward(300, i) }));
    for (const lines of [1, 40, 60, 100, 400]) {
      const text = Array.from({ length: lines }, (_, i) => `${awkward(100, i)}`).join('\n');
      const msg = renderReply({ title: 'T', text, cards, ephemeral: false, file: { name: 'x.bib', content: '@a{x,\n}\n'.repeat(2000), contentType: 'text/plain' } });
      expect(limitViolations(msg), `${lines} lines`).toEqual([]);
    }
  });

  it('never send an empty message', () => {
    const msg = renderReply({ text: '', ephemeral: true });
    expect(limitViolations(msg)).toEqual([]);
  });
});

describe('files (BibTeX export)', () => {
  const entry = (i: number) => `@article{paper${i},\n  title = {A \`\`quoted'' title ${'x'.repeat(i % 300)} \`\`\` <b>},\n  eprint = {2608.${10000 + i}},\n  archivePrefix = {arXiv}\n}`;

  it('show whole entries in code blocks, saying when some did not fit', () => {
    const content = Array.from({ length: 200 }, (_, i) => entry(i)).join('\n\n');
    const blocks = fileBlocks({ name: 'paperboy-saved.bib', content }, 8000);
    const code = blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);
    expect(code.length).toBeGreaterThan(0);
    for (const c of code) {
      expect(c.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(c.startsWith('```\n@article{') && c.endsWith('}\n```')).toBe(true);
      expect(c.slice(3, -3)).not.toContain('```');
      expect(c).not.toContain('<b>');
    }
    const shown = code.join('').match(/@article\{/g)!.length;
    expect(textLength(blocks)).toBeLessThanOrEqual(8000 + 500);
    expect(JSON.stringify(blocks.at(-1))).toContain(`Showing ${shown} of 200 entries`);
  });

  it('show a short file entirely', () => {
    const blocks = fileBlocks({ name: 'x.bib', content: [entry(1), entry(2)].join('\n\n') }, 8000);
    expect(JSON.stringify(blocks)).not.toContain('Showing');
    expect(JSON.stringify(blocks).match(/@article\{/g)).toHaveLength(2);
  });
});

describe('replaceCardActions', () => {
  it("redraws one paper's buttons and leaves the rest of the message as it was", () => {
    const a = card({ id: '2608.00001' });
    const b = card({ id: '2608.00002' }, { note: 'topic: diffusion' });
    const original = renderReply({ text: 'Two papers', cards: [a, b], ephemeral: false }).blocks;
    const updated = replaceCardActions(JSON.parse(JSON.stringify(original)), { ...b, teamVotes: 9 })!;
    expect(JSON.stringify(updated)).toContain('👍 Upvote (9)');
    const changed = updated.map((blk, i) => JSON.stringify(blk) !== JSON.stringify(original[i]));
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(replaceCardActions(original, card({ id: '2608.99999' }))).toBeNull();
    expect(replaceCardActions(undefined, a)).toBeNull();
  });
});

// Found by `npm run fuzz`: a reply whose text filled the message still got the file's name and
// "Showing 0 of N entries" notes, 55 characters over what Slack takes.
describe('a file after text that fills the message', () => {
  it('stays within the limits', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n');
    const file = { name: 'n'.repeat(300), content: '@misc{a,\n title={x}\n}\n@misc{b,\n title={y}\n}', contentType: 'application/x-bibtex' };
    expect(limitViolations(renderReply({ text, ephemeral: true, file }))).toEqual([]);
    // With papers too, whose "not shown" note comes last.
    expect(limitViolations(renderReply({ text, ephemeral: true, file, cards: [card()] }))).toEqual([]);
  });
});
