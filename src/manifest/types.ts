/**
 * Manifest-file and manifest-list records (spec "Manifests" and "Manifest Lists"), in TypeScript
 * naming. The Avro field names and ids of the spec live in the schema definitions beside; these
 * types are what the rest of floe reads and writes. int64 fields are bigint.
 */
import type { Value } from "../spec/types.ts";

export enum DataFileContent {
  Data = 0,
  PositionDeletes = 1,
  EqualityDeletes = 2,
}

export enum ManifestContent {
  Data = 0,
  Deletes = 1,
}

export enum ManifestEntryStatus {
  Existing = 0,
  Added = 1,
  Deleted = 2,
}

export type FileFormat = "PARQUET" | "AVRO" | "ORC" | "PUFFIN";

export interface DataFile {
  content: DataFileContent;
  filePath: string;
  fileFormat: FileFormat;
  /** Partition tuple, in the order of the partition spec's fields; values as spec/types Value. */
  partition: Value[];
  recordCount: bigint;
  fileSizeInBytes: bigint;
  /** Keyed by field id. */
  columnSizes?: Map<number, bigint>;
  valueCounts?: Map<number, bigint>;
  nullValueCounts?: Map<number, bigint>;
  nanValueCounts?: Map<number, bigint>;
  /** Single-value binary serialization of each column's lower / upper bound, keyed by field id. */
  lowerBounds?: Map<number, Uint8Array>;
  upperBounds?: Map<number, Uint8Array>;
  keyMetadata?: Uint8Array;
  splitOffsets?: bigint[];
  equalityIds?: number[];
  sortOrderId?: number;
  /** v3 fields. */
  firstRowId?: bigint;
  referencedDataFile?: string;
  contentOffset?: bigint;
  contentSizeInBytes?: bigint;
  /** The spec id of the manifest this file was read from (not stored in the file entry itself). */
  specId?: number;
}

export interface ManifestEntry {
  status: ManifestEntryStatus;
  /** null when inherited from the manifest-list entry. */
  snapshotId: bigint | null;
  /** Data sequence number; null when inherited (added entries). */
  sequenceNumber: bigint | null;
  fileSequenceNumber: bigint | null;
  dataFile: DataFile;
}

export interface FieldSummary {
  containsNull: boolean;
  containsNan?: boolean;
  /** Single-value binary serialization of the partition field's lower / upper bound. */
  lowerBound?: Uint8Array;
  upperBound?: Uint8Array;
}

export interface ManifestFile {
  manifestPath: string;
  manifestLength: bigint;
  partitionSpecId: number;
  content: ManifestContent;
  sequenceNumber: bigint;
  minSequenceNumber: bigint;
  addedSnapshotId: bigint;
  addedFilesCount: number;
  existingFilesCount: number;
  deletedFilesCount: number;
  addedRowsCount: bigint;
  existingRowsCount: bigint;
  deletedRowsCount: bigint;
  partitions?: FieldSummary[];
  keyMetadata?: Uint8Array;
  firstRowId?: bigint;
}
