/**
 * The fast NDJSON reader: DuckDB's read_json parses a file in parallel into one column per schema
 * field, and SQL applies to each value the very conversion the exact checker applies
 * (field-conversion.ts), to the very same text. A record it *certifies* therefore gets exactly the
 * values the exact checker would give it, and the exact checker would accept it; every other record
 * is left to the exact checker (ndjson-chunk.ts), which gives its values or its reason.
 *
 * Why the values are the same. The exact checker takes field x of a line as a JSON value j
 * (from_json with JSON-typed fields), accepts it only when json_type(j) is one of the kinds the
 * column type allows, and converts `j ->> '$'` with convertText. Here each field is read either
 *
 * - as JSON (`raw`, the same serialization as j: both are DuckDB's JSON writer over the same parsed
 *   value), and converted with the exact checker's own convertJson(type, raw): identical by
 *   construction. Used for boolean, float, decimal, date, time, uuid, binary, fixed and nested
 *   types.
 * - as VARCHAR (`v`), which is cheaper: read_json gives a JSON string's content decoded (the same
 *   text as `->> '$'`), and for other kinds their JSON text, which equals `->> '$'` for integers,
 *   true/false, objects and arrays, and for non-integral numbers is another shortest round-trip
 *   form of the same double ("1e-05" for "0.00001"). The reader hides the kind, so a column type
 *   whose conversion could succeed on a text of a kind the exact checker rejects also gets a
 *   `suspect` test, true for every text such a kind can produce; suspect values are not certified:
 *   - string (only JSON strings allowed): suspect when the text could be a number (matches the
 *     JSON number grammar), true/false, or an object/array text (starts with "{" or "[").
 *   - int, long: no test needed. Numbers, strings allowed; the other kinds' texts (fractions and
 *     exponents, integers beyond 64 bits, true/false, objects, arrays) never convert.
 *   - double: no test needed. Numbers and strings allowed (a number's two texts round-trip to the
 *     same double); true/false, objects and arrays never convert. (float is read as JSON: two
 *     texts of one double could round differently to a float.)
 *   - timestamp, timestamptz, timestamp_ns (integers and strings allowed): suspect when the text is
 *     a fraction or exponent number, true/false, or an object/array text.
 *   The conversions leave out the exact checker's trim() where that cannot change a value that
 *   converts (see `untrimmed`).
 * A field that is absent or JSON null is missing in both readers. Keys match case-sensitively in
 * both, unknown keys are ignored by both. Where the readers could still differ, read_json fails
 * rather than guessing (duplicate keys, malformed JSON, several values on one line, lone
 * surrogates), and the caller then falls back (ndjson-chunk.ts). test/ingest compares the two
 * readers on files holding every kind of value and mistake.
 *
 * Lines replaced by placeholders in a sanitized copy (ndjson-sanitize.ts) carry the key
 * __floe_skip and are never certified (sanitizing also replaces input lines holding such keys).
 */
import { quoteIdentifier, quoteString } from "../engine/sql/quoting.ts";
import { parsePrimitive } from "../spec/conversions.ts";
import { type IcebergType, type Schema, isPrimitive } from "../spec/types.ts";
import { convertJson, convertText } from "./field-conversion.ts";

/** Placeholder key: the size of the line it replaces (0 for a blank line). */
export const SKIP = "__floe_skip";
/** Placeholder key: the text of the line it replaces. */
export const SKIP_TEXT = "__floe_text";

/** read_json's bound on a record, as large as the exact checker's bound on a line. */
const MAX_OBJECT_BYTES = 64 * 1024 * 1024;

interface FastField {
  readType: "VARCHAR" | "JSON";
  /** SQL: the converted value of the field read as `raw`, NULL when it does not convert. */
  value: (raw: string) => string;
  /** Whether `value` can be NULL for a present raw value (strings cannot). */
  mayFail: boolean;
  /** SQL boolean over `raw` (never NULL when raw is not): true when the value cannot be certified. */
  suspect?: (raw: string) => string;
}

/**
 * Every VARCHAR form of a JSON number matches: DuckDB writes integers as digits, other numbers in
 * shortest round-trip form ("1e+16", "-1e-05", "2.5") and keeps numbers beyond double range as
 * written ("1e400", never "inf"). Leading zeros are allowed: a superset only makes the test stricter.
 */
const NUMBER = `'-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?'`;

/**
 * SQL boolean: the text (never NULL) could be the VARCHAR form of a non-string JSON value: a number
 * (`number`: which numbers), true/false, an object or an array. Only texts sorting before ":" can
 * start with a digit or sign: the regular expression runs on those alone. (Written without
 * ascii() and IN lists, which cost about 1.5 s per million records here: DuckDB turns IN lists
 * into joins.)
 */
const notAStringWhen = (number: (v: string) => string) => (v: string) =>
  `CASE WHEN ${v} < ':' THEN ${number(v)}
    ELSE ${v} = 'true' OR ${v} = 'false' OR starts_with(${v}, '{') OR starts_with(${v}, '[') END`;

/** Any number. */
const notAString = notAStringWhen((v) => `regexp_full_match(${v}, ${NUMBER})`);

/** Numbers with a fraction or exponent (integers are timestamps in epoch milliseconds). */
const notAnIntegerOrString = notAStringWhen(
  (v) => `(contains(${v}, '.') OR contains(${v}, 'e') OR contains(${v}, 'E')) AND regexp_full_match(${v}, ${NUMBER})`,
);

/**
 * The exact conversion without its trim() of surrounding spaces, which costs about 0.3 s of CPU
 * per million values. Same value whenever it converts: an integer text (long, int, epoch
 * milliseconds) matches only without spaces; a number or date-time cast reads the same value with
 * or without surrounding spaces, and a text of digits, signed or spaced, never casts to a
 * date-time. When it does not convert, the record is not certified and the exact, trimming
 * conversion decides.
 */
const untrimmed = (type: IcebergType) => (v: string) => convertText(type, v, { trim: false });

function fastField(type: IcebergType): FastField {
  const exactJson: FastField = { readType: "JSON", value: (raw) => convertJson(type, raw), mayFail: true };
  if (!isPrimitive(type)) return exactJson;
  switch (parsePrimitive(type).kind) {
    case "string":
      return { readType: "VARCHAR", value: (v) => v, mayFail: false, suspect: notAString };
    case "int":
    case "long":
    case "double":
      return { readType: "VARCHAR", value: untrimmed(type), mayFail: true };
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
      return { readType: "VARCHAR", value: untrimmed(type), mayFail: true, suspect: notAnIntegerOrString };
    default:
      return exactJson;
  }
}

/**
 * Whether the fast reader can read records of `schema`: its columns must not use the "__floe_"
 * prefix (the placeholder keys) and must differ in more than case (DuckDB's column names do not).
 */
export function fastReadApplies(schema: Schema): boolean {
  const lower = schema.fields.map((field) => field.name.toLowerCase());
  return new Set(lower).size === lower.length && !lower.some((name) => name.startsWith("__floe_"));
}

/**
 * The read_json call with each schema field read as its FastField's type, plus the placeholder keys
 * for a sanitized copy (in other input they are unknown keys, ignored like any other).
 */
function readJson(file: string, schema: Schema, placeholders: boolean): string {
  const columns = schema.fields.map((field) => `${quoteString(field.name)}: '${fastField(field.type).readType}'`);
  if (placeholders) columns.push(`${quoteString(SKIP)}: 'BIGINT'`, `${quoteString(SKIP_TEXT)}: 'VARCHAR'`);
  return `read_json(${quoteString(file)}, format = 'newline_delimited', records = true, ignore_errors = false,
    maximum_object_size = ${MAX_OBJECT_BYTES}, columns = {${columns.join(", ")}})`;
}

const raw = (index: number) => `__floe_raw_${index}`;

/**
 * The checks of a record in two parts. `rawOk` needs only what read_json returned: no placeholder
 * key, required fields present, no suspect text; it may be pushed down to the read (short-circuit
 * evaluation in a filter). `convertedOk` needs the converted values: present values converted.
 */
function checks(schema: Schema, rawColumn: (index: number) => string, placeholders: boolean) {
  const fields = schema.fields.map((field) => ({ field, fast: fastField(field.type) }));
  const rawOk = placeholders ? [`${SKIP} IS NULL`] : ["TRUE"];
  const convertedOk: string[] = [];
  fields.forEach(({ field, fast }, i) => {
    const column = rawColumn(i);
    if (field.required) rawOk.push(`${column} IS NOT NULL`);
    if (fast.suspect) rawOk.push(`(${column} IS NULL OR NOT ${fast.suspect(column)})`);
    if (fast.mayFail) convertedOk.push(`(${raw(i)} IS NULL OR ${quoteIdentifier(field.name)} IS NOT NULL)`);
  });
  const converted = fields.map(
    ({ field, fast }, i) =>
      `${quoteIdentifier(field.name)} AS ${raw(i)}, ${fast.value(quoteIdentifier(field.name))} AS ${quoteIdentifier(field.name)}`,
  );
  return {
    rawOk: rawOk.join(" AND "),
    convertedOk: convertedOk.join(" AND ") || "TRUE",
    converted: converted.join(", "),
  };
}

/**
 * SELECT of the certified records of `file`: the schema's columns, converted. Reads in parallel.
 *
 * The random() term keeps DuckDB from pushing the filter on converted values below the projection
 * that converts, which would inline every conversion into the filter and compute it twice (a
 * filter over a volatile expression is never moved). Measured on 1M click records, 1 thread,
 * CPU seconds: read, sort and zstd Parquet from typed read_json (no checks) 5.3 s, this 7.7 s,
 * the same checks all in one projection 9.3 s, without the random() term 10+ s.
 */
export function certifiedRecordsSql(file: string, schema: Schema, placeholders: boolean): string {
  const { rawOk, convertedOk, converted } = checks(schema, (i) => quoteIdentifier(schema.fields[i].name), placeholders);
  const columns = schema.fields.map((field) => quoteIdentifier(field.name)).join(", ");
  return `SELECT ${columns} FROM (
    SELECT *, ${convertedOk} AND random() >= 0 AS __floe_ok FROM (
      SELECT ${converted} FROM ${readJson(file, schema, placeholders)} WHERE ${rawOk}) AS floe_converted) AS floe_checked
    WHERE __floe_ok`;
}

/**
 * SELECT of the records of `file` that are not certified and need the exact checker: their 1-based
 * position `n`, and, when the file holds placeholders (a sanitized copy), the size and text of the
 * line a placeholder replaces (blank-line placeholders, size 0, are left out). Numbering records
 * makes the read serial: only for the few pieces that have uncertified records.
 */
export function uncertifiedRecordsSql(file: string, schema: Schema, placeholders: boolean): string {
  const { rawOk, convertedOk, converted } = checks(schema, raw, placeholders);
  const placeholder = placeholders
    ? {
        columns: `${SKIP} AS skip, ${SKIP_TEXT} AS text`,
        read: `, ${SKIP}, ${SKIP_TEXT}`,
        where: ` AND coalesce(skip, 1) > 0`,
      }
    : { columns: "CAST(NULL AS BIGINT) AS skip, CAST(NULL AS VARCHAR) AS text", read: "", where: "" };
  return `SELECT n, skip, text FROM (
    SELECT ordinality AS n, ${placeholder.columns}, (${rawOk}) AND (${convertedOk}) AS __floe_ok FROM (
      SELECT ${converted}${placeholder.read}, ordinality FROM ${readJson(file, schema, placeholders)} WITH ORDINALITY) AS floe_converted) AS floe_checked
    WHERE NOT __floe_ok${placeholder.where}`;
}
