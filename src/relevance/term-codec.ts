import type { TermCounts } from './features.ts';

/*
 * A paper's term counts as bytes, a few hundred per paper (about 2 per feature): the store keeps
 * one row per paper, not one per (paper, term), which at a million papers would be a quarter
 * of a billion rows. Ids ascend, so each is written as the gap from the previous one, shifted
 * left once; the low bit says a count above 1 follows (most terms occur once). Varints, 7 bits
 * a byte, high bit = more bytes follow.
 */

function pushVarint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

export function encodeTermCounts(tc: TermCounts): Buffer {
  const out: number[] = [];
  let prev = 0;
  for (let i = 0; i < tc.ids.length; i++) {
    const id = tc.ids[i]!;
    const count = tc.counts[i]!;
    const gap = id - prev;
    prev = id;
    pushVarint(out, gap * 2 + (count > 1 ? 1 : 0));
    if (count > 1) pushVarint(out, count - 2);
  }
  return Buffer.from(out);
}

export function decodeTermCounts(bytes: Uint8Array): TermCounts {
  const ids: number[] = [];
  const counts: number[] = [];
  let pos = 0;
  let prev = 0;
  const read = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('term counts: truncated varint');
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const v = read();
    prev += Math.floor(v / 2);
    ids.push(prev);
    counts.push(v % 2 === 1 ? read() + 2 : 1);
  }
  return { ids: Uint32Array.from(ids), counts: Uint32Array.from(counts) };
}
