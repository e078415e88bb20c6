/**
 * Encodes one JS value per a resolved schema (floe's value mapping: long is bigint or a safe
 * integer number, bytes/fixed are Uint8Array, map is Map<string, unknown>, record is a plain
 * object). Failures name the path to the offending value, e.g. `data_file.split_offsets[2]`.
 */
import { badInput } from "../core/errors.ts";
import type { AvroEncoder } from "./binary-encoder.ts";
import { describeSchema, type ResolvedSchema, type ResolvedUnion } from "./resolved-schema.ts";

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Thrown inside the recursion; each enclosing record, array or map prepends its path segment on
 * the way out, and the top level turns it into a FloeError (see encodeValue).
 */
export class AvroValueError extends Error {
  readonly path: string[] = [];
}

/** Encodes `value`; throws a bad-input FloeError naming `what` and the path inside the value. */
export function encodeValue(encoder: AvroEncoder, schema: ResolvedSchema, value: unknown, what: string): void {
  try {
    writeValue(encoder, schema, value);
  } catch (error) {
    if (!(error instanceof AvroValueError)) throw error;
    const path = error.path.join("").replace(/^\./, "");
    throw badInput(`cannot write ${what}${path ? ` at field ${path}` : ""}: ${error.message}`, error);
  }
}

/** Any object other than the shapes that stand for other Avro types (array, map, bytes). */
function isRecordLike(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set) &&
    !ArrayBuffer.isView(value)
  );
}

const isLong = (value: bigint) => value >= LONG_MIN && value <= LONG_MAX;
const isInt = (value: number) => Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX;

/** Describes a JS value briefly for error messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === "bigint") return `bigint ${value}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  if (value instanceof Uint8Array) return `Uint8Array of ${value.length} bytes`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (value instanceof Map) return `Map of ${value.size}`;
  if (Object.getPrototypeOf(value) === Object.prototype) return "object";
  return `${Object.prototype.toString.call(value).slice(8, -1)} object`;
}

function mismatch(schema: ResolvedSchema, value: unknown, hint = ""): AvroValueError {
  return new AvroValueError(`expected ${describeSchema(schema)} but got ${describeValue(value)}${hint}`);
}

function writeValue(encoder: AvroEncoder, schema: ResolvedSchema, value: unknown): void {
  switch (schema.kind) {
    case "null":
      if (value !== null && value !== undefined) throw mismatch(schema, value);
      return;
    case "boolean":
      if (typeof value !== "boolean") throw mismatch(schema, value);
      encoder.writeBoolean(value);
      return;
    case "int":
      if (typeof value === "number" && isInt(value)) encoder.writeInt(value);
      else if (typeof value === "bigint" && value >= INT_MIN && value <= INT_MAX) encoder.writeInt(Number(value));
      else throw mismatch(schema, value, " (an integer from -2^31 to 2^31-1)");
      return;
    case "long":
      if (typeof value === "bigint" && isLong(value)) encoder.writeLong(value);
      else if (typeof value === "number" && Number.isSafeInteger(value)) encoder.writeLong(value);
      else throw mismatch(schema, value, " (a bigint in the int64 range, or a safe integer number)");
      return;
    case "float":
      if (typeof value !== "number") throw mismatch(schema, value);
      encoder.writeFloat(value);
      return;
    case "double":
      if (typeof value !== "number") throw mismatch(schema, value);
      encoder.writeDouble(value);
      return;
    case "bytes":
      if (!(value instanceof Uint8Array)) throw mismatch(schema, value);
      encoder.writeBytes(value);
      return;
    case "string":
      if (typeof value !== "string") throw mismatch(schema, value);
      encoder.writeString(value);
      return;
    case "fixed":
      if (!(value instanceof Uint8Array) || value.length !== schema.size)
        throw mismatch(schema, value, ` (exactly ${schema.size} bytes)`);
      encoder.writeRaw(value);
      return;
    case "enum": {
      const index = typeof value === "string" ? schema.symbols.indexOf(value) : -1;
      if (index < 0) throw mismatch(schema, value, ` (one of ${schema.symbols.join(", ")})`);
      encoder.writeInt(index);
      return;
    }
    case "array":
      if (!Array.isArray(value)) throw mismatch(schema, value);
      if (value.length > 0) {
        encoder.writeLong(value.length);
        for (let index = 0; index < value.length; index++) {
          try {
            writeValue(encoder, schema.items, value[index]);
          } catch (error) {
            throw withSegment(error, `[${index}]`);
          }
        }
      }
      encoder.writeLong(0);
      return;
    case "map":
      if (!(value instanceof Map)) throw mismatch(schema, value);
      if (value.size > 0) {
        encoder.writeLong(value.size);
        for (const [key, entry] of value) {
          if (typeof key !== "string")
            throw withSegment(new AvroValueError(`map key must be a string, got ${describeValue(key)}`), "{}");
          encoder.writeString(key);
          try {
            writeValue(encoder, schema.values, entry);
          } catch (error) {
            throw withSegment(error, `[${JSON.stringify(key)}]`);
          }
        }
      }
      encoder.writeLong(0);
      return;
    case "record": {
      if (!isRecordLike(value)) throw mismatch(schema, value, " (an object)");
      for (const field of schema.fields) {
        let fieldValue = value[field.name];
        if (fieldValue === undefined) {
          if (field.hasDefault) fieldValue = field.defaultValue;
          else if (field.nullable) fieldValue = null;
          else throw withSegment(new AvroValueError("required field is missing"), `.${field.name}`);
        }
        try {
          writeValue(encoder, field.schema, fieldValue);
        } catch (error) {
          throw withSegment(error, `.${field.name}`);
        }
      }
      return;
    }
    case "union": {
      const index = chooseBranch(schema, value);
      encoder.writeInt(index);
      writeValue(encoder, schema.branches[index], value);
      return;
    }
  }
}

function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof AvroValueError) error.path.unshift(segment);
  return error;
}

/** True when `value` is exactly the JS representation of `schema` (no conversion needed). */
function matchesExactly(schema: ResolvedSchema, value: unknown): boolean {
  switch (schema.kind) {
    case "null":
      return value === null || value === undefined;
    case "boolean":
      return typeof value === "boolean";
    case "int":
      return typeof value === "number" && isInt(value);
    case "long":
      return typeof value === "bigint" && isLong(value);
    case "float":
    case "double":
      return typeof value === "number";
    case "bytes":
      return value instanceof Uint8Array;
    case "fixed":
      return value instanceof Uint8Array && value.length === schema.size;
    case "string":
      return typeof value === "string";
    case "enum":
      return typeof value === "string" && schema.symbols.includes(value);
    case "array":
      return Array.isArray(value);
    case "map":
      return value instanceof Map;
    case "record":
      return isRecordLike(value);
    case "union":
      return false;
  }
}

/** True when `value` can be written as `schema` after a lossless conversion (number as long, ...). */
function matchesLoosely(schema: ResolvedSchema, value: unknown): boolean {
  if (schema.kind === "long") return typeof value === "number" && Number.isSafeInteger(value);
  if (schema.kind === "int") return typeof value === "bigint" && value >= INT_MIN && value <= INT_MAX;
  return false;
}

/**
 * The branch for a value: null for null/undefined, else the first branch whose type is the value's
 * own representation (bigint -> long, number -> int/float/double, ...), else the first branch the
 * value converts to losslessly (a safe integer number -> long).
 */
function chooseBranch(schema: ResolvedUnion, value: unknown): number {
  let index = schema.branches.findIndex((branch) => matchesExactly(branch, value));
  if (index < 0) index = schema.branches.findIndex((branch) => matchesLoosely(branch, value));
  if (index < 0)
    throw new AvroValueError(`${describeValue(value)} matches no branch of union ${describeSchema(schema)}`);
  return index;
}
