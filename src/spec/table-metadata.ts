/**
 * Table metadata as plain data mirroring the spec JSON (normalized: v1 files are read into the
 * same shape, with `schemas`/`partition-specs`/`sort-orders` filled from the legacy fields).
 */
import type { PartitionSpec } from "./partition-spec.ts";
import type {
  MetadataLogEntry,
  PartitionStatisticsFile,
  Snapshot,
  SnapshotLogEntry,
  SnapshotRef,
  StatisticsFile,
} from "./snapshot.ts";
import type { SortOrder } from "./sort-order.ts";
import type { Schema } from "./types.ts";

export type FormatVersion = 1 | 2 | 3;

export interface TableMetadata {
  "format-version": FormatVersion;
  "table-uuid": string;
  location: string;
  "last-sequence-number": bigint;
  "last-updated-ms": number;
  "last-column-id": number;
  schemas: Schema[];
  "current-schema-id": number;
  "partition-specs": PartitionSpec[];
  "default-spec-id": number;
  "last-partition-id": number;
  properties: Record<string, string>;
  /** null when the table has no current snapshot (JSON: absent, null or -1 in older writers). */
  "current-snapshot-id": bigint | null;
  snapshots: Snapshot[];
  "snapshot-log": SnapshotLogEntry[];
  "metadata-log": MetadataLogEntry[];
  "sort-orders": SortOrder[];
  "default-sort-order-id": number;
  refs: Record<string, SnapshotRef>;
  statistics: StatisticsFile[];
  "partition-statistics": PartitionStatisticsFile[];
  /** v3 row lineage. */
  "next-row-id"?: bigint;
  /** v3 drafts (some Java releases) wrote this flag; kept so a rewrite does not drop it. */
  "row-lineage"?: boolean;
  /** v3 encryption keys, kept verbatim. */
  "encryption-keys"?: unknown[];
}
