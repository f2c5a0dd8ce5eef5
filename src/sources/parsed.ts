import type { IngestItem } from '../domain/paper.ts';

/** What a parser made of a payload: the good items, and how many it had to leave out and why. */
export interface ParsedItems {
  items: IngestItem[];
  skipped: number;
  /** One line per skipped item: where it was and what was wrong, for the logs. */
  warnings: string[];
}

/** Day of an ISO timestamp in UTC (the day both HF and arXiv date their lists by), or null. */
export function utcDayOf(iso: string | null | undefined): string | null {
  return isoTimestamp(iso)?.slice(0, 10) ?? null;
}

/**
 * A timestamp in one canonical form (`2026-08-18T00:00:00.000Z`), or null if it is not one.
 * Years outside 0000-9999 (`-000001-01-01`, `+275760-09-13`) are valid to Date but read as
 * nonsense days everywhere else, so they count as no date.
 */
export function isoTimestamp(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const s = new Date(t).toISOString();
  return /^\d{4}-/.test(s) ? s : null;
}
