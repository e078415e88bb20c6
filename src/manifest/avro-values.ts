/**
 * Partition values between floe's Value (spec/types.ts) and their Avro form in manifests
 * (Appendix A): a decimal is a fixed of minimal size holding the unscaled two's complement, a
 * uuid a 16-byte fixed, dates ints, times and timestamps longs. Reading tolerates what other
 * writers produce (decimals as bytes, uuids as strings, ints where a promoted long is expected).
 */
import { badInput } from "../core/errors.ts";
import { asDecimal, parsePrimitive, readTwosComplement, uuidFromBytes, uuidToBytes } from "../spec/conversions.ts";
import type { PrimitiveType, Value } from "../spec/types.ts";
import { decimalFixedSize } from "./iceberg-to-avro.ts";

/** The two's complement of `value`, sign-extended to exactly `size` big-endian bytes. */
function twosComplementFixed(value: bigint, size: number, what: string): Uint8Array {
  const limit = 1n << BigInt(8 * size - 1);
  if (value < -limit || value >= limit) throw badInput(`${what}: unscaled decimal ${value} does not fit ${size} bytes`);
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(8 * size, value);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A partition Value as the JS value floe's Avro writer expects for the type's Avro schema. */
export function valueToAvro(type: PrimitiveType, value: Value, what: string): unknown {
  if (value === null) return null;
  const parsed = parsePrimitive(type);
  const decimal = asDecimal(parsed);
  if (decimal) {
    if (typeof value !== "bigint") throw badInput(`${what}: decimal value must be a bigint, got ${typeof value}`);
    return twosComplementFixed(value, decimalFixedSize(decimal.precision), what);
  }
  if (parsed.kind === "uuid") {
    if (typeof value !== "string") throw badInput(`${what}: uuid value must be a string, got ${typeof value}`);
    return uuidToBytes(value);
  }
  return value;
}

const textDecoder = new TextDecoder();

/** Raw Avro value → Value, for a known Iceberg type (converting representations where writers differ). */
export function avroToValue(type: PrimitiveType, raw: unknown, what: string): Value {
  if (raw === null || raw === undefined) return null;
  const kind = parsePrimitive(type).kind;
  const fail = (): never => {
    throw badInput(`${what}: Avro value ${String(raw)} (${typeof raw}) is not a ${type}`);
  };
  switch (kind) {
    case "boolean":
      return typeof raw === "boolean" ? raw : fail();
    case "int":
    case "date":
      return typeof raw === "number" ? raw : fail();
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
    case "timestamptz_ns":
      // An int here is a value written before an int → long promotion.
      return typeof raw === "bigint" ? raw : typeof raw === "number" ? BigInt(raw) : fail();
    case "float":
    case "double":
      return typeof raw === "number" ? raw : fail();
    case "decimal":
      return raw instanceof Uint8Array ? readTwosComplement(raw) : fail();
    case "uuid":
      if (raw instanceof Uint8Array) return uuidFromBytes(raw);
      return typeof raw === "string" ? raw.toLowerCase() : fail();
    case "string":
      if (typeof raw === "string") return raw;
      return raw instanceof Uint8Array ? textDecoder.decode(raw) : fail();
    case "unknown":
      return null;
    default:
      return raw instanceof Uint8Array ? raw : fail();
  }
}

/**
 * Raw Avro value → Value when no Iceberg type is known, using the file schema's logical type:
 * decimal bytes/fixed become the unscaled bigint, uuid fixed the canonical string.
 */
export function avroToValueByLogicalType(logicalType: unknown, raw: unknown, what: string): Value {
  if (raw === null || raw === undefined) return null;
  if (logicalType === "decimal" && raw instanceof Uint8Array) return readTwosComplement(raw);
  if (logicalType === "uuid" && raw instanceof Uint8Array) return uuidFromBytes(raw);
  if (
    typeof raw === "boolean" ||
    typeof raw === "number" ||
    typeof raw === "bigint" ||
    typeof raw === "string" ||
    raw instanceof Uint8Array
  )
    return raw;
  throw badInput(`${what}: Avro value of type ${typeof raw} is not a partition value`);
}
