import { safeHttpUrl } from '../domain/paper.ts';

/*
 * What arXiv's own text says about a paper beyond its metadata: a code repository named in the
 * comment or the abstract, and a withdrawal. arXiv has no field for either: authors write
 * "Code: https://github.com/..." in the comment (or the abstract), and a withdrawn paper's last
 * version carries a note such as "This paper has been withdrawn by the author" in its comment
 * (API) and usually its abstract (the announcement feed gives only the abstract).
 */

/** The first GitHub repository link in the text (owner/name, no trailing punctuation), or null. */
export function githubRepoIn(...texts: ReadonlyArray<string | null | undefined>): string | null {
  for (const text of texts) {
    const m = /\bhttps?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]+)/i.exec(text ?? '');
    if (!m) continue;
    const repo = m[2]!.replace(/\.git$/i, '').replace(/[.]+$/, '');
    if (!repo) continue;
    const url = safeHttpUrl(`https://github.com/${m[1]}/${repo}`);
    if (url) return url;
  }
  return null;
}

/**
 * True when the text announces the paper's withdrawal. Phrasings seen on arXiv: "This paper has
 * been withdrawn by the author(s)", "This submission has been withdrawn by arXiv
 * administrators", "Withdrawn: ...", "withdrawn due to an error in ...". A paper that merely
 * mentions withdrawing something ("withdrawal of a drug", "we withdraw the claim") is not one.
 */
export function announcesWithdrawal(...texts: ReadonlyArray<string | null | undefined>): boolean {
  return texts.some((t) => {
    const s = (t ?? '').trim();
    return (
      /^withdrawn\b/i.test(s) ||
      /\b(?:this|the)\s+(?:paper|article|manuscript|submission|preprint|work|version)\s+(?:has\s+been|is\s+being|is|was)\s+withdrawn\b/i.test(s) ||
      /\bwithdrawn\s+by\s+(?:the\s+)?(?:authors?|arxiv\s+admin(?:istrator)?s?|submitter)\b/i.test(s)
    );
  });
}

/** The version of a versioned arXiv id or URL (`2009.13987v3`, `http://arxiv.org/abs/2009.13987v3`), or null. */
export function versionOf(idOrUrl: string | null | undefined): number | null {
  const m = /v(\d{1,3})\s*$/.exec(idOrUrl ?? '');
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : null;
}
