/**
 * Quoting for SQL text floe builds: identifiers and string literals are always quoted (column
 * names come from table schemas and may hold any character), and Iceberg values become typed
 * DuckDB literals that round-trip exactly (no float or timestamp text re-parsing ambiguity).
 */
import { badInput } from "../../core/errors.ts";
import { asDecimal, bytesToHex, formatDecimal, parsePrimitive } from "../../spec/conversions.ts";
import type { PrimitiveType, Value } from "../../spec/types.ts";
import { duckdbType } from "./types.ts";

/** A double-quoted SQL identifier ("a""b" for a"b). */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A single-quoted SQL string literal ('it''s'). */
export const quoteString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function numberText(value: number): string {
  if (Number.isNaN(value)) return "'NaN'";
  if (value === Number.POSITIVE_INFINITY) return "'Infinity'";
  if (value === Number.NEGATIVE_INFINITY) return "'-Infinity'";
  // -0 prints as "0" in JS; keep the sign so the literal is the same double.
  return Object.is(value, -0) ? "'-0.0'" : `'${String(value)}'`;
}

function wrong(type: PrimitiveType, value: Value): never {
  throw badInput(`cannot write ${String(value)} as a SQL literal of type ${type}`);
}

/** A DuckDB literal of an Iceberg value of `type`, typed as `duckdbType(type)`; null gives a typed NULL. */
export function sqlLiteral(type: PrimitiveType, value: Value): string {
  const sqlType = duckdbType(type);
  if (value === null) return `CAST(NULL AS ${sqlType})`;
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "boolean":
      if (typeof value !== "boolean") wrong(type, value);
      return value ? "TRUE" : "FALSE";
    case "int":
    case "long":
      if (typeof value !== "number" && typeof value !== "bigint") wrong(type, value);
      return `CAST(${String(value)} AS ${sqlType})`;
    case "float":
    case "double":
      if (typeof value !== "number") wrong(type, value);
      return `CAST(${numberText(value)} AS ${sqlType})`;
    case "decimal":
      if (typeof value !== "bigint") wrong(type, value);
      return `CAST('${formatDecimal(value, asDecimal(p)?.scale ?? 0)}' AS ${sqlType})`;
    case "date":
      if (typeof value !== "number") wrong(type, value);
      return `CAST(DATE '1970-01-01' + CAST(${value} AS INTEGER) AS DATE)`;
    case "time":
      if (typeof value !== "bigint") wrong(type, value);
      return `CAST(TIME '00:00:00' + to_microseconds(CAST(${value} AS BIGINT)) AS TIME)`;
    case "timestamp":
      if (typeof value !== "bigint") wrong(type, value);
      return `make_timestamp(CAST(${value} AS BIGINT))`;
    case "timestamptz":
      if (typeof value !== "bigint") wrong(type, value);
      return `CAST(to_timestamp(0) + to_microseconds(CAST(${value} AS BIGINT)) AS TIMESTAMPTZ)`;
    case "timestamp_ns":
      if (typeof value !== "bigint") wrong(type, value);
      return `make_timestamp_ns(CAST(${value} AS BIGINT))`;
    case "string":
      if (typeof value !== "string") wrong(type, value);
      return `CAST(${quoteString(value)} AS VARCHAR)`;
    case "uuid":
      if (typeof value !== "string") wrong(type, value);
      return `CAST(${quoteString(value)} AS UUID)`;
    case "binary":
    case "fixed":
      if (!(value instanceof Uint8Array)) wrong(type, value);
      return `unhex('${bytesToHex(value)}')`;
    default:
      throw badInput(`type ${type} has no SQL literal form`);
  }
}
