import type { IngestItem } from '../domain/paper.ts';
import type { WatchEventKind } from '../store/schema.ts';

/** What the store knew of a watched paper before a sighting. */
export interface WatchedState {
  id: string;
  version: number | null;
  github: string | null;
  withdrawn: boolean;
}

export interface WatchChange {
  paperId: string;
  kind: WatchEventKind;
  /** The new version ("3"), the code URL, or "withdrawn". */
  value: string;
}

/**
 * What a sighting of a watched paper changes, worth telling whoever saved it. Pure.
 * - A version above the one stored; an unknown stored version counts as v1 (a paper first seen
 *   on HF is at v1 unless arXiv said otherwise), so a v1 sighting is no news.
 * - A code repository where there was none (a changed URL is not news).
 * - A withdrawal; it comes as a new version, which is then not announced separately.
 */
export function watchChanges(prior: WatchedState, item: IngestItem): WatchChange[] {
  const changes: WatchChange[] = [];
  const id = prior.id;
  const withdrawn = item.arxiv?.withdrawn === true && !prior.withdrawn;
  const version = item.arxiv?.version ?? null;
  if (withdrawn) changes.push({ paperId: id, kind: 'withdrawn', value: 'withdrawn' });
  else if (version !== null && version > (prior.version ?? 1)) changes.push({ paperId: id, kind: 'version', value: String(version) });
  const github = item.paper.links.github;
  if (prior.github === null && github) changes.push({ paperId: id, kind: 'code', value: github });
  return changes;
}

/** The direct message for one change, in plain text (`code spans` only, as replies). */
export function watchNoticeText(change: { kind: WatchEventKind; value: string }, paper: { id: string; title: string }): string {
  const what = `"${paper.title}" (arXiv ${paper.id}), on your reading list,`;
  switch (change.kind) {
    case 'version':
      return `📄 ${what} has a new version: v${change.value}. https://arxiv.org/abs/${paper.id}v${change.value}`;
    case 'code':
      return `💻 ${what} now has code: ${change.value}`;
    case 'withdrawn':
      return `⚠️ ${what} was withdrawn on arXiv. https://arxiv.org/abs/${paper.id}`;
  }
}
