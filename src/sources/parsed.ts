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
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

/** A timestamp in one canonical form (`2026-08-18T00:00:00.000Z`), or null if it is not one. */
export function isoTimestamp(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
