/**
 * The 32-bit hash of a single value that bucket[N] partitions on (spec Appendix B). Integers of
 * every width hash as 8-byte little-endian longs so that promoting int → long or date →
 * timestamp-days keeps bucket values; nanosecond timestamps hash as microseconds for the same reason.
 */
import { badInput } from "../../core/errors.ts";
import { minimalTwosComplement, parsePrimitive, uuidToBytes } from "../conversions.ts";
import { murmur3x86_32 } from "../murmur3.ts";
import type { PrimitiveType, Value } from "../types.ts";

// Reused scratch space: bucketing runs once per row, and murmur3 does not keep its input.
const longBuffer = new ArrayBuffer(8);
const longView = new DataView(longBuffer);
const longBytes = new Uint8Array(longBuffer);
const utf8 = new TextEncoder();

/** Murmur3 of a long's 8 little-endian bytes (the spec's hashLong). */
export function hashLong(value: bigint): number {
  longView.setBigInt64(0, BigInt.asIntN(64, value), true);
  return murmur3x86_32(longBytes);
}

/** Murmur3 of raw bytes (the spec's hashBytes). */
export const hashBytes = (bytes: Uint8Array): number => murmur3x86_32(bytes);

/** Java's doubleToLongBits with NaN canonicalized and -0 folded into 0, as Appendix B note 5 asks. */
function canonicalDoubleBits(value: number): bigint {
  if (Number.isNaN(value)) return 0x7ff8000000000000n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value === 0 ? 0 : value);
  return view.getBigInt64(0);
}

/** Floor division of nanoseconds to microseconds. */
export const nanosToMicros = (nanos: bigint): bigint => (nanos >= 0n ? nanos / 1000n : -((-nanos + 999n) / 1000n));

function wrong(type: PrimitiveType, value: Value): never {
  throw badInput(`cannot hash ${String(value)} as ${type}`);
}

/**
 * The spec's 32-bit hash of a non-null value of `type`, signed. Also covers boolean, float and
 * double from the spec's "not currently valid for bucketing" table.
 */
export function hashValue(type: PrimitiveType, value: Value): number {
  switch (parsePrimitive(type).kind) {
    case "int":
    case "date":
      if (typeof value !== "number" || !Number.isInteger(value)) wrong(type, value);
      return hashLong(BigInt(value));
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
      if (typeof value !== "bigint") wrong(type, value);
      return hashLong(value);
    case "timestamp_ns":
    case "timestamptz_ns":
      if (typeof value !== "bigint") wrong(type, value);
      return hashLong(nanosToMicros(value));
    case "decimal":
      if (typeof value !== "bigint") wrong(type, value);
      return hashBytes(minimalTwosComplement(value));
    case "string":
      if (typeof value !== "string") wrong(type, value);
      return hashBytes(utf8.encode(value));
    case "uuid":
      if (typeof value !== "string") wrong(type, value);
      return hashBytes(uuidToBytes(value));
    case "fixed":
    case "binary":
      if (!(value instanceof Uint8Array)) wrong(type, value);
      return hashBytes(value);
    case "boolean":
      if (typeof value !== "boolean") wrong(type, value);
      return hashLong(value ? 1n : 0n);
    case "float":
    case "double":
      if (typeof value !== "number") wrong(type, value);
      return hashLong(canonicalDoubleBits(value));
    default:
      throw badInput(`values of type ${type} cannot be hashed`);
  }
}
