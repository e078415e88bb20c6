/**
 * Conflict detection for actions that read before they write (overwrite, delete, replace
 * partitions). Between the snapshot an action started from and the branch head it is about to
 * commit on, other writers may have committed; if one of them added a file the action's filter
 * could match, or removed a file the action also removes, committing would silently ignore that
 * writer's change. Such a conflict cannot be fixed by retrying, so it is a validation error that
 * names the snapshot, its operation and the file. Appends never call this: they conflict with nothing.
 */
import { validation } from "../core/errors.ts";
import { readManifest } from "../manifest/manifest-reader.ts";
import { type DataFile, ManifestEntryStatus } from "../manifest/types.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { CommitContext } from "./action.ts";
import { snapshotManifests } from "./file-change-producer.ts";
import { snapshotsSince } from "./snapshot-history.ts";

/** What counts as a conflict for one action; each returns a reason, or null for no conflict. */
export interface ConflictRules {
  /** The action, for the message, e.g. "overwrite by filter day = 2025-01-01". */
  what: string;
  /** A file a concurrent snapshot added. */
  added(file: DataFile): string | null;
  /** A file a concurrent snapshot removed. */
  removed(file: DataFile): string | null;
}

/**
 * Throws a validation error when a snapshot committed on top of `startingSnapshotId` (up to
 * `head`, skipping the transaction's own snapshots) added or removed a conflicting file.
 */
export async function validateNoConflicts(
  base: TableMetadata,
  startingSnapshotId: bigint | null,
  head: Snapshot | null,
  ctx: CommitContext,
  rules: ConflictRules,
): Promise<void> {
  const concurrent = snapshotsSince(base, startingSnapshotId, head, ctx.tableName).filter(
    (snapshot) => !ctx.stagedSnapshotIds.has(snapshot["snapshot-id"]),
  );
  for (const snapshot of concurrent) {
    const id = snapshot["snapshot-id"];
    const manifests = (await snapshotManifests(ctx.io, snapshot)).filter((m) => m.addedSnapshotId === id);
    for (const manifest of manifests) {
      for (const entry of await readManifest(ctx.io, manifest)) {
        if (entry.snapshotId !== id) continue;
        const reason =
          entry.status === ManifestEntryStatus.Added
            ? rules.added(entry.dataFile)
            : entry.status === ManifestEntryStatus.Deleted
              ? rules.removed(entry.dataFile)
              : null;
        if (reason !== null)
          throw validation(
            `${ctx.tableName}: ${rules.what} conflicts with snapshot ${id} (${snapshot.summary.operation}) committed since snapshot ${
              startingSnapshotId ?? "none"
            }: ${reason}`,
          );
      }
    }
  }
}
