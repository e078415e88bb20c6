/**
 * Iceberg data types as plain data, shaped exactly like the spec's JSON serialization so that a
 * schema read from metadata JSON is already a value of these types (no parallel class hierarchy).
 *
 * Primitive types are their JSON strings: "int", "decimal(9,2)", "fixed[16]", ...
 */

export type PrimitiveType = string; // e.g. "long", "decimal(10,2)", "fixed[16]", "timestamptz"

export interface NestedField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
  "initial-default"?: unknown;
  "write-default"?: unknown;
}

export interface StructType {
  type: "struct";
  fields: NestedField[];
}

export interface ListType {
  type: "list";
  "element-id": number;
  element: IcebergType;
  "element-required": boolean;
}

export interface MapType {
  type: "map";
  "key-id": number;
  key: IcebergType;
  "value-id": number;
  value: IcebergType;
  "value-required": boolean;
}

export type NestedType = StructType | ListType | MapType;
export type IcebergType = PrimitiveType | NestedType;

/** A table schema: a struct with an id and optional identifier (row key) fields. */
export interface Schema extends StructType {
  "schema-id": number;
  "identifier-field-ids"?: number[];
}

export const isPrimitive = (t: IcebergType): t is PrimitiveType => typeof t === "string";
export const isStruct = (t: IcebergType): t is StructType => typeof t !== "string" && t.type === "struct";
export const isList = (t: IcebergType): t is ListType => typeof t !== "string" && t.type === "list";
export const isMap = (t: IcebergType): t is MapType => typeof t !== "string" && t.type === "map";

/**
 * In-memory representation of a single value of an Iceberg type (partition values, bounds,
 * literals, defaults). Chosen so that comparison and serialization are unambiguous:
 *
 * | type                                 | Value                                   |
 * |--------------------------------------|-----------------------------------------|
 * | boolean                              | boolean                                 |
 * | int, date (days since epoch)         | number                                  |
 * | long, time/timestamp/timestamptz(µs), timestamp_ns/timestamptz_ns (ns) | bigint |
 * | float, double                        | number                                  |
 * | decimal(P,S)                         | bigint (the unscaled value)             |
 * | string, uuid (canonical 8-4-4-4-12)  | string                                  |
 * | fixed[L], binary                     | Uint8Array                              |
 * | missing / null                       | null                                    |
 */
export type Value = boolean | number | bigint | string | Uint8Array | null;
