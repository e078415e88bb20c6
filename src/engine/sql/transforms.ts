/**
 * Iceberg partition transforms as DuckDB SQL expressions over a column expression, exactly as
 * the spec defines them (and as core's `parseTransform(...).apply` computes them; a test holds the
 * two equal):
 * - year/month/day/hour: whole units since 1970-01-01 UTC, floored (pre-1970 values negative);
 *   timestamptz is taken from its UTC instant via epoch_us, never the session time zone. Results
 *   are INTEGERs (day gives days since epoch, the in-memory form of Iceberg's date result).
 * - truncate[W]: ints/longs/decimals round down to a multiple of W (remainder made non-negative),
 *   strings keep W code points (DuckDB's left() counts code points), binary keeps W bytes.
 * - bucket[N]: (hash & Integer.MAX_VALUE) % N with the spec's Murmur3 from the floe_hash_* UDFs.
 */
import { badInput, unsupported } from "../../core/errors.ts";
import { asDecimal, formatDecimal, parsePrimitive } from "../../spec/conversions.ts";
import { type Transform, parseTransform } from "../../spec/transforms.ts";
import { type IcebergType, isPrimitive } from "../../spec/types.ts";
import { HASH_FUNCTIONS } from "./functions.ts";
import { duckdbType } from "./types.ts";

const MICROS_PER_HOUR = "3600000000";
const MICROS_PER_DAY = "86400000000";
const NANOS_PER_MICRO = "1000";

/** Floor division of integer SQL expressions (DuckDB's `//` truncates toward zero). */
const floorDiv = (a: string, b: string): string => `((${a}) - ((((${a}) % ${b}) + ${b}) % ${b})) // ${b}`;

/** Microseconds since the epoch of a timestamp-like expression (ns values floored to µs). */
function epochMicros(kind: string, expr: string): string {
  if (kind === "timestamp_ns") return floorDiv(`epoch_ns(${expr})`, NANOS_PER_MICRO);
  return `epoch_us(${expr})`;
}

/** A TIMESTAMP (no zone) with the same wall clock as the value's UTC instant, for year()/month(). */
function utcCalendar(kind: string, expr: string): string {
  return kind === "date" ? expr : `make_timestamp(${epochMicros(kind, expr)})`;
}

function timeSql(unit: "year" | "month" | "day" | "hour", kind: string, expr: string): string {
  switch (unit) {
    case "year":
      return `CAST(year(${utcCalendar(kind, expr)}) - 1970 AS INTEGER)`;
    case "month": {
      const cal = utcCalendar(kind, expr);
      return `CAST((year(${cal}) - 1970) * 12 + month(${cal}) - 1 AS INTEGER)`;
    }
    case "day":
      if (kind === "date") return `CAST((${expr}) - DATE '1970-01-01' AS INTEGER)`;
      return `CAST(${floorDiv(epochMicros(kind, expr), MICROS_PER_DAY)} AS INTEGER)`;
    case "hour":
      return `CAST(${floorDiv(epochMicros(kind, expr), MICROS_PER_HOUR)} AS INTEGER)`;
  }
}

function truncateSql(width: number, type: string, kind: string, expr: string): string {
  switch (kind) {
    case "int":
      return `CAST(${floorDivRemainder(`CAST(${expr} AS BIGINT)`, String(width))} AS INTEGER)`;
    case "long":
      return `CAST(${floorDivRemainder(`CAST(${expr} AS HUGEINT)`, String(width))} AS BIGINT)`;
    case "decimal": {
      // W applies to the unscaled value: in decimal units the step is W × 10^-scale.
      const scale = asDecimal(parsePrimitive(type))?.scale ?? 0;
      const step = `CAST('${formatDecimal(BigInt(width), scale)}' AS DECIMAL(38,${scale}))`;
      return `CAST(${floorDivRemainder(`CAST(${expr} AS DECIMAL(38,${scale}))`, step)} AS ${duckdbType(type)})`;
    }
    case "string":
      return `left(${expr}, ${width})`;
    case "binary":
      return `unhex(left(hex(${expr}), ${2 * width}))`;
    default:
      throw badInput(`truncate[${width}] cannot apply to ${type}`);
  }
}

/** v - ((v % w) + w) % w: rounds down to a multiple of w for negative values too. */
const floorDivRemainder = (v: string, w: string): string => `(${v} - (((${v} % ${w}) + ${w}) % ${w}))`;

function hashSql(type: string, kind: string, expr: string): string {
  switch (kind) {
    case "int":
    case "long":
      return `${HASH_FUNCTIONS.long}(CAST(${expr} AS BIGINT))`;
    case "date":
      return `${HASH_FUNCTIONS.long}(CAST((${expr}) - DATE '1970-01-01' AS BIGINT))`;
    case "time":
      return `${HASH_FUNCTIONS.long}(epoch_us(${expr}))`;
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
      return `${HASH_FUNCTIONS.long}(${epochMicros(kind, expr)})`;
    case "string":
      return `${HASH_FUNCTIONS.string}(${expr})`;
    case "uuid":
      return `${HASH_FUNCTIONS.uuid}(${expr})`;
    case "binary":
    case "fixed":
      return `${HASH_FUNCTIONS.bytes}(${expr})`;
    case "decimal":
      return `${HASH_FUNCTIONS.decimal}(CAST(${expr} AS VARCHAR), ${asDecimal(parsePrimitive(type))?.scale ?? 0})`;
    default:
      throw badInput(`bucket cannot apply to ${type}`);
  }
}

/** The SQL expression of `transform` applied to `expr`, a column of Iceberg type `sourceType`. */
export function transformSql(transform: Transform | string, sourceType: IcebergType, expr: string): string {
  const t = typeof transform === "string" ? parseTransform(transform) : transform;
  if (t.name === "unknown") throw unsupported(`unknown transform ${t} cannot be evaluated`);
  if (t.name === "void") return `CAST(NULL AS ${duckdbType(t.resultType(sourceType))})`;
  if (t.name === "identity") return expr;
  if (!isPrimitive(sourceType) || !t.canTransform(sourceType))
    throw badInput(`transform ${t} cannot apply to type ${JSON.stringify(sourceType)}`);
  const kind = parsePrimitive(sourceType).kind;
  switch (t.name) {
    case "year":
    case "month":
    case "day":
    case "hour":
      return timeSql(t.name, kind, expr);
    case "truncate":
      return truncateSql(t.param ?? 1, sourceType, kind, expr);
    case "bucket":
      return `((${hashSql(sourceType, kind, expr)} & 2147483647) % ${t.param})`;
  }
}
