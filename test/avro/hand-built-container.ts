// Builds container files byte by byte (not via writeAvroContainer), so tests can produce encodings
// floe's writer never emits (negative block counts, absent avro.codec, snappy) and corrupt files.
import { AvroEncoder } from "../../src/avro/binary-encoder.ts";

/** A fixed sync marker, so tests can corrupt it deliberately. */
export const TEST_SYNC = Uint8Array.from({ length: 16 }, (_, index) => 0xa0 + index);

/** Options for handBuiltContainer. */
export interface HandBuiltOptions {
  /** Header entries in order; values are UTF-8 encoded. */
  metadata: [string, string][];
  /** Each block: its record count and its (already compressed) data. */
  blocks: { count: number; data: Uint8Array }[];
  /** Write the header map as one block with a negative count and a byte size. */
  negativeHeaderCount?: boolean;
}

/** The bytes of a container file assembled from the given parts. */
export function handBuiltContainer(options: HandBuiltOptions): Uint8Array {
  const out = new AvroEncoder();
  out.writeRaw(Uint8Array.of(0x4f, 0x62, 0x6a, 0x01));
  const entries = new AvroEncoder();
  for (const [key, value] of options.metadata) {
    entries.writeString(key);
    entries.writeBytes(new TextEncoder().encode(value));
  }
  if (options.negativeHeaderCount) {
    out.writeLong(-options.metadata.length);
    out.writeLong(entries.length);
  } else out.writeLong(options.metadata.length);
  out.writeRaw(entries.toBytes());
  out.writeLong(0);
  out.writeRaw(TEST_SYNC);
  for (const block of options.blocks) {
    out.writeLong(block.count);
    out.writeLong(block.data.length);
    out.writeRaw(block.data);
    out.writeRaw(TEST_SYNC);
  }
  return out.toBytes();
}

/** Encodes values with a callback into fresh bytes. */
export function bytesOf(write: (encoder: AvroEncoder) => void): Uint8Array {
  const encoder = new AvroEncoder();
  write(encoder);
  return encoder.toBytes();
}
