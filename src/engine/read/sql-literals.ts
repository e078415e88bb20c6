/**
 * Iceberg values as typed DuckDB SQL literals, nested ones included (column defaults may be
 * structs, lists or maps). Primitives go through the engine's sqlLiteral; this module adds the
 * nested forms and accepts the value shapes that reach a reader: partition values written before a
 * type promotion hold the narrower form (an int partition value for a column now long).
 */
import type { JsonValue } from "../../core/json.ts";
import { fromJsonValue, parsePrimitive } from "../../spec/conversions.ts";
import { type IcebergType, type NestedField, type Value, isList, isMap, isStruct } from "../../spec/types.ts";
import { sqlLiteral } from "../sql/quoting.ts";
import { duckdbType } from "../sql/types.ts";
import { quoteString } from "./sql-text.ts";

const LONG_BACKED = new Set(["long", "time", "timestamp", "timestamptz", "timestamp_ns", "timestamptz_ns"]);
const INT_BACKED = new Set(["int", "date"]);

/** The value in the representation the type's Value table entry asks for (number ⇄ bigint only). */
function normalized(type: string, value: unknown): Value {
  const kind = parsePrimitive(type).kind;
  if (LONG_BACKED.has(kind) && typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (INT_BACKED.has(kind) && typeof value === "bigint") return Number(value);
  if ((kind === "float" || kind === "double") && typeof value === "bigint") return Number(value);
  return value as Value;
}

/** A typed NULL of an Iceberg type. */
export const nullLiteral = (type: IcebergType): string => `CAST(NULL AS ${duckdbType(type)})`;

/**
 * A SQL expression of DuckDB type duckdbType(type) holding `value`: a primitive's Value, a struct
 * as an object (or Map) keyed by field id, a list as an array, a map as a Map; null gives a typed NULL.
 */
export function valueToSql(type: IcebergType, value: unknown): string {
  if (value === null || value === undefined) return nullLiteral(type);
  if (isStruct(type)) {
    const byId = value as Record<string, unknown> | Map<number, unknown>;
    const get = (field: NestedField): unknown =>
      byId instanceof Map ? byId.get(field.id) : (byId as Record<string, unknown>)[String(field.id)];
    const members = type.fields.map((field) => `${quoteString(field.name)}: ${valueToSql(field.type, get(field))}`);
    return `CAST({${members.join(", ")}} AS ${duckdbType(type)})`;
  }
  if (isList(type)) {
    const items = (value as unknown[]).map((item) => valueToSql(type.element, item));
    return `CAST([${items.join(", ")}] AS ${duckdbType(type)})`;
  }
  if (isMap(type)) {
    const entries = [...(value as Map<unknown, unknown>)].map(
      ([k, v]) => `${valueToSql(type.key, k)}: ${valueToSql(type.value, v)}`,
    );
    return `CAST(MAP {${entries.join(", ")}} AS ${duckdbType(type)})`;
  }
  return sqlLiteral(type, normalized(type, value));
}

/** A field's initial-default (stored in the spec's JSON single-value form) as a value, null when it has none. */
export function initialDefaultValue(field: NestedField): unknown {
  const json = field["initial-default"];
  return json === undefined || json === null ? null : fromJsonValue(field.type, json as JsonValue);
}

/** The SQL literal of a field's initial-default, or a typed NULL. */
export const initialDefaultSql = (field: NestedField): string => valueToSql(field.type, initialDefaultValue(field));
