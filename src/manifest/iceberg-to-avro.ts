/**
 * Iceberg types → Avro schemas with field ids, as spec Appendix A prescribes: optional values are
 * unions with null (default null), ids sit in "field-id" / "element-id" / "key-id" / "value-id",
 * maps with non-string keys become arrays of key/value records with logicalType "map".
 *
 * Record and fixed names follow the reference implementation ("r<field id>", "k<id>_v<id>",
 * "decimal_P_S", "uuid_fixed", "fixed_L") so files look the same as Java-written ones; Avro
 * requires a named type to be defined once per schema, so repeats are emitted as name references.
 */
import { badInput, unsupported } from "../core/errors.ts";
import type { AvroField, AvroRecord, AvroSchema } from "../avro/schema.ts";
import { asDecimal, fixedLength, parsePrimitive } from "../spec/conversions.ts";
import { type IcebergType, type StructType, isList, isMap, isStruct } from "../spec/types.ts";

/** Bytes of the smallest two's-complement fixed that holds every unscaled value of `precision` digits. */
export function decimalFixedSize(precision: number): number {
  const limit = 10n ** BigInt(precision);
  let size = 1;
  while (1n << BigInt(8 * size - 1) < limit) size++;
  return size;
}

/** Tracks named types already defined in the schema being built. */
type NameRegistry = Set<string>;

/** A nullable schema: a union with null first (the only union Iceberg allows); "null" stays itself. */
const nullable = (schema: AvroSchema): AvroSchema => (schema === "null" ? schema : ["null", schema]);

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An Avro-legal spelling of a field name. Iceberg allows any name, Avro only [A-Za-z_][A-Za-z0-9_]*;
 * like the reference implementation, a leading digit d becomes "_d" and any other illegal character
 * "_x" + its hex code ("a-b" → "a_x2Db"). The original name is kept in "iceberg-field-name".
 */
export function avroFieldName(name: string): string {
  if (VALID_NAME.test(name)) return name;
  const chars = [...name];
  return chars
    .map((char, index) => {
      if (/[A-Za-z_]/.test(char) || (index > 0 && /[0-9]/.test(char))) return char;
      if (/[0-9]/.test(char)) return `_${char}`;
      return `_x${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}`;
    })
    .join("");
}

/** Converts a struct to an Avro record named `recordName` (nested structs are named "r<field id>"). */
export function structToAvroRecord(
  struct: StructType,
  recordName: string,
  names: NameRegistry = new Set(),
): AvroRecord {
  names.add(recordName);
  const fields: AvroField[] = struct.fields.map((field) => {
    const type = typeToAvro(field.type, `r${field.id}`, names);
    const name = avroFieldName(field.name);
    const avroField: AvroField = field.required
      ? { name, type, "field-id": field.id }
      : { name, type: nullable(type), default: null, "field-id": field.id };
    if (name !== field.name) avroField["iceberg-field-name"] = field.name;
    if (field.doc !== undefined) avroField.doc = field.doc;
    return avroField;
  });
  return { type: "record", name: recordName, fields };
}

/** Converts any Iceberg type; `recordName` names the record when the type is a struct. */
export function typeToAvro(type: IcebergType, recordName: string, names: NameRegistry = new Set()): AvroSchema {
  if (isStruct(type)) return structToAvroRecord(type, recordName, names);
  if (isList(type)) {
    const element = typeToAvro(type.element, `r${type["element-id"]}`, names);
    return {
      type: "array",
      items: type["element-required"] ? element : nullable(element),
      "element-id": type["element-id"],
    };
  }
  if (isMap(type)) {
    const value = typeToAvro(type.value, `r${type["value-id"]}`, names);
    const optionalValue: AvroSchema = type["value-required"] ? value : nullable(value);
    if (type.key === "string") {
      return { type: "map", values: optionalValue, "key-id": type["key-id"], "value-id": type["value-id"] };
    }
    const recordName = `k${type["key-id"]}_v${type["value-id"]}`;
    names.add(recordName);
    return {
      type: "array",
      logicalType: "map",
      items: {
        type: "record",
        name: recordName,
        fields: [
          { name: "key", type: typeToAvro(type.key, `r${type["key-id"]}`, names), "field-id": type["key-id"] },
          { name: "value", type: optionalValue, "field-id": type["value-id"] },
        ],
      },
    };
  }
  return primitiveToAvro(type, names);
}

function named(names: NameRegistry, name: string, define: () => AvroSchema): AvroSchema {
  if (names.has(name)) return name;
  names.add(name);
  return define();
}

function primitiveToAvro(type: string, names: NameRegistry): AvroSchema {
  const parsed = parsePrimitive(type);
  const decimal = asDecimal(parsed);
  if (decimal) {
    const { precision, scale } = decimal;
    return named(names, `decimal_${precision}_${scale}`, () => ({
      type: "fixed",
      name: `decimal_${precision}_${scale}`,
      size: decimalFixedSize(precision),
      logicalType: "decimal",
      precision,
      scale,
    }));
  }
  const length = fixedLength(parsed);
  if (length !== undefined) {
    return named(names, `fixed_${length}`, () => ({ type: "fixed", name: `fixed_${length}`, size: length }));
  }
  switch (parsed.kind) {
    case "boolean":
    case "int":
    case "long":
    case "float":
    case "double":
    case "string":
      return parsed.kind;
    case "binary":
    case "geometry":
    case "geography":
      return "bytes";
    case "date":
      return { type: "int", logicalType: "date" };
    case "time":
      return { type: "long", logicalType: "time-micros" };
    case "timestamp":
    case "timestamptz":
      return { type: "long", logicalType: "timestamp-micros", "adjust-to-utc": parsed.kind === "timestamptz" };
    case "timestamp_ns":
    case "timestamptz_ns":
      return { type: "long", logicalType: "timestamp-nanos", "adjust-to-utc": parsed.kind === "timestamptz_ns" };
    case "uuid":
      return named(names, "uuid_fixed", () => ({ type: "fixed", name: "uuid_fixed", size: 16, logicalType: "uuid" }));
    case "unknown":
      return "null";
    case "variant":
      throw unsupported(`type ${type} cannot be written to Avro manifests by floe`);
    default:
      throw badInput(`unknown primitive type: ${type}`);
  }
}
