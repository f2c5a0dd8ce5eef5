import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS as L } from '../../adapters/discord/limits.ts';
import { embedLength, headerKeyOf, renderCardButtons, renderCardEmbed, renderCards, renderOutbound, renderReply, replaceCard } from '../../adapters/discord/render.ts';
import { escapePaperText, escapeReplyText, splitText, truncate } from '../../adapters/discord/text.ts';
import { parseActionId } from '../../src/commands/card-actions.ts';
import type { PaperCard } from '../../src/commands/types.ts';
import type { Paper } from '../../src/domain/paper.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function paper(over: Partial<Paper> = {}): Paper {
  return {
    id: '2608.14391',
    title: 'Gated Delta Networks: Improving Mamba2 with Delta Rule',
    abstract: 'Linear Transformers have gained attention as efficient alternatives to standard Transformers.',
    authors: ['Songlin Yang', 'Jan Kautz', 'Ali Hatamizadeh'],
    org: 'NVIDIA',
    publishedAt: '2026-08-17T00:00:00.000Z',
    upvotes: 42,
    comments: 3,
    links: { arxiv: 'https://arxiv.org/abs/2608.14391', pdf: 'https://arxiv.org/pdf/2608.14391', hf: 'https://huggingface.co/papers/2608.14391', github: 'https://github.com/NVlabs/GatedDeltaNet', project: null },
    thumbnailUrl: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.14391.png',
    aiSummary: null,
    keywords: [],
    categories: [],
    source: 'hf',
    ...over,
  };
}

function card(over: Partial<Paper> = {}, rest: Partial<PaperCard> = {}): PaperCard {
  return { paper: paper(over), teamVotes: 2, saves: 1, voted: null, saved: null, note: null, ...rest };
}

describe('truncate', () => {
  it('never leaves half of a surrogate pair, at any cut', () => {
    const s = '𝛼🙂'.repeat(40) + ' tail';
    for (let max = 1; max <= s.length + 1; max++) {
      const t = truncate(s, max);
      expect(t.length).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(t)).toBe(false);
    }
  });

  it('leaves short text alone and marks a cut', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a long sentence of words', 12)).toMatch(/…$/);
  });

  it('splits long text into pieces within the limit, losing nothing but the break', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} 🙂 with some words`);
    const pieces = splitText(lines.join('\n'), 1000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(1000);
      expect(LONE_SURROGATE.test(p)).toBe(false);
    }
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });
});

describe('escaping', () => {
  it('escapes markdown and mention syntax in paper text', () => {
    const out = escapePaperText('**Bold** _it_ ~~s~~ `c` ||sp|| # H <@&123> <@456> <#789> [x](http://evil)');
    expect(out).not.toMatch(/(?<!\\)\*\*/);
    expect(out).toContain('\\<@&123>');
    expect(out).toContain('\\<@456>');
    expect(out).toContain('\\<#789>');
    expect(out).toContain('\\_it\\_');
  });

  it('keeps a reply text code span and escapes the rest', () => {
    expect(escapeReplyText('Try `/papers search *x*` or *this*')).toBe('Try `/papers search *x*` or \\*this\\*');
  });
});

describe('paper card', () => {
  it('links the title, shows summary, authors, org, both vote counts, thumbnail and footer id', () => {
    const e = renderCardEmbed(card({ aiSummary: 'One-sentence summary.' }), null);
    expect(e.title).toBe('Gated Delta Networks: Improving Mamba2 with Delta Rule');
    expect(e.url).toBe('https://huggingface.co/papers/2608.14391');
    expect(e.description).toContain('One-sentence summary.');
    expect(e.description).toContain('[Code](https://github.com/NVlabs/GatedDeltaNet)');
    expect(e.fields?.find((f) => f.name === 'Authors')?.value).toBe('Songlin Yang, Jan Kautz, Ali Hatamizadeh');
    expect(e.fields?.find((f) => f.name === 'Organization')?.value).toBe('NVIDIA');
    expect(e.fields?.find((f) => f.name === 'Upvotes')?.value).toBe('42 on Hugging Face · 2 from this team');
    expect(e.thumbnail?.url).toMatch(/^https:\/\//);
    expect(e.footer?.text).toMatch(/^arXiv:2608\.14391/);
  });

  it('falls back to the trimmed abstract and stays within every embed limit for huge fields', () => {
    const huge = card({ title: 'T'.repeat(1000), abstract: 'word '.repeat(5000), authors: Array.from({ length: 300 }, (_, i) => `Author Number ${i}`), org: 'O'.repeat(3000) }, { note: 'n'.repeat(5000) });
    const e = renderCardEmbed(huge, 3);
    expect(e.title!.length).toBeLessThanOrEqual(L.embedTitle);
    expect(e.title).toMatch(/^3\. /);
    expect(e.description!.length).toBeLessThanOrEqual(L.embedDescription);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
    expect(e.fields?.find((f) => f.name === 'Authors')?.value).toContain('+294 more');
  });

  it('never links anything but http(s)', () => {
    const e = renderCardEmbed(
      card({ links: { arxiv: 'javascript:alert(1)', pdf: 'data:text/html,x', hf: 'ftp://x/y', github: 'javascript:alert(2)', project: 'file:///etc/passwd' }, thumbnailUrl: 'javascript:alert(3)' }),
      null,
    );
    expect(e.url).toBeUndefined();
    expect(e.thumbnail).toBeUndefined();
    expect(JSON.stringify(e)).not.toMatch(/javascript:|data:|file:|ftp:/);
    const row = renderCardButtons(card({ links: { arxiv: 'javascript:alert(1)', pdf: 'https://arxiv.org/pdf/1', hf: null, github: null, project: null } }), null);
    const urls = row.components.flatMap((b) => ('url' in b ? [b.url] : []));
    expect(urls).toEqual(['https://arxiv.org/pdf/1']);
  });

  it('has one row of at most five buttons: Upvote with the count, Save, then links', () => {
    const row = renderCardButtons(card({ links: { ...paper().links, project: 'https://example.org' } }, { teamVotes: 7 }), null);
    expect(row.components.length).toBeLessThanOrEqual(L.buttonsPerRow);
    const labels = row.components.map((b) => ('label' in b ? b.label : ''));
    expect(labels).toEqual(['Upvote (7)', 'Save', 'arXiv', 'PDF', 'HF']);
    for (const b of row.components) {
      if ('custom_id' in b) {
        expect(b.custom_id.length).toBeLessThanOrEqual(L.customId);
        expect(parseActionId(b.custom_id)?.paperId).toBe('2608.14391');
      }
    }
  });
});

describe('reply', () => {
  it('puts title and text in content, cards in embeds with rows, and forbids mentions', () => {
    const m = renderReply({ title: 'Search', text: 'Results 1–2 for `delta`.', cards: [card(), card({ id: '2608.00001' })], ephemeral: false });
    expect(m.content).toBe('**Search**\nResults 1–2 for `delta`.');
    expect(m.embeds).toHaveLength(2);
    expect(m.components).toHaveLength(2);
    expect(m.embeds[1]!.title).toMatch(/^2\. /);
    expect(m.allowed_mentions).toEqual({ parse: [] });
  });

  it('stays within 10 embeds, 5 rows and 6000 characters for many long cards', () => {
    const cards = Array.from({ length: 14 }, (_, i) =>
      card({ id: `2608.${String(10000 + i)}`, title: 'A very long title '.repeat(20), abstract: 'x '.repeat(3000), authors: ['Someone With A Long Name'.repeat(4)] }, { note: 'topic: '.repeat(60) }),
    );
    const m = renderReply({ text: 'Many papers', cards, ephemeral: false });
    expect(m.embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
    expect(m.components.length).toBeLessThanOrEqual(L.rowsPerMessage);
    expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotalPerMessage);
    expect(m.content).toContain('4 more not shown');
  });

  it('moves text too long for content into embeds, losing none of it', () => {
    const text = Array.from({ length: 120 }, (_, i) => `\`/papers cmd${i}\`: does thing number ${i}`).join('\n');
    const m = renderReply({ title: 'Help', text, ephemeral: true });
    expect(m.content).toBe('**Help**');
    expect(m.embeds.map((e) => e.description).join('\n')).toBe(escapeReplyText(text));
    expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotalPerMessage);
  });

  it('attaches a file', () => {
    const m = renderReply({ text: '2 papers', file: { name: 'saved.bib', content: '@article{x,}', contentType: 'application/x-bibtex' }, ephemeral: false });
    expect(m.file?.name).toBe('saved.bib');
    expect(m.file?.data.toString()).toBe('@article{x,}');
  });

  it('never sends an empty message', () => {
    expect(renderReply({ text: '', ephemeral: true }).content).toBeTruthy();
  });
});

describe('outbound', () => {
  it('renders a digest paper, a header and a notice, all without mentions', () => {
    const p = renderOutbound({ kind: 'paper', key: 'k', card: card(), digestDate: '2026-08-18' });
    expect(p.embeds).toHaveLength(1);
    expect(p.components[0]!.components[0]).toMatchObject({ label: 'Upvote (2)' });
    const h = renderOutbound({ kind: 'header', key: 'h', title: 'Digest @everyone', text: '3 papers', digestDate: '2026-08-18' });
    expect(h.embeds[0]).toMatchObject({ title: 'Digest @everyone', description: '3 papers', footer: { text: 'Paperboy · h' } });
    expect(headerKeyOf(h)).toBe('h');
    expect(headerKeyOf(p)).toBeNull();
    for (const m of [p, h, renderOutbound({ kind: 'notice', key: 'n', text: '<@&123> hi' })]) expect(m.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('replaceCard', () => {
  it('redraws only the clicked paper in a message of several', () => {
    const cards = [card({ id: '2608.00001' }), card({ id: '2608.00002' }), card({ id: '2608.00003' })];
    const { embeds, components } = renderCards(cards);
    const changed = card({ id: '2608.00002' }, { teamVotes: 9 });
    const next = replaceCard({ embeds, components }, 'pb:vote:2608.00002', changed)!;
    expect(next.components[1]!.components[0]).toMatchObject({ label: '#2 Upvote (9)' });
    expect(next.embeds[1]!.fields?.find((f) => f.name === 'Upvotes')?.value).toContain('9 from this team');
    expect(next.embeds[1]!.title).toMatch(/^2\. /);
    expect(next.components[0]).toEqual(components[0]);
    expect(next.embeds[2]).toEqual(embeds[2]);
    expect(replaceCard({ embeds, components }, 'pb:vote:9999.99999', changed)).toBeNull();
  });
});

// Found by `npm run fuzz`: discord.js's escapeMarkdown is quadratic in a line's length, and a
// 60 KB reply or paper title took about 100 s to render, blocking the bot. Without the fix this
// test runs into the test timeout.
describe('long markdown-heavy text', () => {
  const heavy = 'a_b*c~'.repeat(10_000);

  it('renders a 60 KB reply and paper title within the limits, escaped', () => {
    const m = renderReply({ title: heavy, text: heavy, ephemeral: false });
    expect(m.content!.length).toBeLessThanOrEqual(L.content);
    expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotalPerMessage);
    expect(m.content!.startsWith('**a\\_b\\*c~a\\_b')).toBe(true);
    const embed = renderCardEmbed(card({ title: heavy, org: heavy, authors: [heavy] }), null);
    expect(embed.title!.startsWith('a\\_b\\*c~')).toBe(true);
    expect(embedLength(embed)).toBeLessThanOrEqual(L.embedTotalPerMessage);
  });

  it('escapes long text as it escapes short text, piece by piece', () => {
    expect(escapeReplyText(heavy)).toBe(escapeReplyText(heavy.slice(0, 600)).repeat(100));
  });
});

// Found by `npm run fuzz`: text longer than all embeds may hold was split into ten embeds, and
// fitting them into 6000 characters emptied eight of them, which Discord refuses.
describe('text longer than a message holds', () => {
  it('fills the embeds it can, none of them empty', () => {
    const m = renderReply({ text: 'attention '.repeat(5_000), ephemeral: false, cards: [card()] });
    expect(m.embeds.length).toBeGreaterThan(0);
    for (const e of m.embeds) expect(Boolean(e.title || e.description || e.fields?.length)).toBe(true);
    expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotalPerMessage);
  });

  it('keeps a long title in the content and makes no empty embed for empty text', () => {
    const m = renderReply({ title: 'a'.repeat(4_094), text: '', ephemeral: false });
    expect(m.embeds).toEqual([]);
    expect(m.content!.length).toBeLessThanOrEqual(L.content);
    expect(m.content).toMatch(/^\*\*a+…\*\*$/);
  });
});

// Found by `npm run fuzz`: a digest post of one paper with every field at its cap (a long project
// link in the description) came to more than 6000 characters, which Discord refuses.
describe('a digest post of one very long paper', () => {
  it('fits the 6000 characters of a message', () => {
    const long = card({ title: 't'.repeat(400), abstract: 'a'.repeat(3_000), authors: ['b'.repeat(2_000)], org: 'o'.repeat(3_000), links: { ...paper().links, project: `https://example.com/${'p'.repeat(3_100)}` } });
    const m = renderOutbound({ kind: 'paper', key: 'k', card: long, digestDate: '2026-08-21' });
    expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedTotalPerMessage);
    expect(m.embeds[0]!.title).toMatch(/^t+…$/);
  });
});
