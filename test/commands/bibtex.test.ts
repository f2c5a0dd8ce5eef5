import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '../../src/commands/bibtex.ts';
import type { Paper } from '../../src/domain/paper.ts';

const paper = (over: Partial<Paper>): Paper => ({
  id: '2608.00001',
  title: 'A title',
  abstract: '',
  authors: ['Ada Lovelace'],
  org: null,
  publishedAt: '2026-08-01',
  upvotes: 0,
  comments: 0,
  links: { arxiv: 'https://arxiv.org/abs/2608.00001', pdf: 'https://arxiv.org/pdf/2608.00001', hf: null, github: null, project: null },
  thumbnailUrl: null,
  aiSummary: null,
  keywords: [],
  categories: [],
  source: 'hf',
  ...over,
});

describe('toBibtex', () => {
  it('keeps LaTeX specials, braces and backslashes as written', () => {
    const tricky = 'R&D at 100% of {GPU} budget: C_4 \\ ~50$ #1 ^2';
    const bib = toBibtex([paper({ title: tricky, authors: ['José {Ñ} Müller', 'Li_Wei'] })]);
    const parsed = parseBibtex(bib, { english: false });
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries[0]!.fields.title).toBe(tricky);
    expect(parsed.entries[0]!.fields.author).toEqual([
      { firstName: 'José {Ñ}', lastName: 'Müller' },
      { lastName: 'Li_Wei' },
    ]);
  });

  it('gives every entry a distinct cite key and the arXiv eprint fields', () => {
    const a = paper({ id: '1706.03762', title: 'Attention Is All You Need', authors: ['Ashish Vaswani'], publishedAt: null, categories: ['cs.CL'] });
    const b = paper({ id: '1706.03763', title: 'Attention Is Not All You Need', authors: ['Ashish Vaswani'], publishedAt: null });
    const parsed = parseBibtex(toBibtex([a, b]), { english: false });
    expect(parsed.entries.map((e) => e.key)).toEqual(['vaswani2017attention', 'vaswani2017attentiona']);
    expect(parsed.entries[0]!.fields).toMatchObject({ eprint: '1706.03762', archiveprefix: 'arXiv', primaryclass: 'cs.CL', year: '2017' });
  });

  it('is empty for no papers', () => {
    expect(toBibtex([])).toBe('');
  });
});
