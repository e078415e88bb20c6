/**
 * The Iceberg REST catalog's wire format for the objects both the server and the REST client send:
 * table updates and requirements, create-table requests and load-table results. Parsing is strict
 * (the spec requires a 400 for unknown updates or requirements): every problem is a bad-input
 * FloeError naming the object and the field. int64 fields become bigint; the JSON produced here
 * must be stringified with core/json.ts so they stay exact.
 *
 * The nested shapes (schemas, specs, sort orders, snapshots, statistics) are the table metadata's
 * own JSON forms, so their parsers and writers are reused from metadata-parser/-writer.
 */
import { FloeError, badInput } from "../core/errors.ts";
import type { JsonValue } from "../core/json.ts";
import {
  parsePartitionFields,
  parsePartitionStatisticsFile,
  parseSchema,
  parseSnapshot,
  parseSnapshotRef,
  parseSortOrder,
  parseStatisticsFile,
  parseTableMetadata,
} from "./metadata-parser.ts";
import {
  partitionSpecToJson,
  partitionStatisticsFileToJson,
  schemaToJson,
  snapshotRefToJson,
  snapshotToJson,
  sortOrderToJson,
  statisticsFileToJson,
  tableMetadataToJson,
} from "./metadata-writer.ts";
import type { PartitionSpec } from "./partition-spec.ts";
import type { SortOrder } from "./sort-order.ts";
import type { TableMetadata } from "./table-metadata.ts";
import type { Schema } from "./types.ts";
import type { TableRequirement, TableUpdate } from "./updates.ts";

type JsonObject = { [key: string]: JsonValue };

const show = (value: JsonValue | undefined): string => {
  if (value === undefined) return "nothing";
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value);
};

/** Runs a metadata piece parser, turning its validation errors into bad-input (a malformed request). */
function piece<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FloeError && error.kind === "validation") throw badInput(error.message, error);
    throw error;
  }
}

function object(value: JsonValue | undefined, where: string): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value))
    throw badInput(`${where} must be a JSON object, got ${show(value)}`);
  return value;
}

function field(obj: JsonObject, key: string, where: string): JsonValue {
  const value = obj[key];
  if (value === undefined) throw badInput(`${where}: missing required field ${key}`);
  return value;
}

function str(obj: JsonObject, key: string, where: string): string {
  const value = field(obj, key, where);
  if (typeof value !== "string") throw badInput(`${where}: ${key} must be a string, got ${show(value)}`);
  return value;
}

function optStr(obj: JsonObject, key: string, where: string): string | undefined {
  return obj[key] === undefined || obj[key] === null ? undefined : str(obj, key, where);
}

function int(value: JsonValue, where: string, key: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < -2147483648 || value > 2147483647)
    throw badInput(`${where}: ${key} must be an int, got ${show(value)}`);
  return value;
}

function reqInt(obj: JsonObject, key: string, where: string): number {
  return int(field(obj, key, where), where, key);
}

function long(value: JsonValue, where: string, key: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  throw badInput(`${where}: ${key} must be a long, got ${show(value)}`);
}

function reqLong(obj: JsonObject, key: string, where: string): bigint {
  return long(field(obj, key, where), where, key);
}

function array(obj: JsonObject, key: string, where: string): JsonValue[] {
  const value = field(obj, key, where);
  if (!Array.isArray(value)) throw badInput(`${where}: ${key} must be an array, got ${show(value)}`);
  return value;
}

function stringMap(value: JsonValue | undefined, where: string): Record<string, string> {
  const obj = object(value, where);
  const result: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (typeof v !== "string") throw badInput(`${where}: value of ${key} must be a string, got ${show(v)}`);
    result[key] = v;
  }
  return result;
}

function optBool(obj: JsonObject, key: string, where: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badInput(`${where}: ${key} must be a boolean, got ${show(value)}`);
  return value;
}

// ---------- table updates ----------

/** Parses one REST `TableUpdate`; bad-input for an unknown action or a malformed field. */
export function parseTableUpdate(json: JsonValue): TableUpdate {
  const obj = object(json, "table update");
  const action = str(obj, "action", "table update");
  const where = `table update ${action}`;
  switch (action) {
    case "assign-uuid":
      return { action, uuid: str(obj, "uuid", where) };
    case "upgrade-format-version":
      return { action, "format-version": reqInt(obj, "format-version", where) };
    case "add-schema": {
      const update: TableUpdate = { action, schema: piece(() => parseSchema(field(obj, "schema", where), where)) };
      if (obj["last-column-id"] !== undefined && obj["last-column-id"] !== null)
        update["last-column-id"] = reqInt(obj, "last-column-id", where);
      return update;
    }
    case "set-current-schema":
      return { action, "schema-id": reqInt(obj, "schema-id", where) };
    case "add-spec":
      return { action, spec: parseSpec(field(obj, "spec", where), `${where} spec`) };
    case "set-default-spec":
      return { action, "spec-id": reqInt(obj, "spec-id", where) };
    case "add-sort-order":
      return { action, "sort-order": parseOrder(field(obj, "sort-order", where), `${where} sort-order`) };
    case "set-default-sort-order":
      return { action, "sort-order-id": reqInt(obj, "sort-order-id", where) };
    case "add-snapshot":
      return { action, snapshot: piece(() => parseSnapshot(field(obj, "snapshot", where), `${where} snapshot`)) };
    case "set-snapshot-ref": {
      const name = str(obj, "ref-name", where);
      const ref = piece(() => parseSnapshotRef(obj, name));
      return { action, "ref-name": name, ...ref };
    }
    case "remove-snapshots":
      return {
        action,
        "snapshot-ids": array(obj, "snapshot-ids", where).map((id) => long(id, where, "snapshot-ids")),
      };
    case "remove-snapshot-ref":
      return { action, "ref-name": str(obj, "ref-name", where) };
    case "set-location":
      return { action, location: str(obj, "location", where) };
    case "set-properties":
      return { action, updates: stringMap(field(obj, "updates", where), `${where} updates`) };
    case "remove-properties":
      return {
        action,
        removals: array(obj, "removals", where).map((key) => {
          if (typeof key !== "string") throw badInput(`${where}: removals must be strings, got ${show(key)}`);
          return key;
        }),
      };
    case "set-statistics": {
      const statistics = piece(() => parseStatisticsFile(field(obj, "statistics", where), `${where} statistics`));
      const update: TableUpdate = { action, statistics };
      if (obj["snapshot-id"] !== undefined && obj["snapshot-id"] !== null)
        update["snapshot-id"] = reqLong(obj, "snapshot-id", where);
      return update;
    }
    case "remove-statistics":
      return { action, "snapshot-id": reqLong(obj, "snapshot-id", where) };
    case "set-partition-statistics":
      return {
        action,
        "partition-statistics": piece(() =>
          parsePartitionStatisticsFile(field(obj, "partition-statistics", where), `${where} partition-statistics`),
        ),
      };
    case "remove-partition-statistics":
      return { action, "snapshot-id": reqLong(obj, "snapshot-id", where) };
    case "remove-partition-specs":
      return { action, "spec-ids": array(obj, "spec-ids", where).map((id) => int(id, where, "spec-ids")) };
    case "remove-schemas":
      return { action, "schema-ids": array(obj, "schema-ids", where).map((id) => int(id, where, "schema-ids")) };
    default:
      throw badInput(`unknown or unsupported table update action ${show(action)}`);
  }
}

/** A partition spec as a request carries it: `spec-id` is read-only there and may be absent (0). */
function parseSpec(json: JsonValue, where: string): PartitionSpec {
  const obj = object(json, where);
  const specId = obj["spec-id"] === undefined || obj["spec-id"] === null ? 0 : reqInt(obj, "spec-id", where);
  return { "spec-id": specId, fields: piece(() => parsePartitionFields(array(obj, "fields", where), where)) };
}

/** A sort order as a request carries it: an absent `order-id` means 0 when unsorted, else 1. */
function parseOrder(json: JsonValue, where: string): SortOrder {
  const obj = object(json, where);
  if (obj["order-id"] === undefined || obj["order-id"] === null) {
    const fields = array(obj, "fields", where);
    return piece(() => parseSortOrder({ ...obj, "order-id": fields.length === 0 ? 0 : 1 }, where));
  }
  return piece(() => parseSortOrder(obj, where));
}

/** The REST JSON of a table update (int64 fields as bigint). */
export function tableUpdateToJson(update: TableUpdate): JsonValue {
  switch (update.action) {
    case "add-schema": {
      const json: JsonObject = { action: update.action, schema: schemaToJson(update.schema) };
      if (update["last-column-id"] !== undefined) json["last-column-id"] = update["last-column-id"];
      return json;
    }
    case "add-spec":
      return { action: update.action, spec: partitionSpecToJson(update.spec) };
    case "add-sort-order":
      return { action: update.action, "sort-order": sortOrderToJson(update["sort-order"]) };
    case "add-snapshot":
      // sequence-number always written: v1 readers ignore it, v2+ need it
      return { action: update.action, snapshot: snapshotToJson(update.snapshot, 2) };
    case "set-snapshot-ref": {
      const { action, "ref-name": name, ...ref } = update;
      return { action, "ref-name": name, ...snapshotRefToJson({ ...ref, "snapshot-id": BigInt(ref["snapshot-id"]) }) };
    }
    case "remove-snapshots":
      return { action: update.action, "snapshot-ids": update["snapshot-ids"].map((id) => BigInt(id)) };
    case "set-properties":
      return { action: update.action, updates: { ...update.updates } };
    case "remove-properties":
      return { action: update.action, removals: [...update.removals] };
    case "set-statistics": {
      const json: JsonObject = { action: update.action };
      if (update["snapshot-id"] !== undefined) json["snapshot-id"] = BigInt(update["snapshot-id"]);
      json.statistics = statisticsFileToJson(update.statistics);
      return json;
    }
    case "set-partition-statistics":
      return {
        action: update.action,
        "partition-statistics": partitionStatisticsFileToJson(update["partition-statistics"]),
      };
    case "remove-statistics":
    case "remove-partition-statistics":
      return { action: update.action, "snapshot-id": BigInt(update["snapshot-id"]) };
    case "remove-partition-specs":
      return { action: update.action, "spec-ids": [...update["spec-ids"]] };
    case "remove-schemas":
      return { action: update.action, "schema-ids": [...update["schema-ids"]] };
    default:
      // The remaining updates carry only strings and ints, already in their JSON form.
      return { ...update } as JsonObject;
  }
}

// ---------- table requirements ----------

/** Parses one REST `TableRequirement`; bad-input for an unknown type or a malformed field. */
export function parseTableRequirement(json: JsonValue): TableRequirement {
  const obj = object(json, "table requirement");
  const type = str(obj, "type", "table requirement");
  const where = `table requirement ${type}`;
  switch (type) {
    case "assert-create":
      return { type };
    case "assert-table-uuid":
      return { type, uuid: str(obj, "uuid", where) };
    case "assert-ref-snapshot-id": {
      // required, but null: the ref must not exist
      const id = field(obj, "snapshot-id", where);
      return { type, ref: str(obj, "ref", where), "snapshot-id": id === null ? null : long(id, where, "snapshot-id") };
    }
    case "assert-last-assigned-field-id":
      return { type, "last-assigned-field-id": reqInt(obj, "last-assigned-field-id", where) };
    case "assert-current-schema-id":
      return { type, "current-schema-id": reqInt(obj, "current-schema-id", where) };
    case "assert-last-assigned-partition-id":
      return { type, "last-assigned-partition-id": reqInt(obj, "last-assigned-partition-id", where) };
    case "assert-default-spec-id":
      return { type, "default-spec-id": reqInt(obj, "default-spec-id", where) };
    case "assert-default-sort-order-id":
      return { type, "default-sort-order-id": reqInt(obj, "default-sort-order-id", where) };
    default:
      throw badInput(`unknown table requirement type ${show(type)}`);
  }
}

/** The REST JSON of a table requirement (snapshot ids as bigint). */
export function tableRequirementToJson(requirement: TableRequirement): JsonValue {
  if (requirement.type === "assert-ref-snapshot-id") {
    const id = requirement["snapshot-id"];
    return { type: requirement.type, ref: requirement.ref, "snapshot-id": id === null ? null : BigInt(id) };
  }
  return { ...requirement } as JsonObject;
}

// ---------- create table ----------

/** A REST `CreateTableRequest`. */
export interface CreateTableRequest {
  name: string;
  location?: string;
  schema: Schema;
  /** Field ids may be absent (assigned from 1000); the spec id is read-only. */
  partitionSpec?: PartitionSpec;
  writeOrder?: SortOrder;
  stageCreate?: boolean;
  properties?: Record<string, string>;
}

/** Parses a REST `CreateTableRequest`. */
export function parseCreateTableRequest(json: JsonValue): CreateTableRequest {
  const where = "create table request";
  const obj = object(json, where);
  const request: CreateTableRequest = {
    name: str(obj, "name", where),
    schema: piece(() => parseSchema(field(obj, "schema", where), `${where} schema`)),
  };
  const location = optStr(obj, "location", where);
  if (location !== undefined) request.location = location;
  if (obj["partition-spec"] !== undefined && obj["partition-spec"] !== null)
    request.partitionSpec = parseSpec(obj["partition-spec"], `${where} partition-spec`);
  if (obj["write-order"] !== undefined && obj["write-order"] !== null)
    request.writeOrder = parseOrder(obj["write-order"], `${where} write-order`);
  const stage = optBool(obj, "stage-create", where);
  if (stage !== undefined) request.stageCreate = stage;
  if (obj.properties !== undefined && obj.properties !== null)
    request.properties = stringMap(obj.properties, `${where} properties`);
  return request;
}

/** The REST JSON of a create-table request. */
export function createTableRequestToJson(request: CreateTableRequest): JsonValue {
  const json: JsonObject = { name: request.name };
  if (request.location !== undefined) json.location = request.location;
  json.schema = schemaToJson(request.schema);
  if (request.partitionSpec !== undefined) json["partition-spec"] = partitionSpecToJson(request.partitionSpec);
  if (request.writeOrder !== undefined) json["write-order"] = sortOrderToJson(request.writeOrder);
  if (request.stageCreate !== undefined) json["stage-create"] = request.stageCreate;
  if (request.properties !== undefined) json.properties = { ...request.properties };
  return json;
}

// ---------- load table result ----------

/** Credentials a server vends for locations starting with `prefix`. */
export interface StorageCredential {
  prefix: string;
  config: Record<string, string>;
}

/** A REST `LoadTableResult` (also the create-table response). */
export interface LoadTableResult {
  /** null for metadata that is staged but not committed (stage-create). */
  metadataLocation: string | null;
  metadata: TableMetadata;
  /** Table-specific client configuration (FileIO settings, credentials); empty when none. */
  config: Record<string, string>;
  storageCredentials?: StorageCredential[];
}

/** Parses a REST `LoadTableResult`; the metadata goes through the full table metadata parser. */
export function parseLoadTableResult(json: JsonValue): LoadTableResult {
  const where = "load table result";
  const obj = object(json, where);
  const metadataLocation = optStr(obj, "metadata-location", where) ?? null;
  let metadata: TableMetadata;
  try {
    metadata = parseTableMetadata(field(obj, "metadata", where));
  } catch (error) {
    if (error instanceof FloeError && error.kind === "validation") throw badInput(`${where}: ${error.message}`, error);
    throw error;
  }
  const result: LoadTableResult = {
    metadataLocation,
    metadata,
    config: obj.config === undefined || obj.config === null ? {} : stringMap(obj.config, `${where} config`),
  };
  if (obj["storage-credentials"] !== undefined && obj["storage-credentials"] !== null) {
    result.storageCredentials = array(obj, "storage-credentials", where).map((entry) => {
      const credential = object(entry, `${where} storage credential`);
      return {
        prefix: str(credential, "prefix", `${where} storage credential`),
        config: stringMap(field(credential, "config", `${where} storage credential`), `${where} storage credential`),
      };
    });
  }
  return result;
}

/** The REST JSON of a load-table result; `metadata-location` is left out when the table is only staged. */
export function loadTableResultToJson(result: LoadTableResult): JsonValue {
  const json: JsonObject = {};
  if (result.metadataLocation !== null) json["metadata-location"] = result.metadataLocation;
  json.metadata = tableMetadataToJson(result.metadata);
  json.config = { ...result.config };
  if (result.storageCredentials !== undefined)
    json["storage-credentials"] = result.storageCredentials.map((c) => ({ prefix: c.prefix, config: { ...c.config } }));
  return json;
}
