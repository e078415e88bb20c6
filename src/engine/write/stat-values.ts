/**
 * DuckDB's Parquet statistics (COPY ... RETURN_STATS min/max strings) back to Iceberg values.
 * The text forms, checked against DuckDB 1.5: integers and floats in decimal ("-1e+300", "inf"),
 * booleans "1"/"0", decimals with their full scale ("-5.5000000000"), dates "2025-01-01",
 * times "12:34:56.789", timestamps "2025-01-01 08:00:00.5" (timestamptz with "+00", the session
 * being UTC), years before 1 with a " (BC)" suffix, UUIDs canonical, BLOBs as uppercase hex.
 */
import { badInput } from "../../core/errors.ts";
import { asDecimal, daysFromCivil, hexToBytes, parseDecimal, parsePrimitive } from "../../spec/conversions.ts";
import type { PrimitiveType, Value } from "../../spec/types.ts";

const DATE = /^(\d{4,})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const TIMESTAMP =
  /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;
const BC = " (BC)";

function fail(type: PrimitiveType, text: string): never {
  throw badInput(`cannot read DuckDB statistic "${text}" as ${type}`);
}

function parseDays(text: string, bc: boolean, type: PrimitiveType): number {
  const m = DATE.exec(text);
  if (!m) fail(type, text);
  const year = Number(m[1]);
  // Proleptic Gregorian with year 0 = 1 BC, as DuckDB and Java's LocalDate count.
  return daysFromCivil(bc ? 1 - year : year, Number(m[2]), Number(m[3]));
}

function parseTimeNanos(text: string, type: PrimitiveType): bigint {
  const m = TIME.exec(text);
  if (!m) fail(type, text);
  const fraction = (m[4] ?? "").padEnd(9, "0");
  return (BigInt(m[1]) * 3600n + BigInt(m[2]) * 60n + BigInt(m[3])) * 1_000_000_000n + BigInt(fraction);
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

function parseTimestampNanos(raw: string, type: PrimitiveType): bigint {
  const bc = raw.endsWith(BC);
  const text = bc ? raw.slice(0, -BC.length) : raw;
  const m = TIMESTAMP.exec(text);
  if (!m) fail(type, raw);
  let nanos = BigInt(parseDays(m[1], bc, type)) * 86_400_000_000_000n + parseTimeNanos(m[2], type);
  if (m[3]) {
    const offsetSeconds = BigInt(Number(m[4]) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0));
    nanos -= (m[3] === "-" ? -1n : 1n) * offsetSeconds * 1_000_000_000n;
  }
  return nanos;
}

function parseFloating(text: string, type: PrimitiveType): number {
  const lower = text.trim().toLowerCase();
  if (lower === "inf" || lower === "infinity" || lower === "+inf") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  if (lower === "nan" || lower === "-nan") return Number.NaN;
  const value = Number(lower);
  if (Number.isNaN(value) || lower === "") fail(type, text);
  return value;
}

/** The Iceberg value of a DuckDB statistic string for a column of `type`. */
export function parseStatValue(type: PrimitiveType, text: string): Value {
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "boolean":
      if (text === "1" || text === "true") return true;
      if (text === "0" || text === "false") return false;
      return fail(type, text);
    case "int":
      if (!/^-?\d+$/.test(text)) fail(type, text);
      return Number(text);
    case "long":
      if (!/^-?\d+$/.test(text)) fail(type, text);
      return BigInt(text);
    case "float":
      return Math.fround(parseFloating(text, type));
    case "double":
      return parseFloating(text, type);
    case "decimal":
      return parseDecimal(text, asDecimal(p)?.scale ?? 0);
    case "date": {
      const bc = text.endsWith(BC);
      return parseDays(bc ? text.slice(0, -BC.length) : text, bc, type);
    }
    case "time":
      return parseTimeNanos(text, type) / 1000n;
    case "timestamp":
    case "timestamptz":
      return floorDiv(parseTimestampNanos(text, type), 1000n);
    case "timestamp_ns":
      return parseTimestampNanos(text, type);
    case "string":
      return text;
    case "uuid":
      return text.toLowerCase();
    case "binary":
    case "fixed":
      return hexToBytes(text);
    default:
      return fail(type, text);
  }
}
