/**
 * Deleting a dropped table's files ("drop with purge").
 *
 * The catalog layer may not read manifests (it sits below manifest/ in the layer rules), so it
 * cannot enumerate data files one by one the way the reference implementation does. Instead it
 * deletes everything the metadata names directly (metadata files in the log, manifest lists,
 * statistics files) plus every file under the table's metadata and data prefixes, which is where
 * floe and other engines put manifests and data files by default. Files a table references from
 * outside those prefixes (e.g. data files added in place from elsewhere) are left alone, which is
 * the safe side to err on.
 */
import type { FileIO } from "../io/file-io.ts";
import { joinLocation } from "../io/locations.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import { METADATA_PATH, WRITE_DATA_LOCATION } from "../spec/table-properties.ts";

/** Directory prefixes (ending in "/") whose files belong to the table. */
export function tableFilePrefixes(metadata: TableMetadata): string[] {
  const withSlash = (location: string) => `${location.replace(/\/+$/, "")}/`;
  const prefixes = [joinLocation(metadata.location, "metadata"), joinLocation(metadata.location, "data")];
  for (const property of [METADATA_PATH, WRITE_DATA_LOCATION]) {
    const override = metadata.properties[property];
    if (override) prefixes.push(override);
  }
  return [...new Set(prefixes.map(withSlash))];
}

/** Files the metadata itself names: the current and logged metadata files, manifest lists, statistics. */
export function referencedFiles(metadata: TableMetadata, metadataLocation: string): string[] {
  const files = [metadataLocation, ...metadata["metadata-log"].map((entry) => entry["metadata-file"])];
  for (const snapshot of metadata.snapshots) {
    if (snapshot["manifest-list"]) files.push(snapshot["manifest-list"]);
    if (snapshot.manifests) files.push(...snapshot.manifests);
  }
  for (const statistics of metadata.statistics) files.push(statistics["statistics-path"]);
  for (const statistics of metadata["partition-statistics"]) files.push(statistics["statistics-path"]);
  return files;
}

/** Deletes the table's files as described above; missing files are not an error. */
export async function purgeTableFiles(io: FileIO, metadata: TableMetadata, metadataLocation: string): Promise<void> {
  const files = new Set(referencedFiles(metadata, metadataLocation));
  for (const prefix of tableFilePrefixes(metadata)) {
    for await (const file of io.list(prefix)) files.add(file.path);
  }
  await io.deleteMany([...files]);
}
