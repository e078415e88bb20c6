/**
 * Removal and conflict rules shared by the row-level actions (RowDelta, RewriteFiles). Unlike
 * overwrite by filter, these actions name the files they remove, data and delete files alike, and
 * what conflicts with them is decided per file: a concurrent delete file that may apply to a data
 * file they rewrite or reference would otherwise be silently undone (its rows resurrected by the
 * rewritten copy, or its deletes left pointing at a removed file).
 */
import { validation } from "../core/errors.ts";
import { referencedDataFile } from "../scan/delete-index.ts";
import { isUnpartitioned } from "../scan/partition-key.ts";
import { compareBytes } from "../spec/compare.ts";
import { type DataFile, DataFileContent, ManifestContent } from "../manifest/types.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { RemovalRule } from "./file-change-producer.ts";
import { partitionKey } from "./partition-key.ts";
import { specById } from "./snapshot-producer.ts";

/** The reserved field id of a position delete file's file_path column. */
const FILE_PATH_ID = 2147483546;
const utf8 = new TextEncoder();

/** "data file", "position delete file" or "equality delete file", for messages. */
export const fileKind = (file: DataFile): string =>
  file.content === DataFileContent.Data
    ? "data file"
    : file.content === DataFileContent.PositionDeletes
      ? "position delete file"
      : "equality delete file";

/** Removes the live files (data or delete) with these paths; fails if one of them is not live. */
export function livePathsRemovalRule(
  dataPaths: Set<string>,
  deletePaths: Set<string>,
  tableName: string,
  snapshotText: string,
): RemovalRule | null {
  if (dataPaths.size === 0 && deletePaths.size === 0) return null;
  return {
    mayRemoveFrom: (manifest) =>
      manifest.content === ManifestContent.Data ? dataPaths.size > 0 : deletePaths.size > 0,
    shouldRemove: (file) =>
      file.content === DataFileContent.Data ? dataPaths.has(file.filePath) : deletePaths.has(file.filePath),
    checkComplete: (removed) => {
      const found = new Set(removed.map((file) => file.filePath));
      const missing = [...dataPaths, ...deletePaths].filter((path) => !found.has(path));
      if (missing.length > 0)
        throw validation(`${tableName}: cannot remove ${missing.join(", ")}: not a live file of ${snapshotText}`);
    },
  };
}

/**
 * Whether `deleteFile` may delete rows of `dataFile` (ignoring sequence numbers: a concurrently
 * added delete is always newer): same partition of the same spec or an unpartitioned delete spec,
 * and for position deletes a file_path range that admits the data file's path. Given only a path,
 * the partition is unknown and only position deletes' paths can rule a delete file out.
 */
export function deleteMayApplyTo(metadata: TableMetadata, deleteFile: DataFile, dataFile: DataFile | string): boolean {
  const dataPath = typeof dataFile === "string" ? dataFile : dataFile.filePath;
  if (typeof dataFile !== "string") {
    const deleteSpecId = deleteFile.specId ?? metadata["default-spec-id"];
    const dataSpecId = dataFile.specId ?? metadata["default-spec-id"];
    const global = isUnpartitioned(specById(metadata, deleteSpecId));
    if (!global && partitionKey(deleteSpecId, deleteFile.partition) !== partitionKey(dataSpecId, dataFile.partition))
      return false;
  }
  if (deleteFile.content !== DataFileContent.PositionDeletes) return true;
  const referenced = referencedDataFile(deleteFile);
  if (referenced !== undefined) return referenced === dataPath;
  const path = utf8.encode(dataPath);
  const lower = deleteFile.lowerBounds?.get(FILE_PATH_ID);
  const upper = deleteFile.upperBounds?.get(FILE_PATH_ID);
  return !(lower && compareBytes(path, lower) < 0) && !(upper && compareBytes(path, upper) > 0);
}
