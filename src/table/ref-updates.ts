/** Building set-snapshot-ref updates that move a ref while keeping its retention settings. */
import type { RefType, SnapshotRef } from "../spec/snapshot.ts";
import type { TableUpdate } from "../spec/updates.ts";

/** Retention of a ref (branches: all three; tags: max-ref-age-ms only). */
export interface RefRetention {
  minSnapshotsToKeep?: number;
  maxSnapshotAgeMs?: number;
  maxRefAgeMs?: number;
}

/** The retention settings `ref` carries now. */
export const retentionOf = (ref: SnapshotRef | undefined): RefRetention => ({
  minSnapshotsToKeep: ref?.["min-snapshots-to-keep"],
  maxSnapshotAgeMs: ref?.["max-snapshot-age-ms"],
  maxRefAgeMs: ref?.["max-ref-age-ms"],
});

/** A set-snapshot-ref pointing `name` at `snapshotId` with the given retention (absent values omitted). */
export function setRef(name: string, type: RefType, snapshotId: bigint, retention: RefRetention = {}): TableUpdate {
  return {
    action: "set-snapshot-ref",
    "ref-name": name,
    type,
    "snapshot-id": snapshotId,
    ...(retention.maxRefAgeMs !== undefined ? { "max-ref-age-ms": retention.maxRefAgeMs } : {}),
    ...(type === "branch" && retention.maxSnapshotAgeMs !== undefined
      ? { "max-snapshot-age-ms": retention.maxSnapshotAgeMs }
      : {}),
    ...(type === "branch" && retention.minSnapshotsToKeep !== undefined
      ? { "min-snapshots-to-keep": retention.minSnapshotsToKeep }
      : {}),
  };
}
