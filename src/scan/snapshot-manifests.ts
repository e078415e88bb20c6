/**
 * The manifests a snapshot lists: from its manifest list, or — for v1 snapshots that list manifest
 * paths inline — described from each manifest's header. Inline manifests carry no counts, so their
 * counts read as -1 ("unknown"), never as 0, and nobody skips them as empty.
 */
import type { FileIO } from "../io/file-io.ts";
import { readManifestHeader } from "../manifest/manifest-header.ts";
import { readManifestList } from "../manifest/manifest-list.ts";
import { ManifestContent, type ManifestFile } from "../manifest/types.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import { mapWithConcurrency } from "./concurrency.ts";

/** The manifests of `snapshot`, in list order. */
export async function snapshotManifestFiles(
  io: FileIO,
  snapshot: Snapshot,
  concurrency: number,
): Promise<ManifestFile[]> {
  const list = snapshot["manifest-list"];
  if (list !== undefined) return readManifestList(io, list);
  return mapWithConcurrency(snapshot.manifests ?? [], concurrency, async (path) => {
    const header = await readManifestHeader(io, path);
    return {
      manifestPath: path,
      manifestLength: -1n,
      partitionSpecId: header.specId,
      content: header.content === "deletes" ? ManifestContent.Deletes : ManifestContent.Data,
      sequenceNumber: 0n,
      minSequenceNumber: 0n,
      addedSnapshotId: snapshot["snapshot-id"],
      addedFilesCount: -1,
      existingFilesCount: -1,
      deletedFilesCount: -1,
      addedRowsCount: -1n,
      existingRowsCount: -1n,
      deletedRowsCount: -1n,
    };
  });
}

/** Whether a manifest is known to list no live file (counts exactly 0; negative means unknown). */
export const hasNoLiveFiles = (manifest: ManifestFile): boolean =>
  manifest.addedFilesCount === 0 && manifest.existingFilesCount === 0;
