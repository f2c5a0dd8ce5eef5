import type { TermCounts } from './features.ts';

/*
 * A paper's term counts as bytes, a few hundred per paper (about 2 per feature): the store keeps
 * one row per paper, not one per (paper, term), which at a million papers would be a quarter
 * of a billion rows. Ids ascend, so each is written as the gap from the previous one, shifted
 * left once; the low bit says a count above 1 follows (most terms occur once). Varints, 7 bits
 * a byte, high bit = more bytes follow.
 */

export function encodeTermCounts(tc: TermCounts): Buffer {
  // At most 4 bytes for a gap of a 20-bit id (shifted once), 5 for a 32-bit count.
  const out = Buffer.allocUnsafe(tc.ids.length * 9);
  let pos = 0;
  const varint = (n: number) => {
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
  };
  let prev = 0;
  for (let i = 0; i < tc.ids.length; i++) {
    const id = tc.ids[i]!;
    const count = tc.counts[i]!;
    varint((id - prev) * 2 + (count > 1 ? 1 : 0));
    if (count > 1) varint(count - 2);
    prev = id;
  }
  return Buffer.from(out.subarray(0, pos));
}

export function decodeTermCounts(bytes: Uint8Array): TermCounts {
  // Every feature takes at least one byte: the byte count bounds the feature count.
  const ids = new Uint32Array(bytes.length);
  const counts = new Uint32Array(bytes.length);
  let n = 0;
  let pos = 0;
  let prev = 0;
  const read = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('term counts: truncated varint');
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const v = read();
    prev += Math.floor(v / 2);
    ids[n] = prev;
    counts[n++] = v % 2 === 1 ? read() + 2 : 1;
  }
  return { ids: ids.slice(0, n), counts: counts.slice(0, n) };
}
