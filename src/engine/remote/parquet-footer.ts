/**
 * The footer of a remote Parquet file, fetched with ranged GETs and parsed with hyparquet. A
 * Parquet file ends with its Thrift FileMetaData, the metadata's length (4 bytes, little endian)
 * and the magic "PAR1". One GET of the file's tail usually holds the whole footer; a larger footer
 * takes a second GET for exactly the bytes still missing.
 */
import { type FileMetaData, parquetMetadata } from "hyparquet";
import { ioError } from "../../core/errors.ts";
import type { FileIO } from "../../io/file-io.ts";

/** Bytes of a file's tail fetched first when nothing better is known. */
export const DEFAULT_TAIL_BYTES = 32 * 1024;
const MIN_TAIL_BYTES = 4 * 1024;
const MAX_TAIL_BYTES = 1024 * 1024;

/**
 * How many tail bytes to fetch first for a file with `rowGroups` row groups of `columns` leaf
 * columns: a footer takes about a hundred bytes per column chunk (DuckDB's, measured), and bloom
 * filters, which sit just before it, a few hundred per row group. A guess slightly above keeps
 * most footers to one GET without fetching much besides them.
 */
export function footerTailGuess(rowGroups: number, columns: number): number {
  const guess = 1024 + rowGroups * (columns * 128 + 512);
  return Math.min(MAX_TAIL_BYTES, Math.max(MIN_TAIL_BYTES, Math.ceil(guess)));
}
const MAGIC = 0x31524150; // "PAR1" read as a little-endian uint32

/** A parsed footer and the real bytes of the file's tail it came from. */
export interface ParquetFooter {
  metadata: FileMetaData;
  /** Offset in the file of the first fetched tail byte; the tail runs to the end of the file. */
  tailStart: number;
  /** The file's bytes [tailStart, size): the footer, its length and magic, maybe a little before. */
  tail: Uint8Array;
}

/**
 * Statistics arrive as numbers that floe's Value table uses as they are: dates as days, timestamps
 * as their raw integers (the caller checks the unit), never as lossy JavaScript Dates.
 */
const RAW_PARSERS = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (value: bigint) => value,
  timestampFromMicroseconds: (value: bigint) => value,
  timestampFromNanoseconds: (value: bigint) => value,
};

/** Parses the footer at the end of `tail` (the last bytes of the Parquet file at `location`). */
export function parseFooter(location: string, tail: Uint8Array): FileMetaData {
  try {
    return parquetMetadata(tail, { parsers: RAW_PARSERS, geoparquet: false });
  } catch (error) {
    throw ioError(`cannot read the Parquet footer of ${location}: ${(error as Error).message}`, error);
  }
}

/** Fetches the footer of the Parquet file of `size` bytes at `location` (one GET, two for large footers). */
export async function fetchFooter(
  io: FileIO,
  location: string,
  size: number,
  tailBytes = DEFAULT_TAIL_BYTES,
): Promise<ParquetFooter> {
  if (size < 12) throw ioError(`${location} is not a Parquet file: it has only ${size} bytes`);
  const first = Math.min(size, Math.max(8, tailBytes));
  const end = await io.readRange(location, size - first, first);
  if (end.byteLength !== first)
    throw ioError(`reading the footer of ${location}: asked for ${first} bytes, got ${end.byteLength}`);
  const view = new DataView(end.buffer, end.byteOffset, end.byteLength);
  if (view.getUint32(first - 4, true) !== MAGIC) throw ioError(`${location} is not a Parquet file: no PAR1 at its end`);
  const footerBytes = view.getUint32(first - 8, true) + 8;
  // The file starts with its own magic, which the footer can never overlap.
  if (footerBytes > size - 4)
    throw ioError(`${location}: Parquet footer of ${footerBytes} bytes does not fit in a file of ${size} bytes`);
  let tail = end;
  if (footerBytes > first) {
    const missing = footerBytes - first;
    const head = await io.readRange(location, size - footerBytes, missing);
    if (head.byteLength !== missing)
      throw ioError(`reading the footer of ${location}: asked for ${missing} bytes, got ${head.byteLength}`);
    tail = new Uint8Array(footerBytes);
    tail.set(head, 0);
    tail.set(end, missing);
  }
  return { metadata: parseFooter(location, tail), tailStart: size - tail.byteLength, tail };
}
