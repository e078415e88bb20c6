/**
 * The manifest_entry and manifest_file schemas of spec sections "Manifests" and "Manifest Lists",
 * written once as Iceberg structs with the spec's field ids and converted to Avro. Field order,
 * names and requiredness follow the spec tables for each version; readers match by field id, so
 * only writers depend on these shapes.
 */
import type { AvroRecord } from "../avro/schema.ts";
import type { IcebergType, ListType, MapType, NestedField, StructType } from "../spec/types.ts";
import { structToAvroRecord } from "./iceberg-to-avro.ts";

const required = (id: number, name: string, type: IcebergType): NestedField => ({ id, name, required: true, type });
const optional = (id: number, name: string, type: IcebergType): NestedField => ({ id, name, required: false, type });
const struct = (...fields: NestedField[]): StructType => ({ type: "struct", fields });
const intToLongMap = (keyId: number, valueId: number): MapType => ({
  type: "map",
  "key-id": keyId,
  key: "int",
  "value-id": valueId,
  value: "long",
  "value-required": true,
});
const intToBinaryMap = (keyId: number, valueId: number): MapType => ({
  ...intToLongMap(keyId, valueId),
  value: "binary",
});
const listOf = (elementId: number, element: IcebergType): ListType => ({
  type: "list",
  "element-id": elementId,
  element,
  "element-required": true,
});

/** Field ids of manifest_entry and data_file (spec "Manifests"). */
export const ENTRY_IDS = {
  status: 0,
  snapshotId: 1,
  dataFile: 2,
  sequenceNumber: 3,
  fileSequenceNumber: 4,
  filePath: 100,
  fileFormat: 101,
  partition: 102,
  recordCount: 103,
  fileSizeInBytes: 104,
  blockSizeInBytes: 105,
  columnSizes: 108,
  valueCounts: 109,
  nullValueCounts: 110,
  lowerBounds: 125,
  upperBounds: 128,
  keyMetadata: 131,
  splitOffsets: 132,
  content: 134,
  equalityIds: 135,
  nanValueCounts: 137,
  sortOrderId: 140,
  firstRowId: 142,
  referencedDataFile: 143,
  contentOffset: 144,
  contentSizeInBytes: 145,
} as const;

/** Field ids of manifest_file and field_summary (spec "Manifest Lists"). */
export const MANIFEST_FILE_IDS = {
  manifestPath: 500,
  manifestLength: 501,
  partitionSpecId: 502,
  addedSnapshotId: 503,
  addedFilesCount: 504,
  existingFilesCount: 505,
  deletedFilesCount: 506,
  partitions: 507,
  fieldSummary: 508,
  containsNull: 509,
  lowerBound: 510,
  upperBound: 511,
  addedRowsCount: 512,
  existingRowsCount: 513,
  deletedRowsCount: 514,
  sequenceNumber: 515,
  minSequenceNumber: 516,
  content: 517,
  containsNan: 518,
  keyMetadata: 519,
  firstRowId: 520,
} as const;

const metricFields = (): NestedField[] => [
  optional(108, "column_sizes", intToLongMap(117, 118)),
  optional(109, "value_counts", intToLongMap(119, 120)),
  optional(110, "null_value_counts", intToLongMap(121, 122)),
  optional(137, "nan_value_counts", intToLongMap(138, 139)),
  optional(125, "lower_bounds", intToBinaryMap(126, 127)),
  optional(128, "upper_bounds", intToBinaryMap(129, 130)),
  optional(131, "key_metadata", "binary"),
  optional(132, "split_offsets", listOf(133, "long")),
];

/** The v2 data_file struct for a partition type. */
export const dataFileTypeV2 = (partitionType: StructType): StructType =>
  struct(
    required(134, "content", "int"),
    required(100, "file_path", "string"),
    required(101, "file_format", "string"),
    required(102, "partition", partitionType),
    required(103, "record_count", "long"),
    required(104, "file_size_in_bytes", "long"),
    ...metricFields(),
    optional(135, "equality_ids", listOf(136, "int")),
    optional(140, "sort_order_id", "int"),
    optional(143, "referenced_data_file", "string"),
  );

/** The v1 data_file struct for a partition type (block_size_in_bytes is required in v1). */
export const dataFileTypeV1 = (partitionType: StructType): StructType =>
  struct(
    required(100, "file_path", "string"),
    required(101, "file_format", "string"),
    required(102, "partition", partitionType),
    required(103, "record_count", "long"),
    required(104, "file_size_in_bytes", "long"),
    required(105, "block_size_in_bytes", "long"),
    ...metricFields(),
    optional(140, "sort_order_id", "int"),
  );

/** The v2 manifest_entry struct. */
export const manifestEntryTypeV2 = (partitionType: StructType): StructType =>
  struct(
    required(0, "status", "int"),
    optional(1, "snapshot_id", "long"),
    optional(3, "sequence_number", "long"),
    optional(4, "file_sequence_number", "long"),
    required(2, "data_file", dataFileTypeV2(partitionType)),
  );

/** The v1 manifest_entry struct (snapshot_id is required and there are no sequence numbers). */
export const manifestEntryTypeV1 = (partitionType: StructType): StructType =>
  struct(
    required(0, "status", "int"),
    required(1, "snapshot_id", "long"),
    required(2, "data_file", dataFileTypeV1(partitionType)),
  );

const fieldSummaryType = (): StructType =>
  struct(
    required(509, "contains_null", "boolean"),
    optional(518, "contains_nan", "boolean"),
    optional(510, "lower_bound", "binary"),
    optional(511, "upper_bound", "binary"),
  );

/** The v2 manifest_file struct. */
export const manifestFileTypeV2 = (): StructType =>
  struct(
    required(500, "manifest_path", "string"),
    required(501, "manifest_length", "long"),
    required(502, "partition_spec_id", "int"),
    required(517, "content", "int"),
    required(515, "sequence_number", "long"),
    required(516, "min_sequence_number", "long"),
    required(503, "added_snapshot_id", "long"),
    required(504, "added_files_count", "int"),
    required(505, "existing_files_count", "int"),
    required(506, "deleted_files_count", "int"),
    required(512, "added_rows_count", "long"),
    required(513, "existing_rows_count", "long"),
    required(514, "deleted_rows_count", "long"),
    optional(507, "partitions", listOf(508, fieldSummaryType())),
    optional(519, "key_metadata", "binary"),
  );

/** The v1 manifest_file struct (no content or sequence numbers; counts optional). */
export const manifestFileTypeV1 = (): StructType =>
  struct(
    required(500, "manifest_path", "string"),
    required(501, "manifest_length", "long"),
    required(502, "partition_spec_id", "int"),
    required(503, "added_snapshot_id", "long"),
    optional(504, "added_files_count", "int"),
    optional(505, "existing_files_count", "int"),
    optional(506, "deleted_files_count", "int"),
    optional(512, "added_rows_count", "long"),
    optional(513, "existing_rows_count", "long"),
    optional(514, "deleted_rows_count", "long"),
    optional(507, "partitions", listOf(508, fieldSummaryType())),
    optional(519, "key_metadata", "binary"),
  );

/** Avro schema of a manifest file's records for a format version (1 or 2) and partition type. */
export function manifestEntryAvroSchema(formatVersion: 1 | 2, partitionType: StructType): AvroRecord {
  const type = formatVersion === 1 ? manifestEntryTypeV1(partitionType) : manifestEntryTypeV2(partitionType);
  return structToAvroRecord(type, "manifest_entry");
}

/** Avro schema of a manifest list's records for a format version (1 or 2). */
export function manifestFileAvroSchema(formatVersion: 1 | 2): AvroRecord {
  return structToAvroRecord(formatVersion === 1 ? manifestFileTypeV1() : manifestFileTypeV2(), "manifest_file");
}
