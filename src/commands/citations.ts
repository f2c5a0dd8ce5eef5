import type { Paper } from '../domain/paper.ts';

/**
 * RIS and CSL-JSON for reference managers (Zotero, Mendeley, and anything citeproc-based).
 * A paper is an arXiv preprint: its arXiv id (as `arXiv:<id>`, the way Zotero writes a
 * preprint's archive id), arXiv's DataCite DOI (10.48550/arXiv.<id>, registered for every
 * arXiv paper; a journal DOI is not stored), authors, year, URL, and the savers' notes. No
 * abstracts: entries stay small enough to show whole where a chat cannot attach a file (Slack).
 */

/** A paper to export, with what the team's savers wrote about it. */
export interface ExportedPaper {
  paper: Paper;
  notes: readonly string[];
}

/** arXiv's own DOI for a paper. Old-style ids (hep-th/9901001) have one too, with the slash kept. */
export function arxivDoi(id: string): string {
  return `10.48550/arXiv.${id}`;
}

/** The year from the paper's date, else from its arXiv id (YYMM.xxxxx), which always says it. */
export function paperYear(p: Paper): string {
  if (p.publishedAt) return p.publishedAt.slice(0, 4);
  const m = /^(\d{2})\d{2}\./.exec(p.id) ?? /\/(\d{2})\d{5}$/.exec(p.id);
  if (!m) return '';
  const yy = Number(m[1]);
  return String(yy < 90 ? 2000 + yy : 1900 + yy);
}

/** "Given Names Family": the surname is the last word, as arXiv and HF list authors. */
export function splitName(name: string): { family: string; given: string } {
  const words = name.replace(/\s+/g, ' ').trim().split(' ');
  if (words.length === 1) return { family: words[0]!, given: '' };
  return { family: words[words.length - 1]!, given: words.slice(0, -1).join(' ') };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const noteText = (notes: readonly string[]) => notes.map(oneLine).filter(Boolean).join(' | ');

/**
 * RIS (the tagged format every reference manager imports). `UNPB` (unpublished work) is the
 * type Zotero and Mendeley read as a preprint; each value is one line (RIS has no escapes).
 */
export function toRis(items: readonly ExportedPaper[]): string {
  return risRecords(items).map((r) => r + '\r\n').join('\r\n');
}

/** Each paper's RIS record (TY to ER), lines ending CRLF as the RIS specification has them. */
export function risRecords(items: readonly ExportedPaper[]): string[] {
  return items.map(({ paper: p, notes }) => {
    const lines: Array<[string, string]> = [['TY', 'UNPB'], ['TI', oneLine(p.title)]];
    for (const a of p.authors) {
      const { family, given } = splitName(a);
      lines.push(['AU', given ? `${family}, ${given}` : family]);
    }
    const year = paperYear(p);
    if (year) lines.push(['PY', year]);
    if (p.publishedAt) lines.push(['DA', p.publishedAt.slice(0, 10).replace(/-/g, '/')]);
    lines.push(['PB', 'arXiv'], ['M1', `arXiv:${p.id}`], ['AN', `arXiv:${p.id}`], ['DO', arxivDoi(p.id)], ['UR', p.links.arxiv], ['L1', p.links.pdf]);
    for (const k of p.keywords) lines.push(['KW', oneLine(k)]);
    const note = noteText(notes);
    if (note) lines.push(['N1', note]);
    lines.push(['ER', '']);
    return lines.map(([tag, v]) => `${tag}  - ${v}`.trimEnd()).join('\r\n');
  });
}

/** One CSL-JSON item (the format of citeproc, Zotero's and Mendeley's CSL import). */
export interface CslItem {
  id: string;
  type: 'article';
  title: string;
  author: Array<{ family: string; given?: string }>;
  issued?: { 'date-parts': number[][] };
  publisher: 'arXiv';
  number: string;
  DOI: string;
  URL: string;
  keyword?: string;
  note?: string;
}

/** CSL-JSON: an array of items; `type: article` with `number: arXiv:<id>` is how Zotero exports a preprint. */
export function toCslJson(items: readonly ExportedPaper[]): string {
  return JSON.stringify(items.map(cslItem), null, 2) + '\n';
}

export function cslItem({ paper: p, notes }: ExportedPaper): CslItem {
  const date = p.publishedAt ? p.publishedAt.slice(0, 10).split('-').map(Number) : paperYear(p) ? [Number(paperYear(p))] : null;
  const note = noteText(notes);
  return {
    id: `arXiv:${p.id}`,
    type: 'article',
    title: oneLine(p.title),
    author: p.authors.map((a) => {
      const { family, given } = splitName(a);
      return given ? { family, given } : { family };
    }),
    ...(date ? { issued: { 'date-parts': [date] } } : {}),
    publisher: 'arXiv',
    number: `arXiv:${p.id}`,
    DOI: arxivDoi(p.id),
    URL: p.links.arxiv,
    ...(p.keywords.length ? { keyword: p.keywords.map(oneLine).join(', ') } : {}),
    ...(note ? { note } : {}),
  };
}
