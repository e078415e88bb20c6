/**
 * Reads table metadata JSON (format v1, v2, v3) into the normalized TableMetadata shape. The
 * required/optional rules per version follow the spec's "Table Metadata Fields" table and the
 * reference implementation's parser, so a file is accepted or rejected here exactly when Java
 * accepts or rejects it: v1 files may omit `schemas`, `partition-specs`, `sort-orders` and
 * `last-partition-id` (they are derived from the legacy `schema` / `partition-spec`), v2 and later
 * may not. Every int64 becomes a bigint, however small, so callers never juggle two number kinds.
 *
 * The pieces (schema, spec, sort order, snapshot, ref, ...) are exported for other entry points
 * that receive the same JSON shapes, such as REST request bodies.
 */
import { type FloeError, unsupported, validation } from "../core/errors.ts";
import { type JsonValue, parseJson } from "../core/json.ts";
import { normalizePrimitive } from "./conversions.ts";
import { checkTableInvariants } from "./metadata-validation.ts";
import { PARTITION_DATA_ID_START, type PartitionField, type PartitionSpec } from "./partition-spec.ts";
import {
  type BlobMetadata,
  MAIN_BRANCH,
  type MetadataLogEntry,
  type Operation,
  type PartitionStatisticsFile,
  type Snapshot,
  type SnapshotLogEntry,
  type SnapshotRef,
  type SnapshotSummary,
  type StatisticsFile,
} from "./snapshot.ts";
import type { NullOrder, SortDirection, SortField, SortOrder } from "./sort-order.ts";
import type { FormatVersion, TableMetadata } from "./table-metadata.ts";
import type { IcebergType, NestedField, Schema, StructType } from "./types.ts";

/** The highest table format version floe reads and writes. */
export const SUPPORTED_FORMAT_VERSION = 3;

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value);

const show = (value: JsonValue | undefined): string => {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return String(value);
  }
};

// ---------- field readers: every error names the object and the field ----------

/** A JSON object or a validation error naming what was expected. */
function asObject(value: JsonValue | undefined, where: string): JsonObject {
  if (!isObject(value)) throw validation(`${where} must be a JSON object, got ${show(value)}`);
  return value;
}

function has(obj: JsonObject, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}

function missing(where: string, key: string): FloeError {
  return validation(`${where}: missing required field ${key}`);
}

function int(value: JsonValue, where: string, key: string): number {
  const n = typeof value === "bigint" ? Number.NaN : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < -2147483648 || n > 2147483647)
    throw validation(`${where}: ${key} must be an int, got ${show(value)}`);
  return n;
}

function reqInt(obj: JsonObject, key: string, where: string): number {
  if (!has(obj, key)) throw missing(where, key);
  return int(obj[key], where, key);
}

function optInt(obj: JsonObject, key: string, where: string): number | undefined {
  return has(obj, key) ? int(obj[key], where, key) : undefined;
}

function long(value: JsonValue, where: string, key: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  throw validation(`${where}: ${key} must be a long, got ${show(value)}`);
}

function reqLong(obj: JsonObject, key: string, where: string): bigint {
  if (!has(obj, key)) throw missing(where, key);
  return long(obj[key], where, key);
}

function optLong(obj: JsonObject, key: string, where: string): bigint | undefined {
  return has(obj, key) ? long(obj[key], where, key) : undefined;
}

const MAX_MS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A millisecond timestamp or duration: int64 in JSON, a JS number here. Beyond 2^53 ms (285,000
 * years) a value can only mean "forever" (e.g. a max-ref-age-ms of Long.MAX_VALUE), so it is
 * clamped to the largest exact number rather than rounded to a value no long can hold.
 */
function millis(value: JsonValue, where: string, key: string): number {
  const ms = long(value, where, key);
  return Number(ms > MAX_MS ? MAX_MS : ms < -MAX_MS ? -MAX_MS : ms);
}

function reqMillis(obj: JsonObject, key: string, where: string): number {
  if (!has(obj, key)) throw missing(where, key);
  return millis(obj[key], where, key);
}

function optMillis(obj: JsonObject, key: string, where: string): number | undefined {
  return has(obj, key) ? millis(obj[key], where, key) : undefined;
}

function reqString(obj: JsonObject, key: string, where: string): string {
  if (!has(obj, key)) throw missing(where, key);
  const value = obj[key];
  if (typeof value !== "string") throw validation(`${where}: ${key} must be a string, got ${show(value)}`);
  return value;
}

function optString(obj: JsonObject, key: string, where: string): string | undefined {
  return has(obj, key) ? reqString(obj, key, where) : undefined;
}

function reqBool(obj: JsonObject, key: string, where: string): boolean {
  if (!has(obj, key)) throw missing(where, key);
  const value = obj[key];
  if (typeof value !== "boolean") throw validation(`${where}: ${key} must be a boolean, got ${show(value)}`);
  return value;
}

function reqArray(obj: JsonObject, key: string, where: string): JsonValue[] {
  if (!has(obj, key)) throw missing(where, key);
  const value = obj[key];
  if (!Array.isArray(value)) throw validation(`${where}: ${key} must be an array, got ${show(value)}`);
  return value;
}

function optArray(obj: JsonObject, key: string, where: string): JsonValue[] | undefined {
  return has(obj, key) ? reqArray(obj, key, where) : undefined;
}

function intList(obj: JsonObject, key: string, where: string): number[] {
  return reqArray(obj, key, where).map((v) => int(v, where, key));
}

function stringMap(value: JsonValue, where: string): Record<string, string> {
  const obj = asObject(value, where);
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== "string") throw validation(`${where}: value of ${k} must be a string, got ${show(v)}`);
    result[k] = v;
  }
  return result;
}

// ---------- types and schemas ----------

/** Validates a primitive type string and returns its canonical spelling ("decimal(9, 2)" → "decimal(9,2)"). */
export function parsePrimitiveType(text: string, where: string): string {
  try {
    return normalizePrimitive(text);
  } catch (error) {
    throw validation(`${where}: ${(error as Error).message}`, error);
  }
}

/** Parses an Iceberg type from its JSON form (a primitive string or a struct/list/map object). */
export function parseType(json: JsonValue, where: string): IcebergType {
  if (typeof json === "string") return parsePrimitiveType(json, where);
  if (isObject(json)) {
    const kind = json.type;
    if (kind === "struct") return parseStruct(json, where);
    if (kind === "list") {
      return {
        type: "list",
        "element-id": reqInt(json, "element-id", where),
        element: parseType(json.element ?? null, `${where}.element`),
        "element-required": reqBool(json, "element-required", where),
      };
    }
    if (kind === "map") {
      return {
        type: "map",
        "key-id": reqInt(json, "key-id", where),
        key: parseType(json.key ?? null, `${where}.key`),
        "value-id": reqInt(json, "value-id", where),
        value: parseType(json.value ?? null, `${where}.value`),
        "value-required": reqBool(json, "value-required", where),
      };
    }
  }
  throw validation(`${where}: cannot parse type from JSON (no valid "type"): ${show(json)}`);
}

function parseField(json: JsonValue, where: string): NestedField {
  const obj = asObject(json, `${where} field`);
  const name = reqString(obj, "name", `${where} field`);
  const at = `${where}.${name}`;
  const field: NestedField = {
    id: reqInt(obj, "id", at),
    name,
    required: reqBool(obj, "required", at),
    type: parseType(obj.type ?? null, at),
  };
  const doc = optString(obj, "doc", at);
  if (doc !== undefined) field.doc = doc;
  // Defaults are kept in their JSON single-value form; null and absent mean the same.
  if (has(obj, "initial-default")) field["initial-default"] = obj["initial-default"];
  if (has(obj, "write-default")) field["write-default"] = obj["write-default"];
  return field;
}

function parseStruct(obj: JsonObject, where: string): StructType {
  return { type: "struct", fields: reqArray(obj, "fields", where).map((f) => parseField(f, where)) };
}

/** Parses a schema object (`type: struct`, `schema-id`, `identifier-field-ids`, `fields`). */
export function parseSchema(json: JsonValue, where = "schema"): Schema {
  const obj = asObject(json, where);
  const type = parseType(obj, where);
  if (typeof type === "string" || type.type !== "struct")
    throw validation(`${where}: cannot create schema, not a struct type: ${show(obj)}`);
  const schemaId = optInt(obj, "schema-id", where) ?? 0;
  const schema: Schema = { type: "struct", "schema-id": schemaId, fields: type.fields };
  if (has(obj, "identifier-field-ids")) schema["identifier-field-ids"] = intList(obj, "identifier-field-ids", where);
  return schema;
}

// ---------- partition specs and sort orders ----------

function sourceIds(obj: JsonObject, where: string): { "source-id": number; "source-ids"?: number[] } {
  if (has(obj, "source-ids")) {
    const ids = intList(obj, "source-ids", where);
    if (ids.length === 0) throw validation(`${where}: source-ids must not be empty`);
    const single = optInt(obj, "source-id", where);
    if (single !== undefined && single !== ids[0])
      throw validation(`${where}: source-id ${single} does not match source-ids ${show(ids)}`);
    return { "source-id": ids[0], "source-ids": ids };
  }
  return { "source-id": reqInt(obj, "source-id", where) };
}

/**
 * Parses partition fields; fields without `field-id` (old v1 writers) get ids from 1000 in order,
 * and a spec mixing fields with and without ids is rejected as the reference implementation does.
 */
export function parsePartitionFields(json: JsonValue[], where: string): PartitionField[] {
  const objs = json.map((f) => asObject(f, `${where} field`));
  const withIds = objs.filter((o) => has(o, "field-id")).length;
  if (withIds !== 0 && withIds !== objs.length)
    throw validation(`${where}: cannot parse spec with missing field ids: ${objs.length - withIds} of ${objs.length}`);
  return objs.map((obj, i) => {
    const at = `${where} field ${i}`;
    const name = reqString(obj, "name", at);
    return {
      ...sourceIds(obj, `${where} field ${name}`),
      "field-id": optInt(obj, "field-id", at) ?? PARTITION_DATA_ID_START + i,
      name,
      transform: reqString(obj, "transform", `${where} field ${name}`),
    };
  });
}

/** Parses a full partition spec object (`spec-id`, `fields`). */
export function parsePartitionSpec(json: JsonValue, where = "partition spec"): PartitionSpec {
  const obj = asObject(json, where);
  const specId = reqInt(obj, "spec-id", where);
  return { "spec-id": specId, fields: parsePartitionFields(reqArray(obj, "fields", where), `${where} ${specId}`) };
}

const DIRECTIONS = new Set<SortDirection>(["asc", "desc"]);
const NULL_ORDERS = new Set<NullOrder>(["nulls-first", "nulls-last"]);

function parseSortField(json: JsonValue, where: string): SortField {
  const obj = asObject(json, `${where} field`);
  const direction = reqString(obj, "direction", where).toLowerCase() as SortDirection;
  if (!DIRECTIONS.has(direction)) throw validation(`${where}: invalid sort direction ${show(obj.direction)}`);
  const nullOrder = reqString(obj, "null-order", where).toLowerCase() as NullOrder;
  if (!NULL_ORDERS.has(nullOrder)) throw validation(`${where}: invalid null-order ${show(obj["null-order"])}`);
  return {
    transform: reqString(obj, "transform", where),
    ...sourceIds(obj, where),
    direction,
    "null-order": nullOrder,
  };
}

/** Parses a sort order object (`order-id`, `fields`); order id 0 is reserved for the unsorted order. */
export function parseSortOrder(json: JsonValue, where = "sort order"): SortOrder {
  const obj = asObject(json, where);
  const orderId = reqInt(obj, "order-id", where);
  const at = `${where} ${orderId}`;
  const fields = reqArray(obj, "fields", at).map((f) => parseSortField(f, at));
  if (orderId === 0 && fields.length > 0) throw validation(`${at}: sort order id 0 is reserved for the unsorted order`);
  if (orderId !== 0 && fields.length === 0) throw validation(`${at}: the unsorted order must have order id 0`);
  return { "order-id": orderId, fields };
}

// ---------- snapshots, refs, statistics, logs ----------

const OPERATIONS = new Set<Operation>(["append", "replace", "overwrite", "delete"]);

/** Parses a snapshot; a v1 snapshot without a summary reads as an append (there was no other kind then). */
export function parseSnapshot(json: JsonValue, where = "snapshot"): Snapshot {
  const obj = asObject(json, where);
  const id = reqLong(obj, "snapshot-id", where);
  const at = `snapshot ${id}`;
  const snapshot: Snapshot = {
    "snapshot-id": id,
    "sequence-number": optLong(obj, "sequence-number", at) ?? 0n,
    "timestamp-ms": reqMillis(obj, "timestamp-ms", at),
    summary: { operation: "append" },
  };
  const parent = optLong(obj, "parent-snapshot-id", at);
  if (parent !== undefined) snapshot["parent-snapshot-id"] = parent;
  if (has(obj, "manifest-list")) snapshot["manifest-list"] = reqString(obj, "manifest-list", at);
  else {
    const manifests = optArray(obj, "manifests", at);
    if (manifests === undefined) throw validation(`${at}: missing required field manifest-list (or v1 manifests)`);
    snapshot.manifests = manifests.map((m) => {
      if (typeof m !== "string") throw validation(`${at}: manifests must be strings, got ${show(m)}`);
      return m;
    });
  }
  if (has(obj, "summary")) {
    const summary = stringMap(obj.summary, `${at} summary`);
    const operation = summary.operation;
    if (operation === undefined) throw validation(`${at}: summary is missing operation`);
    if (!OPERATIONS.has(operation as Operation))
      throw validation(`${at}: unknown summary operation ${show(operation)}`);
    snapshot.summary = summary as SnapshotSummary;
  }
  const schemaId = optInt(obj, "schema-id", at);
  if (schemaId !== undefined) snapshot["schema-id"] = schemaId;
  const firstRowId = optLong(obj, "first-row-id", at);
  if (firstRowId !== undefined) snapshot["first-row-id"] = firstRowId;
  const addedRows = optLong(obj, "added-rows", at);
  if (addedRows !== undefined) snapshot["added-rows"] = addedRows;
  const keyId = optString(obj, "key-id", at);
  if (keyId !== undefined) snapshot["key-id"] = keyId;
  return snapshot;
}

/** Parses a snapshot reference; retention fields are only valid on branches and must be positive. */
export function parseSnapshotRef(json: JsonValue, name: string): SnapshotRef {
  const where = `ref ${name}`;
  const obj = asObject(json, where);
  const type = reqString(obj, "type", where).toLowerCase();
  if (type !== "branch" && type !== "tag")
    throw validation(`${where}: type must be branch or tag, got ${show(obj.type)}`);
  const ref: SnapshotRef = { "snapshot-id": reqLong(obj, "snapshot-id", where), type };
  const minSnapshots = optInt(obj, "min-snapshots-to-keep", where);
  const maxSnapshotAge = optMillis(obj, "max-snapshot-age-ms", where);
  const maxRefAge = optMillis(obj, "max-ref-age-ms", where);
  if (minSnapshots !== undefined) ref["min-snapshots-to-keep"] = minSnapshots;
  if (maxSnapshotAge !== undefined) ref["max-snapshot-age-ms"] = maxSnapshotAge;
  if (maxRefAge !== undefined) ref["max-ref-age-ms"] = maxRefAge;
  validateRefRetention(ref, name);
  return ref;
}

/** Checks the retention settings of a ref as the reference implementation's SnapshotRef does. */
export function validateRefRetention(ref: SnapshotRef, name: string): void {
  const where = `ref ${name}`;
  if (ref.type === "tag") {
    if (ref["min-snapshots-to-keep"] !== undefined)
      throw validation(`${where}: tags do not support min-snapshots-to-keep`);
    if (ref["max-snapshot-age-ms"] !== undefined) throw validation(`${where}: tags do not support max-snapshot-age-ms`);
  }
  for (const key of ["min-snapshots-to-keep", "max-snapshot-age-ms", "max-ref-age-ms"] as const) {
    const value = ref[key];
    if (value !== undefined && !(value > 0)) throw validation(`${where}: ${key} must be greater than 0, got ${value}`);
  }
}

function parseBlob(json: JsonValue, where: string): BlobMetadata {
  const obj = asObject(json, where);
  const blob: BlobMetadata = {
    type: reqString(obj, "type", where),
    "snapshot-id": reqLong(obj, "snapshot-id", where),
    "sequence-number": reqLong(obj, "sequence-number", where),
    fields: intList(obj, "fields", where),
  };
  if (has(obj, "properties")) blob.properties = stringMap(obj.properties, `${where} properties`);
  return blob;
}

/** Parses a table statistics file entry (a Puffin file and its blob metadata). */
export function parseStatisticsFile(json: JsonValue, where = "statistics file"): StatisticsFile {
  const obj = asObject(json, where);
  const file: StatisticsFile = {
    "snapshot-id": reqLong(obj, "snapshot-id", where),
    "statistics-path": reqString(obj, "statistics-path", where),
    "file-size-in-bytes": reqLong(obj, "file-size-in-bytes", where),
    "file-footer-size-in-bytes": reqLong(obj, "file-footer-size-in-bytes", where),
    "blob-metadata": reqArray(obj, "blob-metadata", where).map((b) => parseBlob(b, `${where} blob`)),
  };
  const keyMetadata = optString(obj, "key-metadata", where);
  if (keyMetadata !== undefined) file["key-metadata"] = keyMetadata;
  return file;
}

/** Parses a partition statistics file entry. */
export function parsePartitionStatisticsFile(
  json: JsonValue,
  where = "partition statistics file",
): PartitionStatisticsFile {
  const obj = asObject(json, where);
  return {
    "snapshot-id": reqLong(obj, "snapshot-id", where),
    "statistics-path": reqString(obj, "statistics-path", where),
    "file-size-in-bytes": reqLong(obj, "file-size-in-bytes", where),
  };
}

function parseSnapshotLog(json: JsonValue[]): SnapshotLogEntry[] {
  return json.map((entry) => {
    const obj = asObject(entry, "snapshot-log entry");
    return {
      "timestamp-ms": reqMillis(obj, "timestamp-ms", "snapshot-log entry"),
      "snapshot-id": reqLong(obj, "snapshot-id", "snapshot-log entry"),
    };
  });
}

function parseMetadataLog(json: JsonValue[]): MetadataLogEntry[] {
  return json.map((entry) => {
    const obj = asObject(entry, "metadata-log entry");
    return {
      "timestamp-ms": reqMillis(obj, "timestamp-ms", "metadata-log entry"),
      "metadata-file": reqString(obj, "metadata-file", "metadata-log entry"),
    };
  });
}

// ---------- table metadata ----------

const WHERE = "table metadata";

function mustExist(formatVersion: number, key: string): never {
  throw validation(`${WHERE}: ${key} must exist in format v${formatVersion}`);
}

/**
 * Parses table metadata JSON (text or an already parsed lossless JsonValue). Throws FloeError
 * "unsupported" for a format version above 3, "validation" naming the field for anything else
 * the spec or the reference implementation rejects, "bad-input" for text that is not JSON.
 */
export function parseTableMetadata(input: string | JsonValue): TableMetadata {
  const node = typeof input === "string" ? parseJson(input, "table metadata") : input;
  const obj = asObject(node, WHERE);

  const version = reqInt(obj, "format-version", WHERE);
  if (version > SUPPORTED_FORMAT_VERSION)
    throw unsupported(
      `${WHERE}: cannot read unsupported format version ${version} (supported: 1 to ${SUPPORTED_FORMAT_VERSION})`,
    );
  if (version < 1) throw validation(`${WHERE}: invalid format-version ${version}`);
  const formatVersion = version as FormatVersion;

  const uuid = optString(obj, "table-uuid", WHERE);
  if (uuid === undefined && formatVersion > 1) mustExist(formatVersion, "table-uuid");
  const location = reqString(obj, "location", WHERE);
  // v1 has no sequence numbers: whatever a file says, the table's is 0 (as Java reads it)
  const lastSequenceNumber = formatVersion > 1 ? reqLong(obj, "last-sequence-number", WHERE) : 0n;
  const lastColumnId = reqInt(obj, "last-column-id", WHERE);

  let schemas: Schema[];
  let currentSchemaId: number;
  if (obj.schemas !== undefined) {
    if (!Array.isArray(obj.schemas)) throw validation(`${WHERE}: schemas must be an array`);
    currentSchemaId = reqInt(obj, "current-schema-id", WHERE);
    schemas = obj.schemas.map((s, i) => parseSchema(s, `schema ${i}`));
    if (!schemas.some((s) => s["schema-id"] === currentSchemaId))
      throw validation(`${WHERE}: cannot find schema with current-schema-id=${currentSchemaId} in schemas`);
  } else {
    if (formatVersion !== 1) mustExist(formatVersion, "schemas");
    if (!has(obj, "schema")) throw missing(WHERE, "schema");
    const schema = parseSchema(obj.schema, "schema");
    schemas = [schema];
    currentSchemaId = schema["schema-id"];
  }

  let specs: PartitionSpec[];
  let defaultSpecId: number;
  if (obj["partition-specs"] !== undefined) {
    if (!Array.isArray(obj["partition-specs"])) throw validation(`${WHERE}: partition-specs must be an array`);
    defaultSpecId = reqInt(obj, "default-spec-id", WHERE);
    specs = obj["partition-specs"].map((s) => parsePartitionSpec(s));
  } else {
    if (formatVersion !== 1) mustExist(formatVersion, "partition-specs");
    specs = [{ "spec-id": 0, fields: parsePartitionFields(reqArray(obj, "partition-spec", WHERE), "partition-spec") }];
    defaultSpecId = 0;
  }

  let lastPartitionId = optInt(obj, "last-partition-id", WHERE);
  if (lastPartitionId === undefined) {
    if (formatVersion !== 1) mustExist(formatVersion, "last-partition-id");
    lastPartitionId = Math.max(
      PARTITION_DATA_ID_START - 1,
      ...specs.flatMap((s) => s.fields.map((f) => f["field-id"])),
    );
  }

  let sortOrders: SortOrder[];
  let defaultSortOrderId: number;
  if (obj["sort-orders"] !== undefined) {
    if (!Array.isArray(obj["sort-orders"])) throw validation(`${WHERE}: sort-orders must be an array`);
    defaultSortOrderId = reqInt(obj, "default-sort-order-id", WHERE);
    sortOrders = obj["sort-orders"].map((o) => parseSortOrder(o));
  } else {
    if (formatVersion !== 1) mustExist(formatVersion, "sort-orders");
    sortOrders = [{ "order-id": 0, fields: [] }];
    defaultSortOrderId = 0;
  }

  const properties = has(obj, "properties") ? stringMap(obj.properties, `${WHERE} properties`) : {};
  let currentSnapshotId = optLong(obj, "current-snapshot-id", WHERE) ?? null;
  if (currentSnapshotId === -1n) currentSnapshotId = null; // older writers' "no snapshot"
  const lastUpdatedMs = reqMillis(obj, "last-updated-ms", WHERE);

  const refs: Record<string, SnapshotRef> = {};
  if (has(obj, "refs")) {
    for (const [name, ref] of Object.entries(asObject(obj.refs, `${WHERE} refs`)))
      refs[name] = parseSnapshotRef(ref, name);
  }
  // The spec: "always a main branch reference, even if refs is null"
  if (currentSnapshotId !== null && refs[MAIN_BRANCH] === undefined)
    refs[MAIN_BRANCH] = { "snapshot-id": currentSnapshotId, type: "branch" };

  const metadata: TableMetadata = {
    "format-version": formatVersion,
    "table-uuid": uuid ?? "",
    location,
    "last-sequence-number": lastSequenceNumber,
    "last-updated-ms": lastUpdatedMs,
    "last-column-id": lastColumnId,
    schemas,
    "current-schema-id": currentSchemaId,
    "partition-specs": specs,
    "default-spec-id": defaultSpecId,
    "last-partition-id": lastPartitionId,
    properties,
    "current-snapshot-id": currentSnapshotId,
    snapshots: (optArray(obj, "snapshots", WHERE) ?? []).map((s) => parseSnapshot(s)),
    "snapshot-log": parseSnapshotLog(optArray(obj, "snapshot-log", WHERE) ?? []),
    "metadata-log": parseMetadataLog(optArray(obj, "metadata-log", WHERE) ?? []),
    "sort-orders": sortOrders,
    "default-sort-order-id": defaultSortOrderId,
    refs,
    statistics: (optArray(obj, "statistics", WHERE) ?? []).map((s) => parseStatisticsFile(s)),
    "partition-statistics": (optArray(obj, "partition-statistics", WHERE) ?? []).map((s) =>
      parsePartitionStatisticsFile(s),
    ),
  };
  if (formatVersion >= 3) {
    metadata["next-row-id"] = reqLong(obj, "next-row-id", WHERE);
    if (has(obj, "row-lineage")) metadata["row-lineage"] = reqBool(obj, "row-lineage", WHERE);
    const keys = optArray(obj, "encryption-keys", WHERE);
    if (keys !== undefined) metadata["encryption-keys"] = keys; // kept verbatim
  }
  checkTableInvariants(metadata);
  return metadata;
}
