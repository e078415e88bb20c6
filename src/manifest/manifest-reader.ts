/**
 * Reads manifest entries (v1, v2, and the v3 data_file fields) by field id, and applies the
 * spec's inheritance rules so callers always see complete entries:
 * - a null snapshot_id is the manifest's added_snapshot_id;
 * - a null data / file sequence number is the manifest's sequence number for ADDED entries, and
 *   for every entry of a manifest with sequence number 0 (v1 metadata); files without the
 *   sequence-number columns (v1) read as 0 ("Sequence Number Inheritance");
 * - a null first_row_id of a live data file is the manifest's first_row_id plus the records of the
 *   preceding files that inherited ("First Row ID Inheritance").
 */
import { badInput } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { readAvroContainer } from "../avro/container.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { Schema, StructType } from "../spec/types.ts";
import { type FileField, FileSchema, fieldValue, isRecordValue, type RecordValue } from "./file-schema.ts";
import { parseManifestHeader } from "./manifest-header.ts";
import { ENTRY_IDS } from "./manifest-schemas.ts";
import { partitionDecoder } from "./partition-tuple.ts";
import {
  type DataFile,
  DataFileContent,
  type FileFormat,
  type ManifestEntry,
  ManifestEntryStatus,
  type ManifestFile,
} from "./types.ts";

/** Options of readManifest: override the schema / spec recorded in the manifest header. */
export interface ReadManifestOptions {
  schema?: Schema;
  spec?: PartitionSpec;
}

const FILE_FORMATS = new Set<string>(["PARQUET", "AVRO", "ORC", "PUFFIN"]);

/** Typed access to the fields of one record, by id. */
class FieldReader {
  constructor(
    private readonly record: RecordValue,
    private readonly fields: Map<number, FileField>,
    private readonly what: string,
  ) {}

  raw(id: number): unknown {
    return fieldValue(this.record, this.fields, id);
  }

  long(id: number, name: string): bigint | null {
    const value = this.raw(id);
    if (value === null) return null;
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    throw badInput(`${this.what}: ${name} is not a long: ${String(value)}`);
  }

  requiredLong(id: number, name: string): bigint {
    const value = this.long(id, name);
    if (value === null) throw badInput(`${this.what}: required field ${name} (id ${id}) is missing`);
    return value;
  }

  int(id: number, name: string): number | null {
    const value = this.raw(id);
    if (value === null) return null;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    throw badInput(`${this.what}: ${name} is not an int: ${String(value)}`);
  }

  string(id: number, name: string): string | null {
    const value = this.raw(id);
    if (value === null) return null;
    if (typeof value === "string") return value;
    throw badInput(`${this.what}: ${name} is not a string: ${String(value)}`);
  }

  bytes(id: number, name: string): Uint8Array | null {
    const value = this.raw(id);
    if (value === null) return null;
    if (value instanceof Uint8Array) return value;
    throw badInput(`${this.what}: ${name} is not bytes`);
  }

  /** A map<int, V> stored as an array of key/value records (or, leniently, an Avro map). */
  intMap<V>(id: number, name: string, convert: (value: unknown) => V): Map<number, V> | undefined {
    const value = this.raw(id);
    if (value === null) return undefined;
    if (!(value instanceof Map) && !Array.isArray(value)) throw badInput(`${this.what}: ${name} is not a map`);
    const out = new Map<number, V>();
    const pairs: [unknown, unknown][] =
      value instanceof Map
        ? [...value].map(([k, v]) => [Number(k), v])
        : value.map((item) => {
            if (!isRecordValue(item)) throw badInput(`${this.what}: ${name} entry is not a key/value record`);
            // Key and value are the first and second fields of the element record (Appendix A).
            const [k, v] = Object.values(item);
            return [k, v];
          });
    for (const [k, v] of pairs) {
      if (typeof k !== "number" || !Number.isInteger(k)) throw badInput(`${this.what}: ${name} key is not an int`);
      out.set(k, convert(v));
    }
    return out;
  }

  list<V>(id: number, name: string, convert: (value: unknown) => V): V[] | undefined {
    const value = this.raw(id);
    if (value === null) return undefined;
    if (!Array.isArray(value)) throw badInput(`${this.what}: ${name} is not a list`);
    return value.map(convert);
  }
}

const toLong =
  (what: string) =>
  (value: unknown): bigint => {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    throw badInput(`${what}: expected a long, got ${String(value)}`);
  };
const toInt =
  (what: string) =>
  (value: unknown): number => {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    throw badInput(`${what}: expected an int, got ${String(value)}`);
  };
const toBytesValue =
  (what: string) =>
  (value: unknown): Uint8Array => {
    if (value instanceof Uint8Array) return value;
    throw badInput(`${what}: expected bytes, got ${typeof value}`);
  };

function parseFileFormat(text: string, what: string): FileFormat {
  const upper = text.toUpperCase();
  if (!FILE_FORMATS.has(upper)) throw badInput(`${what}: unknown file format ${text}`);
  return upper as FileFormat;
}

function partitionTypeOrUndefined(spec: PartitionSpec, schema: Schema | undefined): StructType | undefined {
  if (!schema) return undefined;
  try {
    return partitionType(spec, schema);
  } catch {
    // An unparseable transform or type: fall back to the file's own Avro logical types.
    return undefined;
  }
}

/** Reads the entries of a manifest, with inherited values filled in (see the file comment). */
export async function readManifest(
  io: FileIO,
  manifest: ManifestFile,
  options: ReadManifestOptions = {},
): Promise<ManifestEntry[]> {
  const path = manifest.manifestPath;
  const what = `manifest ${path}`;
  const container = readAvroContainer(await io.read(path));
  const header = parseManifestHeader(container.metadata, what, manifest.partitionSpecId);
  const spec = options.spec ?? header.spec;
  if (!spec) throw badInput(`${what}: the header has no partition-spec and none was given`);
  const schema = options.schema ?? header.schema;

  const file = new FileSchema(container.schema, what);
  const entryFields = file.fieldsById(file.record(container.schema, "manifest_entry"));
  const dataFileField = entryFields.get(ENTRY_IDS.dataFile);
  if (!dataFileField) throw badInput(`${what}: the file schema has no data_file field (id 2)`);
  const dataFields = file.fieldsById(file.record(dataFileField.schema, "data_file"));
  const partitionField = dataFields.get(ENTRY_IDS.partition);
  if (!partitionField) throw badInput(`${what}: the file schema has no partition field (id 102)`);
  const decoder = partitionDecoder(
    file,
    file.record(partitionField.schema, "partition"),
    spec,
    partitionTypeOrUndefined(spec, schema),
    what,
  );
  const hasSequenceNumbers = entryFields.has(ENTRY_IDS.sequenceNumber);
  const inheritedSequence = manifest.sequenceNumber >= 0n ? manifest.sequenceNumber : null;
  let nextRowId = manifest.firstRowId ?? null;

  return container.records.map((record, index) => {
    const at = `${what} entry ${index}`;
    if (!isRecordValue(record)) throw badInput(`${at} is not a record`);
    const entry = new FieldReader(record, entryFields, at);
    const statusValue = entry.int(ENTRY_IDS.status, "status");
    if (statusValue === null || !(statusValue in ManifestEntryStatus))
      throw badInput(`${at}: invalid status ${statusValue}`);
    const status = statusValue as ManifestEntryStatus;
    const rawFile = entry.raw(ENTRY_IDS.dataFile);
    if (!isRecordValue(rawFile)) throw badInput(`${at}: data_file is not a record`);
    const dataFile = readDataFile(new FieldReader(rawFile, dataFields, at), decoder, at);
    dataFile.specId = manifest.partitionSpecId;

    const inherit = (explicit: bigint | null): bigint | null => {
      if (!hasSequenceNumbers) return 0n;
      if (explicit !== null) return explicit;
      return status === ManifestEntryStatus.Added || inheritedSequence === 0n ? inheritedSequence : null;
    };
    if (
      nextRowId !== null &&
      dataFile.content === DataFileContent.Data &&
      dataFile.firstRowId === undefined &&
      status !== ManifestEntryStatus.Deleted
    ) {
      dataFile.firstRowId = nextRowId;
      nextRowId += dataFile.recordCount;
    }
    return {
      status,
      snapshotId: entry.long(ENTRY_IDS.snapshotId, "snapshot_id") ?? manifest.addedSnapshotId,
      sequenceNumber: inherit(entry.long(ENTRY_IDS.sequenceNumber, "sequence_number")),
      fileSequenceNumber: inherit(entry.long(ENTRY_IDS.fileSequenceNumber, "file_sequence_number")),
      dataFile,
    };
  });
}

function readDataFile(reader: FieldReader, decoder: ReturnType<typeof partitionDecoder>, what: string): DataFile {
  const filePath = reader.string(ENTRY_IDS.filePath, "file_path");
  const format = reader.string(ENTRY_IDS.fileFormat, "file_format");
  if (filePath === null || format === null) throw badInput(`${what}: data_file lacks file_path or file_format`);
  const at = `${what} (${filePath})`;
  const content = reader.int(ENTRY_IDS.content, "content") ?? DataFileContent.Data;
  if (!(content in DataFileContent)) throw badInput(`${at}: invalid content ${content}`);
  const file: DataFile = {
    content,
    filePath,
    fileFormat: parseFileFormat(format, at),
    partition: decoder.decode(reader.raw(ENTRY_IDS.partition), at),
    recordCount: reader.requiredLong(ENTRY_IDS.recordCount, "record_count"),
    fileSizeInBytes: reader.requiredLong(ENTRY_IDS.fileSizeInBytes, "file_size_in_bytes"),
  };
  const optionalFields: Partial<DataFile> = {
    columnSizes: reader.intMap(ENTRY_IDS.columnSizes, "column_sizes", toLong(at)),
    valueCounts: reader.intMap(ENTRY_IDS.valueCounts, "value_counts", toLong(at)),
    nullValueCounts: reader.intMap(ENTRY_IDS.nullValueCounts, "null_value_counts", toLong(at)),
    nanValueCounts: reader.intMap(ENTRY_IDS.nanValueCounts, "nan_value_counts", toLong(at)),
    lowerBounds: reader.intMap(ENTRY_IDS.lowerBounds, "lower_bounds", toBytesValue(at)),
    upperBounds: reader.intMap(ENTRY_IDS.upperBounds, "upper_bounds", toBytesValue(at)),
    keyMetadata: reader.bytes(ENTRY_IDS.keyMetadata, "key_metadata") ?? undefined,
    splitOffsets: reader.list(ENTRY_IDS.splitOffsets, "split_offsets", toLong(at)),
    equalityIds: reader.list(ENTRY_IDS.equalityIds, "equality_ids", toInt(at)),
    sortOrderId: reader.int(ENTRY_IDS.sortOrderId, "sort_order_id") ?? undefined,
    firstRowId: reader.long(ENTRY_IDS.firstRowId, "first_row_id") ?? undefined,
    referencedDataFile: reader.string(ENTRY_IDS.referencedDataFile, "referenced_data_file") ?? undefined,
    contentOffset: reader.long(ENTRY_IDS.contentOffset, "content_offset") ?? undefined,
    contentSizeInBytes: reader.long(ENTRY_IDS.contentSizeInBytes, "content_size_in_bytes") ?? undefined,
  };
  for (const [key, value] of Object.entries(optionalFields)) {
    if (value !== undefined) (file as unknown as Record<string, unknown>)[key] = value;
  }
  return file;
}
