/**
 * Decompression for the Avro "snappy" codec: a raw Snappy block (no framing) followed by the
 * big-endian CRC-32 of the uncompressed data. Read-only: floe writes deflate, but files from
 * other writers may use snappy. Format: github.com/google/snappy/blob/main/format_description.txt
 */
import { badInput } from "../core/errors.ts";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 (ISO-HDLC, as zlib computes it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Inflates one Avro snappy block and verifies its checksum; `what` names it in errors. */
export function decompressAvroSnappy(data: Uint8Array, what: string): Uint8Array {
  const fail = (problem: string) => badInput(`${what} is corrupt: snappy data ${problem}`);
  if (data.length < 4) throw fail("is shorter than its checksum");
  const input = data.subarray(0, data.length - 4);
  const expectedCrc =
    ((data[data.length - 4] << 24) |
      (data[data.length - 3] << 16) |
      (data[data.length - 2] << 8) |
      data[data.length - 1]) >>>
    0;
  let position = 0;
  const byteAt = () => {
    if (position >= input.length) throw fail("ends early");
    return input[position++];
  };
  const littleEndian = (count: number) => {
    let value = 0;
    for (let index = 0; index < count; index++) value += byteAt() * 2 ** (8 * index);
    return value;
  };
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (shift > 28) throw fail("has an invalid length preamble");
    const byte = byteAt();
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  const output = new Uint8Array(length);
  let written = 0;
  while (position < input.length) {
    const tag = byteAt();
    const kind = tag & 3;
    if (kind === 0) {
      let size = tag >>> 2;
      if (size >= 60) size = littleEndian(size - 59);
      size += 1;
      if (position + size > input.length || written + size > length) throw fail("has a literal past the end");
      output.set(input.subarray(position, position + size), written);
      position += size;
      written += size;
      continue;
    }
    let size: number;
    let offset: number;
    if (kind === 1) {
      size = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | byteAt();
    } else {
      size = 1 + (tag >>> 2);
      offset = littleEndian(kind === 2 ? 2 : 4);
    }
    if (offset === 0 || offset > written || written + size > length) throw fail("has an invalid back-reference");
    // Byte by byte: a copy may overlap the bytes it produces (run-length style).
    for (let index = 0; index < size; index++, written++) output[written] = output[written - offset];
  }
  if (written !== length) throw fail(`decodes to ${written} bytes but declares ${length}`);
  if (crc32(output) !== expectedCrc) throw fail("fails its CRC-32 check");
  return output;
}
