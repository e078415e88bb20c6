/**
 * Opening an Iceberg table by path, without a catalog (the iceberg_scan table function): a
 * metadata file directly, or a table directory whose newest metadata file is found from
 * `metadata/version-hint.text` or by the highest version among `metadata/*.metadata.json`.
 *
 * Tables copied or moved elsewhere still store their old absolute paths (manifest lists,
 * manifests, data files). With `allowMovedPaths`, every stored path under the location written in
 * the metadata is re-rooted under the directory given, as DuckDB's iceberg extension does;
 * without it a missing file is reported by name with that hint.
 */
import { existsSync } from "node:fs";
import { notFound } from "../../core/errors.ts";
import { trimLocation } from "../../catalog/table-location.ts";
import { readMetadataFile } from "../../catalog/metadata-files.ts";
import type { FileIO, FileInfo, WriteOptions } from "../../io/file-io.ts";
import { joinLocation, parseLocation } from "../../io/locations.ts";
import type { TableMetadata } from "../../spec/table-metadata.ts";

/** A table opened from a path. */
export interface OpenedIcebergPath {
  metadataLocation: string;
  metadata: TableMetadata;
  /** FileIO to plan with (re-rooting reads when moved paths are allowed). */
  io: FileIO;
  /** Where a stored location lives now. */
  relocate: (location: string) => string;
}

const METADATA_NAME = /^(?:v(\d+)|(\d+)-[^/]*)(?:\.gz)?\.metadata\.json$/;

/** The version of a metadata file name (v3.metadata.json → 3, 00003-uuid.metadata.json → 3), or -1. */
function metadataVersion(location: string): number {
  const m = METADATA_NAME.exec(location.slice(location.lastIndexOf("/") + 1));
  return m ? Number(m[1] ?? m[2]) : -1;
}

const parentOf = (location: string): string => {
  const trimmed = trimLocation(location);
  return trimmed.slice(0, trimmed.lastIndexOf("/")) || "/";
};

/** The newest metadata file of a table directory. */
async function newestMetadataFile(io: FileIO, tableDir: string): Promise<string> {
  const metadataDir = joinLocation(tableDir, "metadata");
  const hint = joinLocation(metadataDir, "version-hint.text");
  const files: string[] = [];
  for await (const info of io.list(`${metadataDir}/`)) {
    if (METADATA_NAME.test(info.path.slice(info.path.lastIndexOf("/") + 1))) files.push(info.path);
  }
  if (await io.exists(hint)) {
    const text = new TextDecoder().decode(await io.read(hint)).trim();
    const version = /^\d+$/.test(text) ? Number(text) : -1;
    const hinted = files.find((file) => metadataVersion(file) === version);
    if (hinted) return hinted;
  }
  if (files.length === 0) throw notFound(`no Iceberg metadata files (*.metadata.json) found in ${metadataDir}`);
  return files.reduce((best, file) => (metadataVersion(file) > metadataVersion(best) ? file : best));
}

/** A location comparable across spellings of the same local file (file:///x vs /x). */
function comparable(location: string): string {
  try {
    const parsed = parseLocation(location);
    return parsed.scheme === "file" ? parsed.path : location;
  } catch {
    return location;
  }
}

/** Wraps a FileIO so that reads go to relocated paths. */
function relocatingIO(io: FileIO, relocate: (location: string) => string): FileIO {
  return {
    read: (p: string) => io.read(relocate(p)),
    readRange: (p: string, offset: number, length: number) => io.readRange(relocate(p), offset, length),
    write: (p: string, data: Uint8Array, options?: WriteOptions) => io.write(p, data, options),
    writeStream: (p: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions) =>
      io.writeStream(p, chunks, options),
    exists: (p: string) => io.exists(relocate(p)),
    stat: (p: string): Promise<FileInfo> => io.stat(relocate(p)),
    delete: (p: string) => io.delete(p),
    deleteMany: (paths: string[]) => io.deleteMany(paths),
    list: (prefix: string) => io.list(prefix),
  };
}

/** Opens the table at `path` (a metadata file or a table directory). */
export async function openIcebergPath(
  io: FileIO,
  path: string,
  options: { allowMovedPaths?: boolean } = {},
): Promise<OpenedIcebergPath> {
  const isMetadataFile = /\.json$/i.test(path);
  let tableDir: string;
  let metadataLocation: string;
  if (isMetadataFile) {
    metadataLocation = path;
    const dir = parentOf(path);
    tableDir = dir.endsWith("/metadata") ? parentOf(dir) : dir;
  } else {
    tableDir = trimLocation(path);
    metadataLocation = await newestMetadataFile(io, tableDir);
  }
  const metadata = await readMetadataFile(io, metadataLocation);
  const storedRoot = comparable(trimLocation(metadata.location));
  const actualRoot = trimLocation(tableDir);

  if (options.allowMovedPaths && storedRoot !== comparable(actualRoot)) {
    const relocate = (location: string): string => {
      const stored = comparable(location);
      return stored.startsWith(`${storedRoot}/`) ? `${actualRoot}${stored.slice(storedRoot.length)}` : location;
    };
    return { metadataLocation, metadata, io: relocatingIO(io, relocate), relocate };
  }
  // Without re-rooting, name a missing local file up front (DuckDB's own message would not say why).
  const relocate = (location: string): string => {
    const local = comparable(location);
    if (local.startsWith("/") && !existsSync(local))
      throw notFound(
        `iceberg_scan(${path}): file ${location} does not exist (the table's metadata says it lives at ${metadata.location}; if it was moved, pass allow_moved_paths => true)`,
      );
    return location;
  };
  const checkingIO: FileIO = {
    ...relocatingIO(io, (p) => p),
    read: async (p: string) => {
      relocate(p);
      return io.read(p);
    },
  };
  return { metadataLocation, metadata, io: checkingIO, relocate };
}
