/** A paper as Paperboy stores it: one row per arXiv id, whatever source first told us about it. */
export interface Paper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  org: string | null;
  publishedAt: string | null;
  upvotes: number;
  comments: number;
  links: PaperLinks;
  thumbnailUrl: string | null;
  aiSummary: string | null;
  keywords: string[];
  categories: string[];
  source: PaperSource;
}

export type PaperSource = 'hf' | 'arxiv';

export interface PaperLinks {
  arxiv: string;
  pdf: string;
  hf: string | null;
  github: string | null;
  project: string | null;
}

/** What a source hands to the store: a paper and, when the source lists by day, where it was listed. */
export interface IngestItem {
  paper: Paper;
  listing: { source: PaperSource; day: string; rank: number } | null;
  /**
   * What arXiv says of the paper's state, when the source tells (the API and the announcement
   * feed do; HF does not): the version it is at (`…v3`) and whether it was withdrawn. Stored on
   * the paper, and a change of a saved paper is announced to whoever saved it (src/watch/).
   */
  arxiv?: { version: number | null; withdrawn: boolean };
}

const NEW_STYLE_ID = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const OLD_STYLE_ID = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/**
 * The arXiv id without its version, or null when `raw` is not one.
 * Accepts bare ids (`2608.16859v2`, `hep-th/9901001`), `arXiv:` prefixes and the
 * arxiv.org / huggingface.co URLs people paste (abs, pdf, html, papers).
 */
export function parseArxivId(raw: string): string | null {
  let s = raw.trim();
  const url = /^(?:https?:\/\/)?(?:www\.|export\.)?(?:arxiv\.org|huggingface\.co)\/(?:abs|pdf|html|papers)\/(.+?)(?:\.pdf)?(?:[?#].*)?$/i.exec(s);
  if (url?.[1]) s = url[1].replace(/\/$/, '');
  s = s.replace(/^arxiv:/i, '');
  const m = NEW_STYLE_ID.exec(s) ?? OLD_STYLE_ID.exec(s);
  return m?.[1] ?? null;
}

export function arxivLinks(id: string): Pick<PaperLinks, 'arxiv' | 'pdf'> {
  return { arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` };
}

export function hfPaperUrl(id: string): string {
  return `https://huggingface.co/papers/${id}`;
}

/** Collapses the hard line breaks arXiv titles and abstracts carry. */
export function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Lower-case letters and digits only: two spellings of one title give the same key. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Only http(s) links ever reach a chat message. */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}
