import type { Paper } from '../domain/paper.ts';
import { paperYear } from './citations.ts';

/**
 * BibTeX for arXiv papers, in the form arXiv itself suggests: @misc with eprint,
 * archivePrefix and primaryClass, so biblatex and natbib both cite it properly.
 */
export function toBibtex(papers: readonly Paper[]): string {
  const used = new Set<string>();
  return papers.map((p) => entry(p, uniqueKey(citeKey(p), used))).join('\n\n') + (papers.length ? '\n' : '');
}

function entry(p: Paper, key: string): string {
  const fields: Array<[string, string | null]> = [
    ['title', `{${escape(p.title)}}`],
    ['author', p.authors.length ? p.authors.map(escape).join(' and ') : null],
    ['year', paperYear(p)],
    ['eprint', p.id],
    ['archivePrefix', 'arXiv'],
    ['primaryClass', p.categories[0] ?? null],
    ['url', p.links.arxiv],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== null && f[1] !== '')
    .map(([k, v]) => `  ${k} = {${v}}`)
    .join(',\n');
  return `@misc{${key},\n${body}\n}`;
}

/** lastname + year + first significant title word, ASCII only: `vaswani2017attention`. */
function citeKey(p: Paper): string {
  const ascii = (s: string) => s.normalize('NFKD').replace(/[^\x00-\x7f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
  const last = ascii(p.authors[0]?.trim().split(/\s+/).pop() ?? '') || 'arxiv';
  const stop = new Set(['a', 'an', 'the', 'on', 'of', 'for', 'and', 'to', 'in', 'towards', 'toward', 'with', 'via']);
  const word = p.title.split(/\s+/).map(ascii).find((w) => w.length > 1 && !stop.has(w)) ?? '';
  return `${last}${paperYear(p)}${word}` || p.id.replace(/[^0-9a-z]/gi, '');
}

function uniqueKey(key: string, used: Set<string>): string {
  let k = key;
  for (let i = 0; used.has(k); i++) k = key + String.fromCharCode(97 + (i % 26)) + (i >= 26 ? Math.floor(i / 26) : '');
  used.add(k);
  return k;
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  '$': '\\$',
  '#': '\\#',
  '_': '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Escapes what LaTeX treats as special (in one pass), so every value parses and prints as written. */
function escape(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\{}&%$#_~^]/g, (c) => LATEX_SPECIALS[c]!);
}
