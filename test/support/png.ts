/** The 8-byte signature every PNG starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads a PNG's header as a decoder does: the signature, then the first chunk, which must be
 * IHDR (13 bytes: width, height, bit depth, colour type, ...). Throws on anything else.
 */
export function pngHeader(data: Uint8Array): { width: number; height: number; bitDepth: number; colorType: number } {
  const buf = Buffer.from(data);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: bad signature');
  if (buf.readUInt32BE(8) !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: first chunk is not IHDR');
  if (buf.toString('latin1', buf.length - 8, buf.length - 4) !== 'IEND') throw new Error('not a PNG: no IEND chunk at the end');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf.readUInt8(24), colorType: buf.readUInt8(25) };
}
