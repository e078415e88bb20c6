/**
 * Functions over partition specs: the partition tuple's type, Hive-style partition paths,
 * transforming a row into its partition tuple, and building validated specs.
 */
import { badInput, validation } from "../core/errors.ts";
import { PARTITION_DATA_ID_START, type PartitionField, type PartitionSpec } from "./partition-spec.ts";
import { findFieldById, findFieldByName, indexById } from "./schema.ts";
import { type Transform, isTimeTransform, parseTransform } from "./transforms.ts";
import { type IcebergType, type NestedField, type Schema, type StructType, type Value, isPrimitive } from "./types.ts";

/** The spec of an unpartitioned table: spec-id 0, no fields. */
export const UNPARTITIONED_SPEC: PartitionSpec = Object.freeze({
  "spec-id": 0,
  fields: Object.freeze([]) as unknown as PartitionField[],
});

/** The source field ids of a partition field (v3 multi-argument transforms list several). */
export const sourceIdsOf = (field: PartitionField): number[] => field["source-ids"] ?? [field["source-id"]];

/**
 * Result type of a partition field whose source column no longer exists in the schema. Transforms
 * with a fixed result type keep it; for the others (identity, truncate, void, unknown) the type
 * cannot be known, so it is the v3 "unknown" type, whose values read as null — as the reference
 * implementation does for dropped sources.
 */
function resultTypeWithoutSource(transform: Transform): IcebergType {
  switch (transform.name) {
    case "bucket":
    case "year":
    case "month":
    case "hour":
      return "int";
    case "day":
      return "date";
    default:
      return "unknown";
  }
}

/** The type of the partition tuple: one optional field per partition field, typed by its transform's result. */
export function partitionType(spec: PartitionSpec, schema: Schema): StructType {
  const fields: NestedField[] = spec.fields.map((field) => {
    const transform = parseTransform(field.transform);
    const source = findFieldById(schema, field["source-id"]);
    const type = source ? transform.resultType(source.type) : resultTypeWithoutSource(transform);
    return { id: field["field-id"], name: field.name, required: false, type };
  });
  return { type: "struct", fields };
}

/** Escapes text as Java's URLEncoder does (UTF-8, space as "+", only A-Za-z0-9 . - * _ kept). */
export function urlEncodeJava(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (byte === 0x20) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The Hive-style relative path of a partition tuple: "event_time_day=2025-01-01/id_bucket=3". */
export function partitionPath(spec: PartitionSpec, schema: Schema, values: Value[]): string {
  if (values.length !== spec.fields.length)
    throw badInput(`partition spec ${spec["spec-id"]} has ${spec.fields.length} fields, got ${values.length} values`);
  const type = partitionType(spec, schema);
  return spec.fields
    .map((field, i) => {
      const human = parseTransform(field.transform).toHumanString(type.fields[i].type, values[i]);
      return `${urlEncodeJava(field.name)}=${urlEncodeJava(human)}`;
    })
    .join("/");
}

/** Transforms a row (read by source field id; undefined counts as null) into its partition tuple. */
export function partitionValuesFor(spec: PartitionSpec, schema: Schema, row: (fieldId: number) => Value): Value[] {
  return spec.fields.map((field) => {
    const source = findFieldById(schema, field["source-id"]);
    if (!source)
      throw validation(`partition field ${field.name}: source column ${field["source-id"]} is not in the schema`);
    return parseTransform(field.transform).apply(source.type, row(field["source-id"]) ?? null);
  });
}

/** True when the spec has no fields or only void fields (which always produce null). */
export const isUnpartitioned = (spec: PartitionSpec): boolean =>
  spec.fields.every((field) => parseTransform(field.transform).name === "void");

/** Equivalent specs (spec "Partitioning"): same fields in order with the same sources, transforms and names. */
export function specsCompatible(a: PartitionSpec, b: PartitionSpec): boolean {
  if (a.fields.length !== b.fields.length) return false;
  return a.fields.every((fa, i) => {
    const fb = b.fields[i];
    const sa = sourceIdsOf(fa);
    const sb = sourceIdsOf(fb);
    return (
      fa.name === fb.name &&
      sa.length === sb.length &&
      sa.every((id, j) => id === sb[j]) &&
      parseTransform(fa.transform).toString() === parseTransform(fb.transform).toString()
    );
  });
}

/** The reference implementation's default partition field name for a transform of a source column. */
export function defaultPartitionName(sourceName: string, transform: Transform): string {
  switch (transform.name) {
    case "identity":
      return sourceName;
    case "bucket":
      return `${sourceName}_bucket_${transform.param}`;
    case "truncate":
      return `${sourceName}_trunc_${transform.param}`;
    case "void":
      return `${sourceName}_null`;
    case "unknown":
      return `${sourceName}_${transform.toString().replace(/[^A-Za-z0-9_]/g, "_")}`;
    default:
      return `${sourceName}_${transform.name}`;
  }
}

/** Resolves a column by dotted name or id; it must be a primitive not nested in a list or map. */
export function resolvePartitionSource(schema: Schema, source: string | number, what: string): NestedField {
  const field = typeof source === "number" ? findFieldById(schema, source) : findFieldByName(schema, source);
  if (!field) throw validation(`${what}: source column ${source} not found in schema ${schema["schema-id"]}`);
  const index = indexById(schema);
  for (const parentId of index.get(field.id)?.parents ?? []) {
    const parent = index.get(parentId)?.field;
    if (parent && !isPrimitive(parent.type) && parent.type.type !== "struct")
      throw validation(`${what}: source column ${index.get(field.id)?.name} is inside a list or map`);
  }
  if (!isPrimitive(field.type)) throw validation(`${what}: source column ${source} is not a primitive type`);
  return field;
}

/** The key under which two fields on one source are redundant: one time transform per source, else per transform. */
export const redundancyKey = (sourceId: number, transform: Transform): string =>
  `${sourceId}:${isTimeTransform(transform) ? "time" : transform.toString()}`;

/**
 * Checks a whole spec against a schema as writers must: known transforms that apply to their
 * sources, unique non-empty names, unique field ids, and no name that shadows a schema column
 * unless it is an identity (or void) partition of that very column. Void fields may name a
 * dropped column (v1 keeps removed fields as void).
 */
export function validatePartitionSpec(spec: PartitionSpec, schema: Schema): void {
  const names = new Set<string>();
  const ids = new Set<number>();
  const what = (field: PartitionField) => `partition spec ${spec["spec-id"]} field ${field.name}`;
  for (const field of spec.fields) {
    const transform = parseTransform(field.transform);
    if (transform.name === "unknown")
      throw validation(`${what(field)}: unknown transform ${field.transform} cannot be used to write`);
    if (!field.name) throw validation(`partition spec ${spec["spec-id"]}: empty partition field name`);
    if (names.has(field.name)) throw validation(`${what(field)}: partition name used more than once`);
    names.add(field.name);
    if (ids.has(field["field-id"]))
      throw validation(`${what(field)}: partition field id ${field["field-id"]} used twice`);
    ids.add(field["field-id"]);
    const source = findFieldById(schema, field["source-id"]);
    if (transform.name !== "void") {
      const resolved = resolvePartitionSource(schema, field["source-id"], what(field));
      if (!transform.canTransform(resolved.type))
        throw validation(`${what(field)}: transform ${transform} cannot apply to ${String(resolved.type)}`);
    }
    const shadowed = findFieldByName(schema, field.name);
    const sameColumn = shadowed && source && shadowed.id === source.id;
    if (shadowed && !(sameColumn && (transform.name === "identity" || transform.name === "void")))
      throw validation(`${what(field)}: partition name conflicts with schema column ${field.name}`);
  }
}

/** One requested partition field for buildPartitionSpec. */
export interface PartitionFieldRequest {
  source: string | number;
  transform: string;
  name?: string;
  fieldId?: number;
}

/**
 * Builds and validates a partition spec from column names (or ids) and transform strings. Default
 * names follow the reference implementation; field ids continue from `lastPartitionId` (999 when
 * new, so the first is 1000). Rejects redundant fields: the same transform twice on one column, or
 * two of year/month/day/hour on one column.
 */
export function buildPartitionSpec(
  schema: Schema,
  fields: PartitionFieldRequest[],
  options: { specId?: number; lastPartitionId?: number } = {},
): PartitionSpec {
  const specId = options.specId ?? 0;
  let lastId = options.lastPartitionId ?? PARTITION_DATA_ID_START - 1;
  const seen = new Map<string, string>();
  const out: PartitionField[] = fields.map((request) => {
    const what = `partition spec ${specId}: ${request.transform}(${request.source})`;
    const source = resolvePartitionSource(schema, request.source, what);
    const transform = parseTransform(request.transform);
    if (transform.name === "unknown") throw validation(`${what}: unknown transform ${request.transform}`);
    if (!transform.canTransform(source.type))
      throw validation(`${what}: transform ${transform} cannot apply to column of type ${String(source.type)}`);
    const sourceName = indexById(schema).get(source.id)!.name;
    const name = request.name ?? defaultPartitionName(sourceName, transform);
    if (transform.name !== "void") {
      const key = redundancyKey(source.id, transform);
      const earlier = seen.get(key);
      if (earlier) throw validation(`${what}: redundant partition, conflicts with ${earlier}`);
      seen.set(key, `${transform}(${sourceName})`);
    }
    const fieldId = request.fieldId ?? lastId + 1;
    lastId = Math.max(lastId, fieldId);
    return { "source-id": source.id, "field-id": fieldId, name, transform: transform.toString() };
  });
  const spec: PartitionSpec = { "spec-id": specId, fields: out };
  validatePartitionSpec(spec, schema);
  return spec;
}
