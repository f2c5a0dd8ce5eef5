import type { PaperChange } from '../store/watch.ts';

/**
 * What the reading list adds to a watched paper's card: its version, a withdrawal, and what
 * changed since the last look. (The code link is the card's own Code link, on every platform.)
 */
export interface WatchLine {
  version: number | null;
  withdrawn: boolean;
  /** Changes recorded after `since` (the person's last look, else when the paper was saved). */
  changed: PaperChange[];
}

/** The changes after `since` (ISO instant; null: all of them). Timestamps compared as instants, whatever the store's spelling. */
export function changesSince(changes: readonly PaperChange[], since: string | null): PaperChange[] {
  const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
  return changes.filter((c) => Date.parse(c.at) > from);
}

/** The card line, e.g. `v3 · 🆕 since your last look: new version v3, code released`. */
export function watchLine(w: WatchLine): string | null {
  const parts: string[] = [];
  if (w.version !== null) parts.push(`v${w.version}`);
  if (w.withdrawn) parts.push('⚠️ withdrawn on arXiv');
  if (w.changed.length > 0) parts.push(`🆕 since your last look: ${[...new Set(w.changed.map(describe))].join(', ')}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

function describe(c: PaperChange): string {
  switch (c.kind) {
    case 'version':
      return `new version v${c.value}`;
    case 'code':
      return 'code released';
    case 'withdrawn':
      return 'withdrawn';
  }
}
