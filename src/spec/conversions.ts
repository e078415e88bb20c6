/**
 * Single values of Iceberg types in and out of their serialized forms (spec Appendix D):
 * the binary form used for bounds and partition summaries, and the JSON form used for column
 * defaults and partition statistics. In memory a value follows the table in types.ts.
 *
 * Nested values (only meaningful for JSON defaults) are held as: struct → a plain object keyed
 * by field id (`{ 1: 34n, 2: "a" }`), list → an array, map → a `Map` from key to value.
 */
import { badInput, unsupported } from "../core/errors.ts";
import type { JsonValue } from "../core/json.ts";
import { type IcebergType, type PrimitiveType, type Value, isList, isMap, isStruct } from "./types.ts";

/** A primitive type taken apart: decimal and fixed carry their parameters, the rest only a name. */
export type ParsedPrimitive =
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "fixed"; length: number }
  | { kind: string };

const SIMPLE_TYPES = new Set([
  "unknown",
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "timestamp_ns",
  "timestamptz_ns",
  "string",
  "uuid",
  "binary",
  "variant",
]);
const DECIMAL = /^decimal\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/;
const FIXED = /^fixed\[\s*(\d+)\s*\]$/;
const parsedCache = new Map<string, ParsedPrimitive>();

/** Parses a primitive type string ("decimal(9, 2)", "fixed[16]", "long", ...); throws bad-input if unknown. */
export function parsePrimitive(type: PrimitiveType): ParsedPrimitive {
  const cached = parsedCache.get(type);
  if (cached) return cached;
  const text = type.trim().toLowerCase();
  let parsed: ParsedPrimitive;
  const decimal = DECIMAL.exec(text);
  const fixed = FIXED.exec(text);
  if (SIMPLE_TYPES.has(text)) parsed = { kind: text };
  else if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (precision < 1 || precision > 38) throw badInput(`type ${type}: decimal precision must be 1..38`);
    parsed = { kind: "decimal", precision, scale };
  } else if (fixed) parsed = { kind: "fixed", length: Number(fixed[1]) };
  else if (/^geometry(\(.*\))?$/.test(text)) parsed = { kind: "geometry" };
  else if (/^geography(\(.*\))?$/.test(text)) parsed = { kind: "geography" };
  else throw badInput(`unknown primitive type: ${type}`);
  parsedCache.set(type, parsed);
  return parsed;
}

/** The decimal parameters of a parsed type, or undefined. */
export const asDecimal = (p: ParsedPrimitive): { precision: number; scale: number } | undefined =>
  p.kind === "decimal" ? (p as { precision: number; scale: number }) : undefined;

/** The length of a fixed type, or undefined. */
export const fixedLength = (p: ParsedPrimitive): number | undefined =>
  p.kind === "fixed" ? (p as { length: number }).length : undefined;

/** The canonical spelling of a primitive type ("decimal(9, 2)" → "decimal(9,2)", upper → lower case). */
export function normalizePrimitive(type: PrimitiveType): PrimitiveType {
  const p = parsePrimitive(type);
  const d = asDecimal(p);
  if (d) return `decimal(${d.precision},${d.scale})`;
  const len = fixedLength(p);
  if (len !== undefined) return `fixed[${len}]`;
  return p.kind === "geometry" || p.kind === "geography" ? type.trim() : p.kind;
}

// ---------------------------------------------------------------------------------------------
// Value checks

const describe = (value: unknown): string =>
  value instanceof Uint8Array ? `bytes(${value.length})` : `${typeof value} ${String(value)}`;

function mismatch(type: PrimitiveType, value: unknown): never {
  throw badInput(`value ${describe(value)} is not a valid ${type} value`);
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function expectInt(type: PrimitiveType, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < INT_MIN || value > INT_MAX)
    mismatch(type, value);
  return value;
}

function expectLong(type: PrimitiveType, value: unknown): bigint {
  if (typeof value !== "bigint" || value < LONG_MIN || value > LONG_MAX) mismatch(type, value);
  return value;
}

function expectBytes(type: PrimitiveType, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) mismatch(type, value);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers shared with transforms

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 16 big-endian bytes of a UUID in canonical 8-4-4-4-12 form. */
export function uuidToBytes(uuid: string): Uint8Array {
  if (!UUID_TEXT.test(uuid)) throw badInput(`not a UUID: ${uuid}`);
  return hexToBytes(uuid.replaceAll("-", ""));
}

/** The canonical lowercase UUID string of 16 big-endian bytes. */
export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw badInput(`a UUID needs 16 bytes, got ${bytes.length}`);
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Lowercase hexadecimal of bytes. */
export const bytesToHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Bytes of a hexadecimal string (either case); throws bad-input on odd length or non-hex characters. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw badInput(`not a hexadecimal string: ${hex}`);
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/** The shortest two's-complement big-endian bytes holding `value` (Java's BigInteger.toByteArray). */
export function minimalTwosComplement(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  // Emit low bytes until the rest is pure sign extension of the last byte's top bit.
  for (;;) {
    const byte = Number(v & 0xffn);
    out.push(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out.reverse());
}

/** Reads a two's-complement big-endian integer of any length. */
export function readTwosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return bytes[0] & 0x80 ? v - (1n << BigInt(bytes.length * 8)) : v;
}

// ---------------------------------------------------------------------------------------------
// Binary single-value serialization

const MICROS_PER_DAY = 86_400_000_000n;

/** Serializes a value in the spec's binary single-value form (Appendix D). Null has no binary form. */
export function toBytes(type: PrimitiveType, value: Value): Uint8Array {
  if (value === null) throw badInput(`null has no binary single-value form (type ${type})`);
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "boolean":
      if (typeof value !== "boolean") mismatch(type, value);
      return Uint8Array.of(value ? 1 : 0);
    case "int":
    case "date": {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setInt32(0, expectInt(type, value), true);
      return out;
    }
    case "long":
    case "time":
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
    case "timestamptz_ns": {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigInt64(0, expectLong(type, value), true);
      return out;
    }
    case "float": {
      if (typeof value !== "number") mismatch(type, value);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setFloat32(0, value, true);
      return out;
    }
    case "double": {
      if (typeof value !== "number") mismatch(type, value);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setFloat64(0, value, true);
      return out;
    }
    case "string":
      if (typeof value !== "string") mismatch(type, value);
      return new TextEncoder().encode(value);
    case "uuid":
      if (typeof value !== "string") mismatch(type, value);
      return uuidToBytes(value);
    case "binary":
      return expectBytes(type, value).slice();
    case "fixed": {
      const bytes = expectBytes(type, value);
      if (bytes.length !== fixedLength(p)) mismatch(type, value);
      return bytes.slice();
    }
    case "decimal":
      if (typeof value !== "bigint") mismatch(type, value);
      return minimalTwosComplement(value);
    default:
      throw unsupported(`type ${type} has no binary single-value serialization`);
  }
}

/**
 * Reads a value from its binary single-value form. Bounds written before a type promotion are
 * accepted as the spec's inference table says: 4 bytes for long (int), double (float) and
 * timestamp/timestamp_ns (date).
 */
export function fromBytes(type: PrimitiveType, bytes: Uint8Array): Value {
  const p = parsePrimitive(type);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wrongLength = (expected: string): never => {
    throw badInput(`${type} value needs ${expected} bytes, got ${bytes.length}`);
  };
  switch (p.kind) {
    case "boolean":
      if (bytes.length !== 1) wrongLength("1");
      return bytes[0] !== 0;
    case "int":
    case "date":
      if (bytes.length !== 4) wrongLength("4");
      return view.getInt32(0, true);
    case "long":
    case "time":
    case "timestamptz":
    case "timestamp":
    case "timestamp_ns":
    case "timestamptz_ns":
      if (bytes.length === 8) return view.getBigInt64(0, true);
      if (bytes.length === 4 && p.kind === "long") return BigInt(view.getInt32(0, true));
      if (bytes.length === 4 && p.kind.startsWith("timestamp")) {
        const days = BigInt(view.getInt32(0, true));
        return p.kind.endsWith("_ns") ? days * MICROS_PER_DAY * 1000n : days * MICROS_PER_DAY;
      }
      return wrongLength("8");
    case "float":
      if (bytes.length !== 4) wrongLength("4");
      return view.getFloat32(0, true);
    case "double":
      if (bytes.length === 8) return view.getFloat64(0, true);
      if (bytes.length === 4) return view.getFloat32(0, true);
      return wrongLength("8");
    case "string":
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    case "uuid":
      return uuidFromBytes(bytes);
    case "binary":
      return bytes.slice();
    case "fixed":
      if (bytes.length !== fixedLength(p)) wrongLength(String(fixedLength(p)));
      return bytes.slice();
    case "decimal":
      return readTwosComplement(bytes);
    default:
      throw unsupported(`type ${type} has no binary single-value serialization`);
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, any year) shared with the date/time transforms

/** Year, month (1-12) and day of a count of days since 1970-01-01 (negative before). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  // Howard Hinnant's civil_from_days: eras of 400 years, counted from 0000-03-01.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days since 1970-01-01 of a calendar date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, "0");

/** A year as ISO-8601 writes it: four digits, a sign beyond 0..9999 (as Java's LocalDate). */
export const formatYear = (year: number): string =>
  year < 0 ? `-${pad(-year, 4)}` : year > 9999 ? `+${year}` : pad(year, 4);

/** ISO date ("2017-11-16") of days since the epoch. */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const DATE_TEXT = /^([+-]?\d{4,})-(\d{2})-(\d{2})$/;

/** Days since the epoch of an ISO date ("2017-11-16"); throws bad-input on anything else. */
export function parseDate(text: string): number {
  const m = DATE_TEXT.exec(text);
  if (!m) throw badInput(`not an ISO date: ${text}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = daysFromCivil(year, month, day);
  const check = civilFromDays(days);
  if (month < 1 || month > 12 || check.month !== month || check.day !== day)
    throw badInput(`not a valid date: ${text}`);
  return days;
}

const NANOS_PER_DAY = 86_400_000_000_000n;

/** Splits a nanosecond count into whole days (floored) and nanoseconds within the day. */
function splitDay(nanos: bigint): { days: number; nanosOfDay: bigint } {
  let days = nanos / NANOS_PER_DAY;
  let rest = nanos % NANOS_PER_DAY;
  if (rest < 0n) {
    days -= 1n;
    rest += NANOS_PER_DAY;
  }
  return { days: Number(days), nanosOfDay: rest };
}

/** "HH:MM:SS" plus a fraction of exactly `digits` digits (0 for none). */
function formatTimeFixed(nanosOfDay: bigint, digits: number): string {
  const seconds = nanosOfDay / 1_000_000_000n;
  const fraction = nanosOfDay % 1_000_000_000n;
  const hms = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`;
  return digits === 0 ? hms : `${hms}.${pad(fraction, 9).slice(0, digits)}`;
}

/**
 * Time of day as Java's LocalTime.toString writes it: "HH:mm", seconds only when not zero, and a
 * fraction of 3, 6 or 9 digits only when needed. Partition paths use this form, as Java does.
 */
export function formatTimeJava(nanosOfDay: bigint): string {
  const seconds = nanosOfDay / 1_000_000_000n;
  const fraction = nanosOfDay % 1_000_000_000n;
  let text = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}`;
  if (seconds % 60n === 0n && fraction === 0n) return text;
  text += `:${pad(seconds % 60n, 2)}`;
  if (fraction === 0n) return text;
  const digits = fraction % 1_000_000n === 0n ? 3 : fraction % 1000n === 0n ? 6 : 9;
  return `${text}.${pad(fraction, 9).slice(0, digits)}`;
}

/** Timestamp (µs or ns since the epoch) in Java's LocalDateTime/OffsetDateTime toString form. */
export function formatTimestampJava(value: bigint, nanos: boolean, withZone: boolean): string {
  const { days, nanosOfDay } = splitDay(nanos ? value : value * 1000n);
  return `${formatDate(days)}T${formatTimeJava(nanosOfDay)}${withZone ? "Z" : ""}`;
}

const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** Nanoseconds of day of an ISO time ("22:31:08.123456"). */
function parseTimeNanos(text: string, what: string): bigint {
  const m = TIME_TEXT.exec(text);
  if (!m) throw badInput(`not an ISO time in ${what}: ${text}`);
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) throw badInput(`not a valid time in ${what}: ${text}`);
  const fraction = BigInt((m[4] ?? "").padEnd(9, "0"));
  return BigInt(h * 3600 + min * 60 + s) * 1_000_000_000n + fraction;
}

const TIMESTAMP_TEXT = /^([+-]?\d{4,}-\d{2}-\d{2})T([\d:.]+?)(Z|[+-]\d{2}:\d{2})?$/;

/** Parses an ISO timestamp to nanoseconds since the epoch; the zone offset must be present iff `withZone`. */
function parseTimestampNanos(text: string, withZone: boolean): bigint {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) throw badInput(`not an ISO timestamp: ${text}`);
  if (withZone !== (m[3] !== undefined))
    throw badInput(`timestamp ${text} ${withZone ? "needs a zone offset" : "must not have a zone offset"}`);
  let nanos = BigInt(parseDate(m[1])) * NANOS_PER_DAY + parseTimeNanos(m[2], text);
  if (m[3] && m[3] !== "Z") {
    const sign = m[3][0] === "-" ? -1n : 1n;
    const minutes = BigInt(Number(m[3].slice(1, 3)) * 60 + Number(m[3].slice(4, 6)));
    nanos -= sign * minutes * 60_000_000_000n;
  }
  return nanos;
}

function nanosToMicrosExact(nanos: bigint, text: string): bigint {
  if (nanos % 1000n !== 0n) throw badInput(`${text} has more than microsecond precision`);
  return nanos / 1000n;
}

// ---------------------------------------------------------------------------------------------
// Decimals and floats as text

/**
 * Decimal text of an unscaled value: "14.20" for (1420, 2); for a negative scale the spec's
 * scientific form whose exponent is the negated scale ("2E+20" for (2, -20)).
 */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  const sign = negative ? "-" : "";
  if (scale < 0) return `${sign}${digits}E+${-scale}`;
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, "0");
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The unscaled value of decimal text at `scale`; throws bad-input if the text has more precision than the scale. */
export function parseDecimal(text: string, scale: number): bigint {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw badInput(`not a decimal: ${text}`);
  const digits = m[2] + (m[3] ?? "");
  // value = digits × 10^(exponent − fraction length); rescale to 10^-scale.
  const shift = scale + Number(m[4] ?? 0) - (m[3] ?? "").length;
  let unscaled = BigInt(digits || "0");
  if (shift >= 0) unscaled *= 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (unscaled % divisor !== 0n) throw badInput(`decimal ${text} does not fit scale ${scale}`);
    unscaled /= divisor;
  }
  return m[1] === "-" ? -unscaled : unscaled;
}

/** Number of decimal digits of an unscaled value (its precision). */
export const decimalDigits = (unscaled: bigint): number => (unscaled < 0n ? -unscaled : unscaled).toString().length;

/**
 * A float or double as Java's Float/Double.toString writes it ("1.0", "1.0E10", "NaN"), used for
 * human-readable partition values so paths match the reference implementation.
 */
export function formatFloatJava(value: number, isFloat: boolean): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  let exp = value.toExponential();
  if (isFloat) {
    // Shortest digits that read back as the same float32.
    for (let p = 1; p <= 9; p++) {
      const candidate = value.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === value) {
        exp = candidate;
        break;
      }
    }
  }
  const [mantissa, e] = exp.split("e");
  const exponent = Number(e);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const frac = digits.slice(exponent + 1) || "0";
      return `${sign}${whole}.${frac}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exponent}`;
}

// ---------------------------------------------------------------------------------------------
// JSON single-value serialization

type JsonObject = { [key: string]: JsonValue };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Map);

/** Serializes a value in the spec's JSON single-value form (Appendix D); nested values as described above. */
export function toJsonValue(type: IcebergType, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (isStruct(type)) {
    if (!isPlainObject(value) && !(value instanceof Map)) mismatch("struct", value);
    const get = (id: number): unknown =>
      value instanceof Map ? value.get(id) : (value as Record<string, unknown>)[String(id)];
    const out: JsonObject = {};
    for (const field of type.fields) {
      const v = get(field.id);
      if (v !== undefined) out[String(field.id)] = toJsonValue(field.type, v);
    }
    return out;
  }
  if (isList(type)) {
    if (!Array.isArray(value)) mismatch("list", value);
    return value.map((element) => toJsonValue(type.element, element));
  }
  if (isMap(type)) {
    if (!(value instanceof Map)) mismatch("map", value);
    const keys: JsonValue[] = [];
    const values: JsonValue[] = [];
    for (const [k, v] of value) {
      keys.push(toJsonValue(type.key, k));
      values.push(toJsonValue(type.value, v));
    }
    return { keys, values };
  }
  return primitiveToJson(type, value);
}

function primitiveToJson(type: PrimitiveType, value: unknown): JsonValue {
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "boolean":
      if (typeof value !== "boolean") mismatch(type, value);
      return value;
    case "int":
      return expectInt(type, value);
    case "long": {
      const v = expectLong(type, value);
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    }
    case "float":
    case "double":
      if (typeof value !== "number") mismatch(type, value);
      if (!Number.isFinite(value)) throw badInput(`${type} value ${value} has no JSON form`);
      return value;
    case "decimal":
      if (typeof value !== "bigint") mismatch(type, value);
      return formatDecimal(value, asDecimal(p)!.scale);
    case "date":
      return formatDate(expectInt(type, value));
    case "time":
      return formatTimeFixed(expectLong(type, value) * 1000n, 6);
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
    case "timestamptz_ns": {
      const ns = p.kind.endsWith("_ns");
      const { days, nanosOfDay } = splitDay(ns ? expectLong(type, value) : expectLong(type, value) * 1000n);
      const zone = p.kind.startsWith("timestamptz") ? "+00:00" : "";
      return `${formatDate(days)}T${formatTimeFixed(nanosOfDay, ns ? 9 : 6)}${zone}`;
    }
    case "string":
      if (typeof value !== "string") mismatch(type, value);
      return value;
    case "uuid":
      if (typeof value !== "string" || !UUID_TEXT.test(value)) mismatch(type, value);
      return value.toLowerCase();
    case "fixed":
    case "binary":
      return bytesToHex(expectBytes(type, value));
    default:
      throw unsupported(`type ${type} has no JSON single-value serialization`);
  }
}

/** Reads a value from the spec's JSON single-value form; inverse of toJsonValue. */
export function fromJsonValue(type: IcebergType, json: JsonValue): unknown {
  if (json === null) return null;
  if (isStruct(type)) {
    if (!isPlainObject(json)) mismatch("struct", json);
    const out: Record<number, unknown> = {};
    for (const field of type.fields) {
      const v = (json as JsonObject)[String(field.id)];
      if (v !== undefined) out[field.id] = fromJsonValue(field.type, v);
    }
    return out;
  }
  if (isList(type)) {
    if (!Array.isArray(json)) mismatch("list", json);
    return json.map((element) => fromJsonValue(type.element, element));
  }
  if (isMap(type)) {
    const obj = json as JsonObject;
    if (
      !isPlainObject(json) ||
      !Array.isArray(obj.keys) ||
      !Array.isArray(obj.values) ||
      obj.keys.length !== obj.values.length
    )
      mismatch("map", json);
    const keys = obj.keys as JsonValue[];
    const values = obj.values as JsonValue[];
    return new Map(keys.map((k, i) => [fromJsonValue(type.key, k), fromJsonValue(type.value, values[i])]));
  }
  return primitiveFromJson(type, json);
}

function expectString(type: PrimitiveType, json: JsonValue): string {
  if (typeof json !== "string") mismatch(type, json);
  return json;
}

function primitiveFromJson(type: PrimitiveType, json: JsonValue): Value {
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "boolean":
      if (typeof json !== "boolean") mismatch(type, json);
      return json;
    case "int":
      return expectInt(type, typeof json === "bigint" ? Number(json) : json);
    case "long":
      if (typeof json === "number" && Number.isInteger(json)) return expectLong(type, BigInt(json));
      return expectLong(type, json);
    case "float":
    case "double": {
      const n = typeof json === "bigint" ? Number(json) : json;
      if (typeof n !== "number") mismatch(type, json);
      return p.kind === "float" ? Math.fround(n) : n;
    }
    case "decimal": {
      const { precision, scale } = asDecimal(p)!;
      const unscaled = parseDecimal(expectString(type, json), scale);
      if (decimalDigits(unscaled) > precision) throw badInput(`decimal ${String(json)} exceeds precision of ${type}`);
      return unscaled;
    }
    case "date":
      return parseDate(expectString(type, json));
    case "time": {
      const text = expectString(type, json);
      return nanosToMicrosExact(parseTimeNanos(text, type), text);
    }
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
    case "timestamptz_ns": {
      const text = expectString(type, json);
      const nanos = parseTimestampNanos(text, p.kind.startsWith("timestamptz"));
      return p.kind.endsWith("_ns") ? nanos : nanosToMicrosExact(nanos, text);
    }
    case "string":
      return expectString(type, json);
    case "uuid": {
      const text = expectString(type, json);
      if (!UUID_TEXT.test(text)) mismatch(type, json);
      return text.toLowerCase();
    }
    case "fixed": {
      const bytes = hexToBytes(expectString(type, json));
      if (bytes.length !== fixedLength(p)) mismatch(type, json);
      return bytes;
    }
    case "binary":
      return hexToBytes(expectString(type, json));
    default:
      throw unsupported(`type ${type} has no JSON single-value serialization`);
  }
}
