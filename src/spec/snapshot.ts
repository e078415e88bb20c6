/** Snapshots, refs and logs as plain data mirroring the spec JSON; int64 values are bigint. */

export type Operation = "append" | "replace" | "overwrite" | "delete";

export interface SnapshotSummary {
  operation: Operation;
  [key: string]: string;
}

export interface Snapshot {
  "snapshot-id": bigint;
  "parent-snapshot-id"?: bigint;
  /** 0 for v1 tables. */
  "sequence-number": bigint;
  "timestamp-ms": number;
  /** Absent only in v1 tables that list manifests inline. */
  "manifest-list"?: string;
  /** v1 only: manifests listed inline instead of a manifest list. */
  manifests?: string[];
  summary: SnapshotSummary;
  "schema-id"?: number;
  /** v3 row lineage. */
  "first-row-id"?: bigint;
  "added-rows"?: bigint;
  "key-id"?: string;
}

export type RefType = "branch" | "tag";

export interface SnapshotRef {
  "snapshot-id": bigint;
  type: RefType;
  /** Branches only. */
  "min-snapshots-to-keep"?: number;
  /** Branches only. */
  "max-snapshot-age-ms"?: number;
  "max-ref-age-ms"?: number;
}

export const MAIN_BRANCH = "main";

export interface SnapshotLogEntry {
  "timestamp-ms": number;
  "snapshot-id": bigint;
}

export interface MetadataLogEntry {
  "timestamp-ms": number;
  "metadata-file": string;
}

export interface BlobMetadata {
  type: string;
  "snapshot-id": bigint;
  "sequence-number": bigint;
  fields: number[];
  properties?: Record<string, string>;
}

export interface StatisticsFile {
  "snapshot-id": bigint;
  "statistics-path": string;
  "file-size-in-bytes": bigint;
  "file-footer-size-in-bytes": bigint;
  "key-metadata"?: string;
  "blob-metadata": BlobMetadata[];
}

export interface PartitionStatisticsFile {
  "snapshot-id": bigint;
  "statistics-path": string;
  "file-size-in-bytes": bigint;
}
