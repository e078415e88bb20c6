/**
 * SQL that turns one input value into a column value of the table's type, or NULL when it cannot.
 * A value that is present in the input but converts to NULL is a type error; the ingest reasons
 * are built from that (see record-checks.ts). All conversions are DuckDB expressions, so records
 * are checked in bulk, never in a JavaScript loop.
 *
 * Accepted input per Iceberg type (the documented contract of ingest):
 * - boolean: JSON true/false; in text (CSV) "true"/"false" in any case.
 * - int/long: integral JSON numbers or integer strings ("42" — JSON producers often quote int64);
 *   1.5 or 1e3 are rejected rather than rounded, out-of-range values rejected.
 * - float/double/decimal: JSON numbers or numeric strings ("NaN", "Infinity" for floats); decimals
 *   with more fractional digits than the scale are rounded (DuckDB's cast).
 * - string: JSON strings only (a number for a string column is a type error).
 * - date/time/uuid: ISO-8601 / canonical strings ("infinity" dates and timestamps are rejected).
 * - timestamp/timestamptz/timestamp_ns: ISO-8601 strings with or without a zone; a value with an
 *   offset or zone name is converted to UTC (for zone-less `timestamp` too, stored as the UTC wall
 *   clock); a zone-less value for timestamptz is taken as UTC. Integers are epoch milliseconds.
 * - binary/fixed[L]: base64 strings (fixed: exactly L bytes).
 * - struct/list/map: JSON objects/arrays cast by DuckDB; mismatched nested values become NULL
 *   (nested fields are not checked one by one).
 */
import { duckdbType } from "../engine/sql/types.ts";
import { quoteString } from "../engine/sql/quoting.ts";
import { fixedLength, parsePrimitive } from "../spec/conversions.ts";
import { type IcebergType, isPrimitive } from "../spec/types.ts";

const INTEGER_TEXT = "'[+-]?[0-9]+'";

/** The name of an Iceberg type as reasons show it ("long", "decimal(10,2)", "struct"). */
export const typeLabel = (type: IcebergType): string => (isPrimitive(type) ? type : type.type);

function timestampFromText(text: string, trim: boolean): string {
  const trimmed = trim ? `trim(${text})` : text;
  return `CASE WHEN regexp_full_match(${trimmed}, ${INTEGER_TEXT}) THEN TRY(epoch_ms(TRY_CAST(${trimmed} AS BIGINT)))
    ELSE COALESCE(TRY_CAST(TRY_CAST(${trimmed} AS TIMESTAMP_NS) AS TIMESTAMP), TRY_CAST(TRY_CAST(${trimmed} AS TIMESTAMPTZ) AS TIMESTAMP)) END`;
}

/**
 * NULL for DuckDB's infinite dates and timestamps ("infinity", "-infinity" parse as such): no
 * Iceberg value holds them. nullif evaluates `expression` once.
 */
const finite = (expression: string, sqlType: string): string =>
  `nullif(nullif(${expression}, CAST('infinity' AS ${sqlType})), CAST('-infinity' AS ${sqlType}))`;

/**
 * Converts a VARCHAR expression (a CSV field, a JSON value's text, a Parquet string column) to
 * `type`; NULL when the text is not a valid value of the type. The session time zone is UTC
 * (the engine sets it), which the timestamp casts rely on.
 *
 * `trim: false` leaves out the trim() of surrounding spaces (which costs about 0.3 s of CPU per
 * million values): only for callers that have ruled out such spaces or make a NULL result mean
 * "ask the trimming conversion" (ndjson-fast-read.ts).
 */
export function convertText(type: IcebergType, text: string, options: { trim?: boolean } = {}): string {
  const sqlType = duckdbType(type);
  if (!isPrimitive(type)) return `CASE WHEN json_valid(${text}) THEN TRY_CAST(CAST(${text} AS JSON) AS ${sqlType}) END`;
  const p = parsePrimitive(type);
  const trim = options.trim ?? true;
  const trimmed = trim ? `trim(${text})` : text;
  switch (p.kind) {
    case "boolean":
      return `CASE lower(${trimmed}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END`;
    case "int":
    case "long":
      return `CASE WHEN regexp_full_match(${trimmed}, ${INTEGER_TEXT}) THEN TRY_CAST(${trimmed} AS ${sqlType}) END`;
    case "float":
    case "double":
    case "decimal":
    case "time":
    case "uuid":
      return `TRY_CAST(${trimmed} AS ${sqlType})`;
    case "date":
      return finite(`TRY_CAST(${trimmed} AS ${sqlType})`, sqlType);
    case "string":
      return text;
    case "timestamp":
      return finite(timestampFromText(text, trim), sqlType);
    case "timestamptz":
      return finite(`CAST(${timestampFromText(text, trim)} AS TIMESTAMPTZ)`, sqlType);
    case "timestamp_ns":
      return finite(
        `CASE WHEN regexp_full_match(${trimmed}, ${INTEGER_TEXT}) THEN TRY(make_timestamp_ns(TRY_CAST(${trimmed} AS BIGINT) * 1000000))
        ELSE COALESCE(TRY_CAST(${trimmed} AS TIMESTAMP_NS), TRY_CAST(TRY_CAST(${trimmed} AS TIMESTAMPTZ) AS TIMESTAMP_NS)) END`,
        sqlType,
      );
    case "binary":
      return `TRY(from_base64(${trimmed}))`;
    case "fixed": {
      const bytes = `TRY(from_base64(${trimmed}))`;
      return `CASE WHEN octet_length(${bytes}) = ${fixedLength(p)} THEN ${bytes} END`;
    }
    default:
      return `TRY_CAST(${trimmed} AS ${sqlType})`;
  }
}

/** The json_type() results a JSON value of each kind of column may have. */
function acceptedJsonTypes(type: IcebergType): string[] {
  if (!isPrimitive(type)) return type.type === "list" ? ["ARRAY"] : ["OBJECT"];
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "boolean":
      return ["BOOLEAN"];
    case "int":
    case "long":
      return ["BIGINT", "UBIGINT", "VARCHAR"];
    case "float":
    case "double":
    case "decimal":
      return ["BIGINT", "UBIGINT", "DOUBLE", "VARCHAR"];
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
      return ["BIGINT", "UBIGINT", "VARCHAR"];
    default:
      return ["VARCHAR"];
  }
}

/** Converts a JSON expression (one field of a parsed record; SQL NULL when absent or null) to `type`. */
export function convertJson(type: IcebergType, json: string): string {
  const accepted = acceptedJsonTypes(type).map(quoteString).join(", ");
  const converted = isPrimitive(type)
    ? convertText(type, `(${json} ->> '$')`)
    : `TRY_CAST(${json} AS ${duckdbType(type)})`;
  return `CASE WHEN json_type(${json}) IN (${accepted}) THEN ${converted} END`;
}

const INTEGER_KINDS = new Set(["int", "long"]);

/**
 * Converts a typed column (a Parquet column of DuckDB type `sourceType`) to `type`: strings go
 * through convertText, other types through TRY_CAST, except that a fractional number for an
 * integer column is rejected instead of rounded.
 */
export function convertTyped(type: IcebergType, column: string, sourceType: string): string {
  if (sourceType === "VARCHAR") return convertText(type, column);
  const cast = `TRY_CAST(${column} AS ${duckdbType(type)})`;
  if (isPrimitive(type) && INTEGER_KINDS.has(parsePrimitive(type).kind) && /^(FLOAT|DOUBLE|DECIMAL)/.test(sourceType))
    return `CASE WHEN ${column} = trunc(${column}) THEN ${cast} END`;
  return cast;
}
