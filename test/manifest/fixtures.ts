/** Shared schema, specs and data-file builders for the manifest tests. */
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema, Value } from "../../src/spec/types.ts";
import { type DataFile, DataFileContent, type ManifestEntry, ManifestEntryStatus } from "../../src/manifest/types.ts";

/** A table schema covering the partition source types the tests use. */
export const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 3,
  "identifier-field-ids": [1],
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "event_time", required: false, type: "timestamptz" },
    { id: 3, name: "category", required: false, type: "string" },
    { id: 4, name: "amount", required: false, type: "decimal(10,2)" },
    { id: 5, name: "user_id", required: false, type: "uuid" },
    { id: 6, name: "score", required: false, type: "double" },
    { id: 7, name: "event_date", required: false, type: "date" },
    { id: 8, name: "big_amount", required: false, type: "decimal(38,0)" },
  ],
};

export const UNPARTITIONED: PartitionSpec = { "spec-id": 0, fields: [] };

/** day + bucket + truncate + identity string partitions. */
export const MIXED_SPEC: PartitionSpec = {
  "spec-id": 1,
  fields: [
    { "source-id": 2, "field-id": 1000, name: "event_time_day", transform: "day" },
    { "source-id": 1, "field-id": 1001, name: "id_bucket", transform: "bucket[16]" },
    { "source-id": 3, "field-id": 1002, name: "category_trunc", transform: "truncate[4]" },
    { "source-id": 3, "field-id": 1003, name: "category", transform: "identity" },
  ],
};

/** Identity partitions over decimal, uuid, double and date values. */
export const TYPED_SPEC: PartitionSpec = {
  "spec-id": 2,
  fields: [
    { "source-id": 4, "field-id": 1000, name: "amount", transform: "identity" },
    { "source-id": 5, "field-id": 1001, name: "user_id", transform: "identity" },
    { "source-id": 6, "field-id": 1002, name: "score", transform: "identity" },
    { "source-id": 7, "field-id": 1003, name: "event_date", transform: "identity" },
    { "source-id": 8, "field-id": 1004, name: "big_amount", transform: "identity" },
  ],
};

/** A data file with the required fields set; `extra` overrides any field. */
export function dataFile(path: string, partition: Value[], extra: Partial<DataFile> = {}): DataFile {
  return {
    content: DataFileContent.Data,
    filePath: path,
    fileFormat: "PARQUET",
    partition,
    recordCount: 100n,
    fileSizeInBytes: 4096n,
    ...extra,
  };
}

/** An ADDED entry that inherits snapshot id and sequence numbers. */
export const added = (file: DataFile): ManifestEntry => ({
  status: ManifestEntryStatus.Added,
  snapshotId: null,
  sequenceNumber: null,
  fileSequenceNumber: null,
  dataFile: file,
});

/** An EXISTING entry with explicit tracking fields. */
export const existing = (
  file: DataFile,
  snapshotId: bigint,
  sequenceNumber: bigint,
  fileSequenceNumber = sequenceNumber,
): ManifestEntry => ({
  status: ManifestEntryStatus.Existing,
  snapshotId,
  sequenceNumber,
  fileSequenceNumber,
  dataFile: file,
});

/** A DELETED entry with explicit tracking fields. */
export const deleted = (
  file: DataFile,
  snapshotId: bigint,
  sequenceNumber: bigint,
  fileSequenceNumber = sequenceNumber,
): ManifestEntry => ({
  status: ManifestEntryStatus.Deleted,
  snapshotId,
  sequenceNumber,
  fileSequenceNumber,
  dataFile: file,
});
