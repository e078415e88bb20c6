/**
 * Reads manifest entries (v1, v2, and the v3 data_file fields) by field id, and applies the
 * spec's inheritance rules so callers always see complete entries:
 * - a null snapshot_id is the manifest's added_snapshot_id;
 * - a null data / file sequence number is the manifest's sequence number for ADDED entries, and
 *   for every entry of a manifest with sequence number 0 (v1 metadata); files without the
 *   sequence-number columns (v1) read as 0 ("Sequence Number Inheritance");
 * - a null first_row_id of a live data file is the manifest's first_row_id plus the records of the
 *   preceding files that inherited ("First Row ID Inheritance").
 * Decoded files are cached process-wide (manifest-cache.ts); inheritance is applied per read, and
 * every read returns fresh entry and data-file objects (their maps and arrays are shared).
 */
import { badInput } from "../core/errors.ts";
import { stringifyJson } from "../core/json.ts";
import type { FileIO } from "../io/file-io.ts";
import { readAvroContainer } from "../avro/container.ts";
import type { AvroRecord, AvroSchema } from "../avro/schema.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { Schema, StructType } from "../spec/types.ts";
import { FileSchema, isRecordValue, type RecordValue } from "./file-schema.ts";
import { cachedDecode } from "./manifest-cache.ts";
import { parseManifestHeader } from "./manifest-header.ts";
import { ENTRY_IDS } from "./manifest-schemas.ts";
import { type PartitionDecoder, partitionDecoder } from "./partition-tuple.ts";
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

/** An entry as stored, before inheritance from the manifest-list row (cached per file). */
interface StoredEntry {
  status: ManifestEntryStatus;
  snapshotId: bigint | null;
  sequenceNumber: bigint | null;
  fileSequenceNumber: bigint | null;
  /** With the list row's spec id (part of the cache key), without an inherited first_row_id. */
  dataFile: DataFile;
}

/** The stored entries of one manifest file, and whether it has the sequence-number columns. */
interface StoredManifest {
  entries: StoredEntry[];
  hasSequenceNumbers: boolean;
}

/** Where the fields of manifest_entry and data_file are in one writer schema, found once per schema. */
interface EntryLayout {
  file: FileSchema;
  partitionRecord: AvroRecord;
  hasSequenceNumbers: boolean;
  /** Record field name of each field id of manifest_entry (ids 0-4) and data_file (ids >= 100). */
  names: Map<number, string>;
  /** Key and value field names of the key/value records of the map fields of data_file, by id. */
  pairs: Map<number, [string, string]>;
}

/** Layouts by writer schema object: container.ts hands out one object per distinct schema text. */
const layouts = new WeakMap<object, EntryLayout>();

function entryLayout(schema: AvroSchema, what: string): EntryLayout {
  const cacheable = typeof schema === "object" && schema !== null;
  const known = cacheable ? layouts.get(schema) : undefined;
  if (known) return known;
  const file = new FileSchema(schema, what);
  const entryFields = file.fieldsById(file.record(schema, "manifest_entry"));
  const dataFileField = entryFields.get(ENTRY_IDS.dataFile);
  if (!dataFileField) throw badInput(`${what}: the file schema has no data_file field (id 2)`);
  const dataFields = file.fieldsById(file.record(dataFileField.schema, "data_file"));
  const partitionField = dataFields.get(ENTRY_IDS.partition);
  if (!partitionField) throw badInput(`${what}: the file schema has no partition field (id 102)`);
  const names = new Map<number, string>();
  for (const [id, field] of entryFields) names.set(id, field.name);
  for (const [id, field] of dataFields) names.set(id, field.name);
  const pairs = new Map<number, [string, string]>();
  for (const [id, field] of dataFields) {
    const items = file.items(field.schema);
    if (items === undefined) continue;
    const element = file.resolve(items);
    if (typeof element === "object" && !Array.isArray(element) && element.type === "record") {
      const fields = (element as AvroRecord).fields;
      // Key and value are the first and second fields of the element record (Appendix A).
      if (fields.length >= 2) pairs.set(id, [fields[0].name, fields[1].name]);
    }
  }
  const layout: EntryLayout = {
    file,
    partitionRecord: file.record(partitionField.schema, "partition"),
    hasSequenceNumbers: entryFields.has(ENTRY_IDS.sequenceNumber),
    names,
    pairs,
  };
  if (cacheable) layouts.set(schema, layout);
  return layout;
}

/** The value of field `id` in `record`, or null when the file has no such field. */
function field(record: RecordValue, layout: EntryLayout, id: number): unknown {
  const name = layout.names.get(id);
  return name === undefined ? null : (record[name] ?? null);
}

function longValue(value: unknown, name: string, at: string): bigint | null {
  if (value === null) return null;
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  throw badInput(`${at}: ${name} is not a long: ${String(value)}`);
}

function requiredLong(value: unknown, id: number, name: string, at: string): bigint {
  const long = longValue(value, name, at);
  if (long === null) throw badInput(`${at}: required field ${name} (id ${id}) is missing`);
  return long;
}

function intValue(value: unknown, name: string, at: string): number | null {
  if (value === null) return null;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw badInput(`${at}: ${name} is not an int: ${String(value)}`);
}

function stringValue(value: unknown, name: string, at: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  throw badInput(`${at}: ${name} is not a string: ${String(value)}`);
}

/**
 * Calls `add` with each key/value of a map<int, V> stored as an array of key/value records (or,
 * leniently, an Avro map), without building pairs in between.
 */
function forEachPair(
  value: unknown,
  pair: [string, string] | undefined,
  name: string,
  at: string,
  add: (key: number, value: unknown) => void,
): void {
  if (value instanceof Map) {
    for (const [k, v] of value) add(intKey(Number(k), name, at), v);
    return;
  }
  if (!Array.isArray(value)) throw badInput(`${at}: ${name} is not a map`);
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    if (!isRecordValue(item)) throw badInput(`${at}: ${name} entry is not a key/value record`);
    if (pair) add(intKey(item[pair[0]], name, at), item[pair[1]]);
    else {
      const [k, v] = Object.values(item);
      add(intKey(k, name, at), v);
    }
  }
}

function intKey(key: unknown, name: string, at: string): number {
  if (typeof key !== "number" || !Number.isInteger(key)) throw badInput(`${at}: ${name} key is not an int`);
  return key;
}

/** A map<int, long> field, or undefined when absent. */
function longMap(record: RecordValue, layout: EntryLayout, id: number, name: string, at: string) {
  const value = field(record, layout, id);
  if (value === null) return undefined;
  const out = new Map<number, bigint>();
  forEachPair(value, layout.pairs.get(id), name, at, (key, v) => {
    if (typeof v === "bigint") out.set(key, v);
    else if (typeof v === "number" && Number.isInteger(v)) out.set(key, BigInt(v));
    else throw badInput(`${at}: expected a long, got ${String(v)}`);
  });
  return out;
}

/** A map<int, binary> field, or undefined when absent. */
function bytesMap(record: RecordValue, layout: EntryLayout, id: number, name: string, at: string) {
  const value = field(record, layout, id);
  if (value === null) return undefined;
  const out = new Map<number, Uint8Array>();
  forEachPair(value, layout.pairs.get(id), name, at, (key, v) => {
    if (!(v instanceof Uint8Array)) throw badInput(`${at}: expected bytes, got ${typeof v}`);
    out.set(key, v);
  });
  return out;
}

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
  // The decoded partition values depend on the spec and schema used; nothing else but the file does.
  const variant = `${options.spec ? stringifyJson(options.spec) : "-"}|${
    options.schema && options.spec
      ? stringifyJson(partitionTypeOrUndefined(options.spec, options.schema) ?? null)
      : options.schema
        ? stringifyJson(options.schema)
        : "-"
  }|${manifest.partitionSpecId}`;
  const stored = await cachedDecode<StoredManifest>(
    "manifests",
    io,
    path,
    manifest.manifestLength >= 0n ? manifest.manifestLength : undefined,
    variant,
    (bytes) => {
      const decoded = decodeManifest(bytes, manifest, options);
      return { value: decoded, records: decoded.entries.length };
    },
  );
  return inherit(stored, manifest);
}

/** Decodes every entry of a manifest file as stored (no inheritance). */
function decodeManifest(bytes: Uint8Array, manifest: ManifestFile, options: ReadManifestOptions): StoredManifest {
  const what = `manifest ${manifest.manifestPath}`;
  const container = readAvroContainer(bytes);
  const header = parseManifestHeader(container.metadata, what, manifest.partitionSpecId);
  const spec = options.spec ?? header.spec;
  if (!spec) throw badInput(`${what}: the header has no partition-spec and none was given`);
  const schema = options.schema ?? header.schema;
  const layout = entryLayout(container.schema, what);
  const decoder = partitionDecoder(
    layout.file,
    layout.partitionRecord,
    spec,
    partitionTypeOrUndefined(spec, schema),
    what,
  );
  const { records } = container;
  const entries: StoredEntry[] = new Array(records.length);
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    const at = `${what} entry ${index}`;
    if (!isRecordValue(record)) throw badInput(`${at} is not a record`);
    const statusValue = intValue(field(record, layout, ENTRY_IDS.status), "status", at);
    if (statusValue === null || !(statusValue in ManifestEntryStatus))
      throw badInput(`${at}: invalid status ${statusValue}`);
    const rawFile = field(record, layout, ENTRY_IDS.dataFile);
    if (!isRecordValue(rawFile)) throw badInput(`${at}: data_file is not a record`);
    entries[index] = {
      status: statusValue as ManifestEntryStatus,
      snapshotId: longValue(field(record, layout, ENTRY_IDS.snapshotId), "snapshot_id", at),
      sequenceNumber: longValue(field(record, layout, ENTRY_IDS.sequenceNumber), "sequence_number", at),
      fileSequenceNumber: longValue(field(record, layout, ENTRY_IDS.fileSequenceNumber), "file_sequence_number", at),
      dataFile: readDataFile(rawFile, layout, decoder, at, manifest.partitionSpecId),
    };
  }
  return { entries, hasSequenceNumbers: layout.hasSequenceNumbers };
}

/** Fresh entries of `stored` with the manifest-list row's values inherited (see the file comment). */
function inherit(stored: StoredManifest, manifest: ManifestFile): ManifestEntry[] {
  const { hasSequenceNumbers, entries } = stored;
  const inheritedSequence = manifest.sequenceNumber >= 0n ? manifest.sequenceNumber : null;
  const addedSnapshotId = manifest.addedSnapshotId;
  let nextRowId = manifest.firstRowId ?? null;
  const out: ManifestEntry[] = new Array(entries.length);
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const { status } = entry;
    // A plain clone (the stored file has specId already) is V8's fastest copy.
    const dataFile: DataFile = { ...entry.dataFile };
    if (
      nextRowId !== null &&
      dataFile.content === DataFileContent.Data &&
      dataFile.firstRowId === undefined &&
      status !== ManifestEntryStatus.Deleted
    ) {
      dataFile.firstRowId = nextRowId;
      nextRowId += dataFile.recordCount;
    }
    // Without the sequence-number columns (v1) numbers read as 0; null ones are inherited by
    // ADDED entries, and by every entry of a manifest whose own number is 0 (v1 metadata).
    const inherits = status === ManifestEntryStatus.Added || inheritedSequence === 0n;
    out[index] = {
      status,
      snapshotId: entry.snapshotId ?? addedSnapshotId,
      sequenceNumber: !hasSequenceNumbers ? 0n : (entry.sequenceNumber ?? (inherits ? inheritedSequence : null)),
      fileSequenceNumber: !hasSequenceNumbers
        ? 0n
        : (entry.fileSequenceNumber ?? (inherits ? inheritedSequence : null)),
      dataFile,
    };
  }
  return out;
}

function readDataFile(
  record: RecordValue,
  layout: EntryLayout,
  decoder: PartitionDecoder,
  what: string,
  specId: number,
): DataFile {
  const filePath = stringValue(field(record, layout, ENTRY_IDS.filePath), "file_path", what);
  const format = stringValue(field(record, layout, ENTRY_IDS.fileFormat), "file_format", what);
  if (filePath === null || format === null) throw badInput(`${what}: data_file lacks file_path or file_format`);
  const at = `${what} (${filePath})`;
  const content = intValue(field(record, layout, ENTRY_IDS.content), "content", what) ?? DataFileContent.Data;
  if (!(content in DataFileContent)) throw badInput(`${at}: invalid content ${content}`);
  const file: DataFile = {
    content,
    filePath,
    fileFormat: parseFileFormat(format, at),
    partition: decoder.decode(field(record, layout, ENTRY_IDS.partition), what),
    recordCount: requiredLong(
      field(record, layout, ENTRY_IDS.recordCount),
      ENTRY_IDS.recordCount,
      "record_count",
      what,
    ),
    fileSizeInBytes: requiredLong(
      field(record, layout, ENTRY_IDS.fileSizeInBytes),
      ENTRY_IDS.fileSizeInBytes,
      "file_size_in_bytes",
      what,
    ),
  };
  // Optional fields are set only when present, in the order of the DataFile type.
  const columnSizes = longMap(record, layout, ENTRY_IDS.columnSizes, "column_sizes", at);
  if (columnSizes) file.columnSizes = columnSizes;
  const valueCounts = longMap(record, layout, ENTRY_IDS.valueCounts, "value_counts", at);
  if (valueCounts) file.valueCounts = valueCounts;
  const nullValueCounts = longMap(record, layout, ENTRY_IDS.nullValueCounts, "null_value_counts", at);
  if (nullValueCounts) file.nullValueCounts = nullValueCounts;
  const nanValueCounts = longMap(record, layout, ENTRY_IDS.nanValueCounts, "nan_value_counts", at);
  if (nanValueCounts) file.nanValueCounts = nanValueCounts;
  const lowerBounds = bytesMap(record, layout, ENTRY_IDS.lowerBounds, "lower_bounds", at);
  if (lowerBounds) file.lowerBounds = lowerBounds;
  const upperBounds = bytesMap(record, layout, ENTRY_IDS.upperBounds, "upper_bounds", at);
  if (upperBounds) file.upperBounds = upperBounds;
  const keyMetadata = field(record, layout, ENTRY_IDS.keyMetadata);
  if (keyMetadata !== null) {
    if (!(keyMetadata instanceof Uint8Array)) throw badInput(`${what}: key_metadata is not bytes`);
    file.keyMetadata = keyMetadata;
  }
  const splitOffsets = field(record, layout, ENTRY_IDS.splitOffsets);
  if (splitOffsets !== null) {
    if (!Array.isArray(splitOffsets)) throw badInput(`${what}: split_offsets is not a list`);
    file.splitOffsets = splitOffsets.map((value) => {
      if (typeof value === "bigint") return value;
      if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
      throw badInput(`${at}: expected a long, got ${String(value)}`);
    });
  }
  const equalityIds = field(record, layout, ENTRY_IDS.equalityIds);
  if (equalityIds !== null) {
    if (!Array.isArray(equalityIds)) throw badInput(`${what}: equality_ids is not a list`);
    file.equalityIds = equalityIds.map((value) => {
      if (typeof value === "number" && Number.isInteger(value)) return value;
      throw badInput(`${at}: expected an int, got ${String(value)}`);
    });
  }
  const sortOrderId = intValue(field(record, layout, ENTRY_IDS.sortOrderId), "sort_order_id", what);
  if (sortOrderId !== null) file.sortOrderId = sortOrderId;
  const firstRowId = longValue(field(record, layout, ENTRY_IDS.firstRowId), "first_row_id", what);
  if (firstRowId !== null) file.firstRowId = firstRowId;
  const referenced = stringValue(field(record, layout, ENTRY_IDS.referencedDataFile), "referenced_data_file", what);
  if (referenced !== null) file.referencedDataFile = referenced;
  const contentOffset = longValue(field(record, layout, ENTRY_IDS.contentOffset), "content_offset", what);
  if (contentOffset !== null) file.contentOffset = contentOffset;
  const contentSize = longValue(field(record, layout, ENTRY_IDS.contentSizeInBytes), "content_size_in_bytes", what);
  if (contentSize !== null) file.contentSizeInBytes = contentSize;
  file.specId = specId;
  return file;
}
