/**
 * Iceberg types as DuckDB types, and the FIELD_IDS option of DuckDB's Parquet writer that stamps
 * every Parquet column (nested ones included) with its Iceberg field id — the link Iceberg
 * readers resolve columns by, so renamed or reordered columns still read correctly.
 *
 * FIELD_IDS syntax (verified with parquet_schema on DuckDB 1.5): a struct literal keyed by column
 * name; a nested column maps to a struct whose `__duckdb_field_id` is the column's own id and whose
 * other keys are its children: struct fields by name, a list's `element`, a map's `key` and `value`.
 */
import { unsupported } from "../../core/errors.ts";
import { asDecimal, parsePrimitive } from "../../spec/conversions.ts";
import { type IcebergType, type NestedField, type StructType, isList, isMap, isPrimitive } from "../../spec/types.ts";
import { quoteIdentifier, quoteString } from "./quoting.ts";

const PRIMITIVES: Record<string, string> = {
  boolean: "BOOLEAN",
  int: "INTEGER",
  long: "BIGINT",
  float: "FLOAT",
  double: "DOUBLE",
  date: "DATE",
  time: "TIME",
  timestamp: "TIMESTAMP",
  timestamptz: "TIMESTAMPTZ",
  timestamp_ns: "TIMESTAMP_NS",
  string: "VARCHAR",
  uuid: "UUID",
  binary: "BLOB",
  fixed: "BLOB",
};

/** The DuckDB type that holds values of an Iceberg type (nested types recursively). */
export function duckdbType(type: IcebergType): string {
  if (isPrimitive(type)) {
    const p = parsePrimitive(type);
    const decimal = asDecimal(p);
    if (decimal) return `DECIMAL(${decimal.precision},${decimal.scale})`;
    const mapped = PRIMITIVES[p.kind];
    // timestamptz_ns has no DuckDB counterpart (DuckDB's TIMESTAMPTZ is µs); v3 types are not written.
    if (!mapped) throw unsupported(`Iceberg type ${type} cannot be written by the DuckDB engine`);
    return mapped;
  }
  if (isList(type)) return `${duckdbType(type.element)}[]`;
  if (isMap(type)) return `MAP(${duckdbType(type.key)}, ${duckdbType(type.value)})`;
  return `STRUCT(${type.fields.map((f) => `${quoteIdentifier(f.name)} ${duckdbType(f.type)}`).join(", ")})`;
}

function childIds(type: IcebergType): string[] {
  if (isPrimitive(type)) return [];
  if (isList(type)) return [`element: ${fieldIdValue(type["element-id"], type.element)}`];
  if (isMap(type))
    return [`key: ${fieldIdValue(type["key-id"], type.key)}`, `value: ${fieldIdValue(type["value-id"], type.value)}`];
  return type.fields.map((field) => `${quoteString(field.name)}: ${fieldIdValue(field.id, field.type)}`);
}

function fieldIdValue(id: number, type: IcebergType): string {
  const children = childIds(type);
  return children.length === 0 ? String(id) : `{__duckdb_field_id: ${id}, ${children.join(", ")}}`;
}

/** The value of COPY's FIELD_IDS option for a schema: `{'id': 1, 'tags': {__duckdb_field_id: 2, element: 3}}`. */
export function fieldIdsOption(schema: StructType): string {
  return `{${schema.fields.map((field: NestedField) => `${quoteString(field.name)}: ${fieldIdValue(field.id, field.type)}`).join(", ")}}`;
}
