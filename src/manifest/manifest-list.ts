/**
 * Manifest lists (spec "Manifest Lists"): one Avro file of manifest_file records per snapshot.
 * Writing assigns the snapshot's sequence number to manifests written for this commit (their
 * numbers are still -1, "unassigned"); reading accepts v1 lists, whose manifests are all data
 * manifests with sequence number 0, and the v3 first_row_id. Decoded lists are cached process-wide
 * (manifest-cache.ts).
 */
import { badInput, validation } from "../core/errors.ts";
import { readAvroContainer, writeAvroContainer } from "../avro/container.ts";
import type { FileIO } from "../io/file-io.ts";
import { type FileField, FileSchema, fieldValue, isRecordValue, type RecordValue } from "./file-schema.ts";
import { cachedDecode } from "./manifest-cache.ts";
import { MANIFEST_FILE_IDS as IDS, manifestFileAvroSchema } from "./manifest-schemas.ts";
import { UNASSIGNED_SEQUENCE_NUMBER } from "./manifest-writer.ts";
import { type FieldSummary, ManifestContent, type ManifestFile } from "./types.ts";

/** Options of writeManifestList. */
export interface WriteManifestListOptions {
  snapshotId: bigint;
  parentSnapshotId: bigint | null;
  sequenceNumber: bigint;
  formatVersion?: 2;
  manifests: ManifestFile[];
}

/**
 * A manifest's sequence numbers as written into this snapshot's list: unassigned ones become the
 * snapshot's. Only manifests added by this snapshot may be unassigned; anything else is a bug.
 */
function assignSequenceNumbers(manifest: ManifestFile, options: WriteManifestListOptions): [bigint, bigint] {
  let sequenceNumber = manifest.sequenceNumber;
  if (sequenceNumber === UNASSIGNED_SEQUENCE_NUMBER) {
    if (manifest.addedSnapshotId !== options.snapshotId)
      throw validation(
        `manifest ${manifest.manifestPath} has an unassigned sequence number but was added by snapshot ${manifest.addedSnapshotId}, not ${options.snapshotId}`,
      );
    sequenceNumber = options.sequenceNumber;
  }
  const min =
    manifest.minSequenceNumber === UNASSIGNED_SEQUENCE_NUMBER ? options.sequenceNumber : manifest.minSequenceNumber;
  return [sequenceNumber, min];
}

const summaryRecord = (summary: FieldSummary) => ({
  contains_null: summary.containsNull,
  contains_nan: summary.containsNan ?? null,
  lower_bound: summary.lowerBound ?? null,
  upper_bound: summary.upperBound ?? null,
});

/** Writes the manifest list of a snapshot. */
export async function writeManifestList(io: FileIO, path: string, options: WriteManifestListOptions): Promise<void> {
  const formatVersion = options.formatVersion ?? 2;
  const records = options.manifests.map((manifest) => {
    const [sequenceNumber, minSequenceNumber] = assignSequenceNumbers(manifest, options);
    return {
      manifest_path: manifest.manifestPath,
      manifest_length: manifest.manifestLength,
      partition_spec_id: manifest.partitionSpecId,
      content: manifest.content,
      sequence_number: sequenceNumber,
      min_sequence_number: minSequenceNumber,
      added_snapshot_id: manifest.addedSnapshotId,
      added_files_count: manifest.addedFilesCount,
      existing_files_count: manifest.existingFilesCount,
      deleted_files_count: manifest.deletedFilesCount,
      added_rows_count: manifest.addedRowsCount,
      existing_rows_count: manifest.existingRowsCount,
      deleted_rows_count: manifest.deletedRowsCount,
      partitions: manifest.partitions?.map(summaryRecord) ?? null,
      key_metadata: manifest.keyMetadata ?? null,
    };
  });
  const bytes = writeAvroContainer({
    schema: manifestFileAvroSchema(formatVersion),
    records,
    codec: "deflate",
    metadata: {
      "snapshot-id": String(options.snapshotId),
      "parent-snapshot-id": options.parentSnapshotId === null ? "null" : String(options.parentSnapshotId),
      "sequence-number": String(options.sequenceNumber),
      "format-version": String(formatVersion),
    },
  });
  await io.write(path, bytes);
}

class ListFieldReader {
  constructor(
    private readonly record: RecordValue,
    private readonly fields: Map<number, FileField>,
    private readonly what: string,
  ) {}

  optional(id: number, name: string, kind: "int" | "long" | "string" | "boolean" | "bytes"): unknown {
    const value = fieldValue(this.record, this.fields, id);
    if (value === null) return null;
    const ok =
      kind === "int"
        ? typeof value === "number" && Number.isInteger(value)
        : kind === "long"
          ? typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))
          : kind === "bytes"
            ? value instanceof Uint8Array
            : typeof value === kind;
    if (!ok) throw badInput(`${this.what}: ${name} (id ${id}) is not a ${kind}: ${String(value)}`);
    return kind === "long" ? BigInt(value as number | bigint) : value;
  }

  required(id: number, name: string, kind: "int" | "long" | "string"): unknown {
    const value = this.optional(id, name, kind);
    if (value === null) throw badInput(`${this.what}: required field ${name} (id ${id}) is missing`);
    return value;
  }
}

/**
 * Reads a manifest list (v1 or v2). In v1 lists the file counts are optional, and null means
 * "unknown, assume non-zero" in the spec; such counts read as -1 so no caller mistakes them for 0.
 */
export async function readManifestList(io: FileIO, path: string): Promise<ManifestFile[]> {
  const manifests = await cachedDecode("lists", io, path, undefined, "", (bytes) => {
    const decoded = decodeManifestList(bytes, path);
    return { value: decoded, records: decoded.length };
  });
  // Fresh records per read: callers may change theirs, the cached ones stay as decoded.
  return manifests.map((manifest) => ({ ...manifest }));
}

function decodeManifestList(bytes: Uint8Array, path: string): ManifestFile[] {
  const what = `manifest list ${path}`;
  const container = readAvroContainer(bytes);
  const file = new FileSchema(container.schema, what);
  const fields = file.fieldsById(file.record(container.schema, "manifest_file"));
  const partitionsField = fields.get(IDS.partitions);
  const summaryItems = partitionsField ? file.items(partitionsField.schema) : undefined;
  const summaryFields = summaryItems ? file.fieldsById(file.record(summaryItems, "field_summary")) : new Map();

  return container.records.map((record, index) => {
    const at = `${what} entry ${index}`;
    if (!isRecordValue(record)) throw badInput(`${at} is not a record`);
    const r = new ListFieldReader(record, fields, at);
    const count = (id: number, name: string) => (r.optional(id, name, "int") as number | null) ?? -1;
    const rows = (id: number, name: string) => (r.optional(id, name, "long") as bigint | null) ?? -1n;
    const content = (r.optional(IDS.content, "content", "int") as number | null) ?? ManifestContent.Data;
    if (!(content in ManifestContent)) throw badInput(`${at}: invalid content ${content}`);
    const manifest: ManifestFile = {
      manifestPath: r.required(IDS.manifestPath, "manifest_path", "string") as string,
      manifestLength: r.required(IDS.manifestLength, "manifest_length", "long") as bigint,
      partitionSpecId: r.required(IDS.partitionSpecId, "partition_spec_id", "int") as number,
      content,
      // v1 lists have no sequence numbers: the spec says to read them as 0.
      sequenceNumber: (r.optional(IDS.sequenceNumber, "sequence_number", "long") as bigint | null) ?? 0n,
      minSequenceNumber: (r.optional(IDS.minSequenceNumber, "min_sequence_number", "long") as bigint | null) ?? 0n,
      addedSnapshotId: r.required(IDS.addedSnapshotId, "added_snapshot_id", "long") as bigint,
      addedFilesCount: count(IDS.addedFilesCount, "added_files_count"),
      existingFilesCount: count(IDS.existingFilesCount, "existing_files_count"),
      deletedFilesCount: count(IDS.deletedFilesCount, "deleted_files_count"),
      addedRowsCount: rows(IDS.addedRowsCount, "added_rows_count"),
      existingRowsCount: rows(IDS.existingRowsCount, "existing_rows_count"),
      deletedRowsCount: rows(IDS.deletedRowsCount, "deleted_rows_count"),
    };
    const partitions = fieldValue(record, fields, IDS.partitions);
    if (partitions !== null) {
      if (!Array.isArray(partitions)) throw badInput(`${at}: partitions is not a list`);
      manifest.partitions = partitions.map((raw, i) => readSummary(raw, summaryFields, `${at} partition summary ${i}`));
    }
    const keyMetadata = r.optional(IDS.keyMetadata, "key_metadata", "bytes") as Uint8Array | null;
    if (keyMetadata !== null) manifest.keyMetadata = keyMetadata;
    const firstRowId = r.optional(IDS.firstRowId, "first_row_id", "long") as bigint | null;
    if (firstRowId !== null) manifest.firstRowId = firstRowId;
    return manifest;
  });
}

function readSummary(raw: unknown, fields: Map<number, FileField>, what: string): FieldSummary {
  if (!isRecordValue(raw)) throw badInput(`${what} is not a record`);
  const r = new ListFieldReader(raw, fields, what);
  const containsNull = r.optional(IDS.containsNull, "contains_null", "boolean");
  if (containsNull === null) throw badInput(`${what}: contains_null is missing`);
  const summary: FieldSummary = { containsNull: containsNull as boolean };
  const containsNan = r.optional(IDS.containsNan, "contains_nan", "boolean");
  if (containsNan !== null) summary.containsNan = containsNan as boolean;
  const lower = r.optional(IDS.lowerBound, "lower_bound", "bytes");
  if (lower !== null) summary.lowerBound = lower as Uint8Array;
  const upper = r.optional(IDS.upperBound, "upper_bound", "bytes");
  if (upper !== null) summary.upperBound = upper as Uint8Array;
  return summary;
}
