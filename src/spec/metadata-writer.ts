/**
 * Writes table metadata as the spec's JSON for the table's format version, in the field order the
 * reference implementation writes. v1 tables also get the deprecated `schema` and `partition-spec`
 * fields (older v1 readers need them); v3-only fields are written only for v3 tables. int64 values
 * are bigint and are written exactly, however large.
 */
import { type JsonValue, stringifyJson } from "../core/json.ts";
import type { PartitionField, PartitionSpec } from "./partition-spec.ts";
import type { PartitionStatisticsFile, Snapshot, SnapshotRef, StatisticsFile } from "./snapshot.ts";
import type { SortOrder } from "./sort-order.ts";
import type { TableMetadata } from "./table-metadata.ts";
import type { IcebergType, NestedField, Schema } from "./types.ts";

type JsonObject = { [key: string]: JsonValue };

/** The JSON form of a type (primitives are already their JSON strings). */
export function typeToJson(type: IcebergType): JsonValue {
  if (typeof type === "string") return type;
  if (type.type === "struct") return { type: "struct", fields: type.fields.map(fieldToJson) };
  if (type.type === "list")
    return {
      type: "list",
      "element-id": type["element-id"],
      element: typeToJson(type.element),
      "element-required": type["element-required"],
    };
  return {
    type: "map",
    "key-id": type["key-id"],
    key: typeToJson(type.key),
    "value-id": type["value-id"],
    value: typeToJson(type.value),
    "value-required": type["value-required"],
  };
}

function fieldToJson(field: NestedField): JsonObject {
  const json: JsonObject = { id: field.id, name: field.name, required: field.required, type: typeToJson(field.type) };
  if (field.doc !== undefined) json.doc = field.doc;
  if (field["initial-default"] !== undefined) json["initial-default"] = field["initial-default"] as JsonValue;
  if (field["write-default"] !== undefined) json["write-default"] = field["write-default"] as JsonValue;
  return json;
}

/** The JSON form of a schema. */
export function schemaToJson(schema: Schema): JsonObject {
  const json: JsonObject = { type: "struct", "schema-id": schema["schema-id"] };
  if (schema["identifier-field-ids"] !== undefined) json["identifier-field-ids"] = [...schema["identifier-field-ids"]];
  json.fields = schema.fields.map(fieldToJson);
  return json;
}

function partitionFieldToJson(field: PartitionField): JsonObject {
  const json: JsonObject = { name: field.name, transform: field.transform, "source-id": field["source-id"] };
  if (field["source-ids"] !== undefined) json["source-ids"] = [...field["source-ids"]];
  json["field-id"] = field["field-id"];
  return json;
}

/** The JSON form of a partition spec. */
export const partitionSpecToJson = (spec: PartitionSpec): JsonObject => ({
  "spec-id": spec["spec-id"],
  fields: spec.fields.map(partitionFieldToJson),
});

/** The JSON form of a sort order. */
export const sortOrderToJson = (order: SortOrder): JsonObject => ({
  "order-id": order["order-id"],
  fields: order.fields.map((f) => {
    const json: JsonObject = { transform: f.transform, "source-id": f["source-id"] };
    if (f["source-ids"] !== undefined) json["source-ids"] = [...f["source-ids"]];
    json.direction = f.direction;
    json["null-order"] = f["null-order"];
    return json;
  }),
});

/** The JSON form of a snapshot; `sequence-number` is left out for v1 tables, which have none. */
export function snapshotToJson(snapshot: Snapshot, formatVersion: number): JsonObject {
  const json: JsonObject = { "snapshot-id": snapshot["snapshot-id"] };
  if (snapshot["parent-snapshot-id"] !== undefined) json["parent-snapshot-id"] = snapshot["parent-snapshot-id"];
  if (formatVersion > 1 || snapshot["sequence-number"] !== 0n) json["sequence-number"] = snapshot["sequence-number"];
  json["timestamp-ms"] = snapshot["timestamp-ms"];
  json.summary = { ...snapshot.summary };
  if (snapshot["manifest-list"] !== undefined) json["manifest-list"] = snapshot["manifest-list"];
  else if (snapshot.manifests !== undefined) json.manifests = [...snapshot.manifests];
  if (snapshot["schema-id"] !== undefined) json["schema-id"] = snapshot["schema-id"];
  if (snapshot["first-row-id"] !== undefined) json["first-row-id"] = snapshot["first-row-id"];
  if (snapshot["added-rows"] !== undefined) json["added-rows"] = snapshot["added-rows"];
  if (snapshot["key-id"] !== undefined) json["key-id"] = snapshot["key-id"];
  return json;
}

/** The JSON form of a snapshot reference. */
export function snapshotRefToJson(ref: SnapshotRef): JsonObject {
  const json: JsonObject = { "snapshot-id": ref["snapshot-id"], type: ref.type };
  if (ref["min-snapshots-to-keep"] !== undefined) json["min-snapshots-to-keep"] = ref["min-snapshots-to-keep"];
  if (ref["max-snapshot-age-ms"] !== undefined) json["max-snapshot-age-ms"] = ref["max-snapshot-age-ms"];
  if (ref["max-ref-age-ms"] !== undefined) json["max-ref-age-ms"] = ref["max-ref-age-ms"];
  return json;
}

/** The JSON form of a statistics file entry. */
export function statisticsFileToJson(file: StatisticsFile): JsonObject {
  const json: JsonObject = {
    "snapshot-id": file["snapshot-id"],
    "statistics-path": file["statistics-path"],
    "file-size-in-bytes": file["file-size-in-bytes"],
    "file-footer-size-in-bytes": file["file-footer-size-in-bytes"],
  };
  if (file["key-metadata"] !== undefined) json["key-metadata"] = file["key-metadata"];
  json["blob-metadata"] = file["blob-metadata"].map((blob) => {
    const b: JsonObject = {
      type: blob.type,
      "snapshot-id": blob["snapshot-id"],
      "sequence-number": blob["sequence-number"],
      fields: [...blob.fields],
    };
    if (blob.properties !== undefined) b.properties = { ...blob.properties };
    return b;
  });
  return json;
}

/** The JSON form of a partition statistics file entry. */
export const partitionStatisticsFileToJson = (file: PartitionStatisticsFile): JsonObject => ({
  "snapshot-id": file["snapshot-id"],
  "statistics-path": file["statistics-path"],
  "file-size-in-bytes": file["file-size-in-bytes"],
});

/** The metadata as a JSON object (before stringification), for callers that embed it (REST responses). */
export function tableMetadataToJson(metadata: TableMetadata): JsonObject {
  const version = metadata["format-version"];
  const json: JsonObject = { "format-version": version };
  // v1 tables may lack a uuid; "" is how the normalized shape says so
  if (metadata["table-uuid"] !== "" || version > 1) json["table-uuid"] = metadata["table-uuid"];
  json.location = metadata.location;
  if (version > 1) json["last-sequence-number"] = metadata["last-sequence-number"];
  json["last-updated-ms"] = metadata["last-updated-ms"];
  json["last-column-id"] = metadata["last-column-id"];
  if (version >= 3 && metadata["next-row-id"] !== undefined) json["next-row-id"] = metadata["next-row-id"];
  if (version >= 3 && metadata["row-lineage"] !== undefined) json["row-lineage"] = metadata["row-lineage"];
  if (version === 1) {
    const current = metadata.schemas.find((s) => s["schema-id"] === metadata["current-schema-id"]);
    if (current) json.schema = schemaToJson(current);
  }
  json["current-schema-id"] = metadata["current-schema-id"];
  json.schemas = metadata.schemas.map(schemaToJson);
  if (version === 1) {
    const spec = metadata["partition-specs"].find((s) => s["spec-id"] === metadata["default-spec-id"]);
    if (spec) json["partition-spec"] = spec.fields.map(partitionFieldToJson);
  }
  json["default-spec-id"] = metadata["default-spec-id"];
  json["partition-specs"] = metadata["partition-specs"].map(partitionSpecToJson);
  json["last-partition-id"] = metadata["last-partition-id"];
  json["default-sort-order-id"] = metadata["default-sort-order-id"];
  json["sort-orders"] = metadata["sort-orders"].map(sortOrderToJson);
  json.properties = { ...metadata.properties };
  // -1 rather than null: older readers require the field to be a number
  json["current-snapshot-id"] = metadata["current-snapshot-id"] ?? -1;
  const refs: JsonObject = {};
  for (const [name, ref] of Object.entries(metadata.refs)) refs[name] = snapshotRefToJson(ref);
  json.refs = refs;
  json.snapshots = metadata.snapshots.map((s) => snapshotToJson(s, version));
  json.statistics = metadata.statistics.map(statisticsFileToJson);
  json["partition-statistics"] = metadata["partition-statistics"].map(partitionStatisticsFileToJson);
  json["snapshot-log"] = metadata["snapshot-log"].map((e) => ({
    "timestamp-ms": e["timestamp-ms"],
    "snapshot-id": e["snapshot-id"],
  }));
  json["metadata-log"] = metadata["metadata-log"].map((e) => ({
    "timestamp-ms": e["timestamp-ms"],
    "metadata-file": e["metadata-file"],
  }));
  if (version >= 3 && metadata["encryption-keys"] !== undefined)
    json["encryption-keys"] = metadata["encryption-keys"] as JsonValue[];
  return json;
}

/**
 * Serializes table metadata to the spec JSON text for its format version; `indent` as in JSON.stringify.
 *
 * Why not just stringifyJson: metadata grows with every commit (a snapshot and a snapshot-log entry
 * each), and a bigint-aware JSON.stringify with a replacer over a thousand snapshots cost ~6 ms
 * of every commit. Compact text (no indent) is built here instead: each snapshot's text is
 * computed once per Snapshot object (spec data is immutable; successive metadata versions share
 * their snapshot objects) and reused, the rest is serialized directly. The text is byte-identical
 * to `stringifyJson(tableMetadataToJson(metadata))`.
 */
export function serializeTableMetadata(metadata: TableMetadata, indent?: number): string {
  if (indent !== undefined) return stringifyJson(tableMetadataToJson(metadata), indent);
  const version = metadata["format-version"];
  // The long lists (one item per snapshot) are written below without building their JSON objects.
  const json = tableMetadataToJson({ ...metadata, snapshots: [], "snapshot-log": [], "metadata-log": [] });
  const members: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    let text: string;
    if (key === "snapshots") text = `[${metadata.snapshots.map((s) => snapshotText(s, version)).join(",")}]`;
    else if (key === "snapshot-log")
      text = `[${metadata["snapshot-log"].map((e) => `{"timestamp-ms":${jsonText(e["timestamp-ms"])},"snapshot-id":${jsonText(e["snapshot-id"])}}`).join(",")}]`;
    else if (key === "metadata-log")
      text = `[${metadata["metadata-log"].map((e) => `{"timestamp-ms":${jsonText(e["timestamp-ms"])},"metadata-file":${jsonText(e["metadata-file"])}}`).join(",")}]`;
    else text = jsonText(value);
    members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(",")}}`;
}

/** Compact JSON text of snapshots already serialized, per format version (v1 omits sequence numbers). */
const snapshotTexts = new WeakMap<Snapshot, { version: number; text: string }>();

function snapshotText(snapshot: Snapshot, version: number): string {
  const cached = snapshotTexts.get(snapshot);
  if (cached !== undefined && cached.version === version) return cached.text;
  const text = jsonText(snapshotToJson(snapshot, version));
  snapshotTexts.set(snapshot, { version, text });
  return text;
}

/**
 * Compact JSON text of a value, as `stringifyJson` writes it (bigint as exact integers; undefined
 * members left out, undefined array items and non-finite numbers as null) without a replacer.
 */
function jsonText(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value))
        return `[${value.map((item) => (item === undefined || typeof item === "function" ? "null" : jsonText(item))).join(",")}]`;
      const members: string[] = [];
      for (const [key, member] of Object.entries(value)) {
        if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
        members.push(`${JSON.stringify(key)}:${jsonText(member)}`);
      }
      return `{${members.join(",")}}`;
    }
    default:
      return "null";
  }
}
