/**
 * Snapshot summaries: the counters the spec's "Snapshot Summary" section and Java's
 * `SnapshotSummary` define. Per-snapshot counts are written only when non-zero (as Java does);
 * totals are carried from the parent's summary so readers never have to scan manifests to know
 * a table's size. A total is omitted when the parent lacks it (an older writer did not track it),
 * because a guessed total would be worse than none.
 */
import { DataFileContent, type DataFile } from "../manifest/types.ts";
import type { Operation, Snapshot, SnapshotSummary } from "../spec/snapshot.ts";
import { partitionKey } from "./partition-key.ts";

/** The summary keys floe writes, named as in the spec and Java's SnapshotSummary. */
export const SUMMARY = {
  addedDataFiles: "added-data-files",
  deletedDataFiles: "deleted-data-files",
  addedDeleteFiles: "added-delete-files",
  addedEqDeleteFiles: "added-equality-delete-files",
  addedPosDeleteFiles: "added-position-delete-files",
  removedDeleteFiles: "removed-delete-files",
  removedEqDeleteFiles: "removed-equality-delete-files",
  removedPosDeleteFiles: "removed-position-delete-files",
  addedRecords: "added-records",
  deletedRecords: "deleted-records",
  addedFilesSize: "added-files-size",
  removedFilesSize: "removed-files-size",
  addedPosDeletes: "added-position-deletes",
  removedPosDeletes: "removed-position-deletes",
  addedEqDeletes: "added-equality-deletes",
  removedEqDeletes: "removed-equality-deletes",
  changedPartitionCount: "changed-partition-count",
  totalRecords: "total-records",
  totalDataFiles: "total-data-files",
  totalDeleteFiles: "total-delete-files",
  totalFilesSize: "total-files-size",
  totalPosDeletes: "total-position-deletes",
  totalEqDeletes: "total-equality-deletes",
  manifestsCreated: "manifests-created",
  manifestsKept: "manifests-kept",
  manifestsReplaced: "manifests-replaced",
} as const;

/** [total key, added key, removed key]: how each total moves from the parent's value. */
const TOTALS: [string, string, string][] = [
  [SUMMARY.totalDataFiles, SUMMARY.addedDataFiles, SUMMARY.deletedDataFiles],
  [SUMMARY.totalDeleteFiles, SUMMARY.addedDeleteFiles, SUMMARY.removedDeleteFiles],
  [SUMMARY.totalRecords, SUMMARY.addedRecords, SUMMARY.deletedRecords],
  [SUMMARY.totalFilesSize, SUMMARY.addedFilesSize, SUMMARY.removedFilesSize],
  [SUMMARY.totalPosDeletes, SUMMARY.addedPosDeletes, SUMMARY.removedPosDeletes],
  [SUMMARY.totalEqDeletes, SUMMARY.addedEqDeletes, SUMMARY.removedEqDeletes],
];

/** Accumulates the changes of one snapshot and renders its summary. */
export class SummaryBuilder {
  private readonly counts = new Map<string, bigint>();
  private readonly partitions = new Set<string>();
  private readonly extra: Record<string, string> = {};

  /** Counts a file added by the snapshot. */
  addedFile(file: DataFile): this {
    this.partitions.add(partitionKey(file.specId ?? 0, file.partition));
    this.bump(SUMMARY.addedFilesSize, file.fileSizeInBytes);
    if (file.content === DataFileContent.Data) {
      this.bump(SUMMARY.addedDataFiles, 1n);
      this.bump(SUMMARY.addedRecords, file.recordCount);
    } else if (file.content === DataFileContent.PositionDeletes) {
      this.bump(SUMMARY.addedDeleteFiles, 1n);
      this.bump(SUMMARY.addedPosDeleteFiles, 1n);
      this.bump(SUMMARY.addedPosDeletes, file.recordCount);
    } else {
      this.bump(SUMMARY.addedDeleteFiles, 1n);
      this.bump(SUMMARY.addedEqDeleteFiles, 1n);
      this.bump(SUMMARY.addedEqDeletes, file.recordCount);
    }
    return this;
  }

  /** Counts a file removed by the snapshot. */
  removedFile(file: DataFile): this {
    this.partitions.add(partitionKey(file.specId ?? 0, file.partition));
    this.bump(SUMMARY.removedFilesSize, file.fileSizeInBytes);
    if (file.content === DataFileContent.Data) {
      this.bump(SUMMARY.deletedDataFiles, 1n);
      this.bump(SUMMARY.deletedRecords, file.recordCount);
    } else if (file.content === DataFileContent.PositionDeletes) {
      this.bump(SUMMARY.removedDeleteFiles, 1n);
      this.bump(SUMMARY.removedPosDeleteFiles, 1n);
      this.bump(SUMMARY.removedPosDeletes, file.recordCount);
    } else {
      this.bump(SUMMARY.removedDeleteFiles, 1n);
      this.bump(SUMMARY.removedEqDeleteFiles, 1n);
      this.bump(SUMMARY.removedEqDeletes, file.recordCount);
    }
    return this;
  }

  /** Records how the manifest list was built (created, kept from the parent, replaced). */
  manifests(created: number, kept: number, replaced: number): this {
    this.counts.set(SUMMARY.manifestsCreated, BigInt(created));
    this.counts.set(SUMMARY.manifestsKept, BigInt(kept));
    this.counts.set(SUMMARY.manifestsReplaced, BigInt(replaced));
    return this;
  }

  /** A caller-supplied property (e.g. a writer id); never overrides the computed counters. */
  set(key: string, value: string): this {
    this.extra[key] = value;
    return this;
  }

  /** The summary for a snapshot whose parent is `parent` (null for the first snapshot of a branch). */
  build(operation: Operation, parent: Snapshot | null): SnapshotSummary {
    const summary: SnapshotSummary = { ...this.extra, operation };
    for (const [key, value] of this.counts) {
      const always = key.startsWith("manifests-");
      if (value !== 0n || always) summary[key] = value.toString();
    }
    summary[SUMMARY.changedPartitionCount] = String(this.partitions.size);
    for (const [total, added, removed] of TOTALS) {
      const previous = parent === null ? "0" : parent.summary[total];
      if (previous === undefined || !/^-?\d+$/.test(previous)) continue;
      const value = BigInt(previous) + (this.counts.get(added) ?? 0n) - (this.counts.get(removed) ?? 0n);
      summary[total] = value.toString();
    }
    return summary;
  }

  private bump(key: string, by: bigint): void {
    this.counts.set(key, (this.counts.get(key) ?? 0n) + by);
  }
}
