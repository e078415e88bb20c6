/**
 * Avro schemas as plain JSON-shaped data, exactly as they appear in a file header. Extra
 * attributes ("field-id", "element-id", "logicalType", ...) are ordinary properties, so writing a
 * schema into a header keeps them verbatim. Logical types are annotations only: values keep their
 * underlying Avro type.
 */

/** The eight Avro primitive type names. */
export type AvroPrimitiveName = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

/** One field of a record; Iceberg adds "field-id". */
export interface AvroField {
  name: string;
  type: AvroSchema;
  default?: unknown;
  doc?: string;
  "field-id"?: number;
  [key: string]: unknown;
}

/** A named record type. */
export interface AvroRecord {
  type: "record";
  name: string;
  namespace?: string;
  fields: AvroField[];
  [key: string]: unknown;
}

/** An array; Iceberg adds "element-id". */
export interface AvroArray {
  type: "array";
  items: AvroSchema;
  [key: string]: unknown;
}

/** A map with string keys; Iceberg adds "key-id" and "value-id". */
export interface AvroMap {
  type: "map";
  values: AvroSchema;
  [key: string]: unknown;
}

/** A named fixed-size byte sequence. */
export interface AvroFixed {
  type: "fixed";
  name: string;
  size: number;
  [key: string]: unknown;
}

/** A named enumeration of symbols. */
export interface AvroEnum {
  type: "enum";
  name: string;
  symbols: string[];
  [key: string]: unknown;
}

/**
 * Any Avro schema: a primitive name, an annotated primitive, a complex type, a union (JS array)
 * or a reference (string) to a named type defined earlier.
 */
export type AvroSchema =
  | AvroPrimitiveName
  | { type: AvroPrimitiveName; [key: string]: unknown }
  | AvroRecord
  | AvroArray
  | AvroMap
  | AvroFixed
  | AvroEnum
  | AvroSchema[]
  | string;

/** The primitive names, for membership tests. */
export const AVRO_PRIMITIVE_NAMES: ReadonlySet<string> = new Set<AvroPrimitiveName>([
  "null",
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "bytes",
  "string",
]);
