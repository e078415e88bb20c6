/**
 * Block compression codecs of the Avro object container. "deflate" is RAW deflate (RFC 1951, no
 * zlib or gzip wrapper), as the Avro spec requires. floe writes "null" and "deflate"; it also reads
 * "snappy" (used by some Iceberg writers for manifests).
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { badInput, unsupported } from "../core/errors.ts";
import { decompressAvroSnappy } from "./snappy.ts";

/** Codecs floe can write. */
export type AvroWriteCodec = "null" | "deflate";

const READABLE = new Set(["null", "deflate", "snappy"]);

/** Throws an unsupported FloeError unless floe can read blocks compressed with `codec`. */
export function checkReadableCodec(codec: string): void {
  if (!READABLE.has(codec))
    throw unsupported(`Avro codec "${codec}" is not supported (floe reads ${[...READABLE].join(", ")})`);
}

/** Compresses one block's data. */
export function compressBlock(codec: AvroWriteCodec, data: Uint8Array): Uint8Array {
  return codec === "deflate" ? asPlainBytes(deflateRawSync(data)) : data;
}

/** Decompresses one block's data; `what` names the block in error messages. */
export function decompressBlock(codec: string, data: Uint8Array, what: string): Uint8Array {
  if (codec === "null") return data;
  if (codec === "snappy") return decompressAvroSnappy(data, what);
  try {
    return asPlainBytes(inflateRawSync(data));
  } catch (error) {
    throw badInput(`${what} is corrupt: its deflate data cannot be inflated (${(error as Error).message})`, error);
  }
}

/** A plain Uint8Array over a Node Buffer's memory, so values read from it compare as Uint8Array. */
function asPlainBytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
