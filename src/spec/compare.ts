/**
 * Ordering of single values as the spec defines it, used for bounds, pruning and sorting.
 * Strings order by UTF-8 bytes (= code points), binary and UUIDs by unsigned bytes, and floats
 * by Java's total order: -NaN < -Infinity < … < -0 < 0 < … < Infinity < NaN.
 *
 * UUIDs compare as unsigned big-endian bytes (RFC 4122/9562, Parquet's order, and the
 * reference implementation's order since it stopped using java.util.UUID's signed compare).
 */
import { badInput } from "../core/errors.ts";
import { parsePrimitive } from "./conversions.ts";
import type { PrimitiveType, Value } from "./types.ts";

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Unsigned lexicographic comparison of byte arrays (a shorter prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return sign(a.length - b.length);
}

/**
 * Maps a UTF-16 code unit so that plain code-unit order becomes code-point order: surrogates
 * (which encode code points above U+FFFF) must sort after U+E000..U+FFFF.
 */
const codePointRank = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

/** Compares strings by code point, which equals comparing their UTF-8 bytes unsigned. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) < codePointRank(y) ? -1 : 1;
  }
  return sign(a.length - b.length);
}

const floatBits = new DataView(new ArrayBuffer(8));

/** Whether the sign bit of a number is set (distinguishes -0 and negative NaN payloads). */
function signBit(value: number): boolean {
  floatBits.setFloat64(0, value);
  return (floatBits.getUint8(0) & 0x80) !== 0;
}

/** Java's total order on doubles, extended so that a negative NaN sorts first as the spec asks. */
export function compareFloats(a: number, b: number): number {
  const rank = (v: number): number => (Number.isNaN(v) ? (signBit(v) ? -2 : 2) : 0);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== 0 || rb !== 0) return sign(ra - rb);
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === 0 && b === 0) return sign(Number(signBit(b)) - Number(signBit(a)));
  return 0;
}

function wrongValues(type: PrimitiveType, a: Value, b: Value): never {
  throw badInput(`cannot compare ${String(a)} and ${String(b)} as ${type}`);
}

/** Compares two non-null values of a primitive type in the spec's order; negative, zero or positive. */
export function compareValues(type: PrimitiveType, a: Value, b: Value): number {
  switch (parsePrimitive(type).kind) {
    case "boolean":
      if (typeof a !== "boolean" || typeof b !== "boolean") wrongValues(type, a, b);
      return Number(a) - Number(b);
    case "int":
    case "date":
      if (typeof a !== "number" || typeof b !== "number") wrongValues(type, a, b);
      return sign(a - b);
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
    case "timestamptz_ns":
    case "decimal":
      if (typeof a !== "bigint" || typeof b !== "bigint") wrongValues(type, a, b);
      return a < b ? -1 : a > b ? 1 : 0;
    case "float":
    case "double":
      if (typeof a !== "number" || typeof b !== "number") wrongValues(type, a, b);
      return compareFloats(a, b);
    case "string":
      if (typeof a !== "string" || typeof b !== "string") wrongValues(type, a, b);
      return compareStrings(a, b);
    case "uuid":
      // Canonical UUID text is fixed-width hex, so lowercase text order is unsigned byte order.
      if (typeof a !== "string" || typeof b !== "string") wrongValues(type, a, b);
      return compareStrings(a.toLowerCase(), b.toLowerCase());
    case "fixed":
    case "binary":
      if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) wrongValues(type, a, b);
      return compareBytes(a, b);
    default:
      throw badInput(`values of type ${type} have no defined order`);
  }
}
