/**
 * Slack redelivers an event it thinks we missed (X-Slack-Retry-Num: 1, 2, 3 within about an
 * hour), and a slow ack can make two copies arrive at once. A vote is a set, so a copy can't
 * count twice; but a late copy of "added" after "removed" would undo the removal. So each
 * event id is handled once, and per reaction the newest event wins.
 */
export class RecentEvents {
  private readonly claimed = new Map<string, number>();
  private readonly newest = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 2 * 60 * 60_000,
    private readonly maxEntries = 20_000,
  ) {}

  /** True the first time an event id is seen (within the TTL); synchronous, so concurrent copies can't both win. */
  claim(eventId: string): boolean {
    const t = this.now();
    const seen = this.claimed.get(eventId);
    if (seen !== undefined && seen > t) return false;
    this.claimed.delete(eventId);
    this.claimed.set(eventId, t + this.ttlMs);
    trim(this.claimed, this.maxEntries);
    return true;
  }

  /** Lets a redelivery through again: the first attempt failed before doing anything. */
  release(eventId: string): void {
    this.claimed.delete(eventId);
  }

  /**
   * Whether an event with timestamp `ts` (Slack's "1360782804.083113") is the newest seen for
   * `key`; an older one arriving late is stale and must not override a newer one.
   */
  isNewest(key: string, ts: string): boolean {
    const prev = this.newest.get(key);
    if (prev !== undefined && compareTs(ts, prev) < 0) return false;
    this.newest.delete(key);
    this.newest.set(key, ts);
    trim(this.newest, this.maxEntries);
    return true;
  }
}

/** Slack timestamps are "seconds.micros" with a fixed six-digit fraction; compare without float rounding. */
export function compareTs(a: string, b: string): number {
  const [as, af = ''] = a.split('.');
  const [bs, bf = ''] = b.split('.');
  const d = Number(as) - Number(bs);
  if (d !== 0) return d;
  return af.padEnd(6, '0').localeCompare(bf.padEnd(6, '0'));
}

function trim<K, V>(m: Map<K, V>, max: number): void {
  while (m.size > max) m.delete(m.keys().next().value as K);
}
