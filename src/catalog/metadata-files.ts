/**
 * Table metadata files: where a new one goes, and reading/writing them through FileIO.
 *
 * Names follow the reference implementation, `<5-digit version>-<uuid>.metadata.json` under
 * `<table location>/metadata/` (or the `write.metadata.path` property), with the version parsed
 * from the previous file's name and incremented, so engines that sort or parse these names see
 * what they expect. Metadata files are immutable: a write never replaces an existing file.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { ioError } from "../core/errors.ts";
import { newUuid } from "../core/ids.ts";
import type { FileIO } from "../io/file-io.ts";
import { joinLocation } from "../io/locations.ts";
import { parseTableMetadata } from "../spec/metadata-parser.ts";
import { serializeTableMetadata } from "../spec/metadata-writer.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import { METADATA_COMPRESSION, METADATA_PATH } from "../spec/table-properties.ts";

const GZIP_EXTENSION = ".gz.metadata.json";
const PLAIN_EXTENSION = ".metadata.json";

/**
 * The version encoded in a metadata file name ("00042-<uuid>.metadata.json" → 42). -1 when there is
 * no previous file or the name carries no version (e.g. "v3.metadata.json" of file-system tables),
 * so the next file is version 0 in the first case and starts over in the second, as in Java.
 */
export function parseMetadataVersion(location: string | null): number {
  if (location === null) return -1;
  const name = location.slice(location.lastIndexOf("/") + 1);
  const dash = name.indexOf("-");
  if (dash < 0) return -1;
  const digits = name.slice(0, dash);
  return /^\d+$/.test(digits) ? Number.parseInt(digits, 10) : -1;
}

/** The directory metadata files of this table go to. */
export function metadataDirectory(metadata: TableMetadata): string {
  const override = metadata.properties[METADATA_PATH];
  return override ? override.replace(/\/+$/, "") : joinLocation(metadata.location, "metadata");
}

/** A fresh, never-used location for the metadata file that follows `previousLocation` (null for a create). */
export function newMetadataLocation(metadata: TableMetadata, previousLocation: string | null): string {
  const version = String(parseMetadataVersion(previousLocation) + 1).padStart(5, "0");
  const gzip = (metadata.properties[METADATA_COMPRESSION] ?? "none").toLowerCase() === "gzip";
  return joinLocation(metadataDirectory(metadata), `${version}-${newUuid()}${gzip ? GZIP_EXTENSION : PLAIN_EXTENSION}`);
}

const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Reads and parses a metadata file (plain or gzip-compressed). not-found when the file is absent. */
export async function readMetadataFile(io: FileIO, location: string): Promise<TableMetadata> {
  const raw = await io.read(location);
  let bytes = raw;
  if (isGzip(raw)) {
    try {
      bytes = gunzipSync(raw);
    } catch (error) {
      throw ioError(`metadata file ${location} is not valid gzip: ${(error as Error).message}`, error);
    }
  }
  return parseTableMetadata(new TextDecoder().decode(bytes));
}

/** Writes a metadata file; gzip-compressed when its name says so. Fails if the file already exists. */
export async function writeMetadataFile(io: FileIO, location: string, metadata: TableMetadata): Promise<void> {
  const text = new TextEncoder().encode(serializeTableMetadata(metadata));
  const bytes = location.endsWith(GZIP_EXTENSION) ? gzipSync(text) : text;
  await io.write(location, bytes, { overwrite: false, contentType: "application/json" });
}
