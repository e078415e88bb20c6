/**
 * The three input formats as RecordSources (see record-checks.ts): relations DuckDB reads in bulk
 * with each record's exact 1-based line number (Parquet: row number) and a format-level check.
 *
 * Text formats are read line by line with DuckDB's CSV reader set up so that nothing in a line is
 * special: the delimiter is the control sequence U+0001..U+0004, no quoting, no escaping, newline "\n"
 * ("\r\n" also works when the first line ends with it: the trailing "\r" is dropped; otherwise
 * every "\r" ends a line too, see ndjson-layout.ts), and WITH ORDINALITY numbering the lines;
 * blank lines come through as NULL and are skipped while still counting.
 * Compressed inputs (.gz, .zst) are decompressed by the reader.
 *
 * For NDJSON this is the exact checker: the reference semantics, run over whole files only when the
 * fast path (ndjson-fast-read.ts) cannot be used, and otherwise over the few lines the fast path
 * could not certify. It is slow (about 50k records/s on 2 cores: numbering lines is a serial scan,
 * and every field is extracted and typed through JSON functions one by one).
 */
import type { Engine } from "../engine/duckdb.ts";
import { quoteIdentifier, quoteString } from "../engine/sql/quoting.ts";
import { stringifyJson } from "../core/json.ts";
import type { Schema } from "../spec/types.ts";
import { convertJson, convertText, convertTyped } from "./field-conversion.ts";
import {
  type FieldInput,
  LINE,
  PRECHECK,
  type RecordSource,
  SIZE,
  gotJson,
  gotText,
  gotTyped,
} from "./record-checks.ts";

/** The input formats. */
export type IngestFormat = "ndjson" | "csv" | "parquet";

/** Options of the CSV reader. */
export interface CsvOptions {
  /** Field delimiter, one character (default ","). */
  delimiter?: string;
  /**
   * The file is a piece of a longer input (a batch of a stream): its line 1 is the input's header
   * and its line k > 1 is line k + lineOffset of the input, which is the line number records get.
   */
  lineOffset?: number;
}

// A line longer than this fails the read (DuckDB's line reader needs a bound).
const MAX_LINE_BYTES = 64 * 1024 * 1024;

// A 4-byte delimiter no text holds in practice (a line containing it would be cut there).
const LINE_DELIMITER = "\u0001\u0002\u0003\u0004";

/**
 * DuckDB's read of a text file as lines, one VARCHAR column `line` (blank lines NULL), in file
 * order. Without a line number it reads in parallel (the sanitizing copy uses that).
 */
export function readLines(file: string): string {
  return `read_csv(${quoteString(file)}, columns = {'line': 'VARCHAR'}, delim = '${LINE_DELIMITER}',
      quote = '', escape = '', header = false, auto_detect = false, strict_mode = false, max_line_size = ${MAX_LINE_BYTES})`;
}

/**
 * Every line of a text file with its 1-based number plus `lineOffset` (a piece of a longer input)
 * as LINE and its text as __floe_text; blank lines are NULL (one column keeps them).
 */
export function linesRelation(file: string, lineOffset = 0): string {
  const line = lineOffset === 0 ? "ordinality" : `ordinality + ${lineOffset}`;
  return `(SELECT ${line} AS ${LINE}, line AS __floe_text FROM ${readLines(file)} WITH ORDINALITY)`;
}

/** Finds the input column for a schema field: exact name first, then case-insensitively. */
function matchColumn(names: string[], field: string): number {
  const exact = names.indexOf(field);
  if (exact >= 0) return exact;
  const lower = field.toLowerCase();
  return names.findIndex((name) => name.toLowerCase() === lower);
}

/** NDJSON: one JSON object per line, parsed once per line into the schema's top-level fields. */
export function ndjsonSource(file: string, schema: Schema): RecordSource {
  return ndjsonLinesSource(linesRelation(file), schema);
}

/**
 * NDJSON lines from any relation with LINE and __floe_text columns (the exact checker run over the
 * few lines the fast path could not take, see ndjson-chunk.ts).
 */
export function ndjsonLinesSource(lines: string, schema: Schema): RecordSource {
  const structure = stringifyJson(Object.fromEntries(schema.fields.map((field) => [field.name, "JSON"])));
  const inputs: FieldInput[] = schema.fields.map((field) => {
    const json = `struct_extract(__floe_json, ${quoteString(field.name)})`;
    return { value: convertJson(field.type, json), present: `(${json} IS NOT NULL)`, got: gotJson(json) };
  });
  const from = `(SELECT ${LINE}, ${SIZE}, __floe_text,
      CASE WHEN NOT __floe_ok THEN 'invalid JSON' WHEN NOT __floe_object THEN 'not a JSON object' END AS ${PRECHECK},
      CASE WHEN __floe_ok AND __floe_object THEN from_json(__floe_text, ${quoteString(structure)}) END AS __floe_json
    FROM (SELECT ${LINE}, strlen(__floe_text) + 1 AS ${SIZE}, __floe_text,
        json_valid(__floe_text) AS __floe_ok,
        starts_with(ltrim(__floe_text), '{') AS __floe_object
      FROM ${lines} AS floe_lines WHERE trim(__floe_text) <> ''))`;
  return { from, inputs, record: "__floe_text" };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/**
 * A RE2 pattern whose group 1 is each field of a CSV line prefixed with the delimiter (quoted fields
 * keep their quotes). The prefix makes every match consume at least one character, so an empty
 * first field is not lost to an empty match.
 */
const csvFieldPattern = (delimiter: string): string => {
  const d = escapeRegex(delimiter);
  return `${d}("(?:[^"]|"")*"|[^${d}"]*)`;
};

/** A CSV field's value: quotes removed and doubled quotes undone; an empty unquoted field is NULL. */
const unquoted = (field: string): string =>
  `CASE WHEN starts_with(${field}, '"') THEN replace(${field}[2:-2], '""', '"') WHEN ${field} = '' THEN NULL ELSE ${field} END`;

/**
 * CSV with a header row mapping columns by name. Each line is split into fields by a regular
 * expression (RFC 4180 quoting with "" escapes); a line that is not a sequence of well-formed fields
 * or has another number of fields than the header is rejected. Quoted values spanning several lines
 * are not supported (each piece is rejected as malformed): line numbers stay exact that way.
 */
export async function csvSource(
  engine: Engine,
  file: string,
  schema: Schema,
  options: CsvOptions = {},
): Promise<RecordSource> {
  const delimiter = options.delimiter ?? ",";
  const pattern = quoteString(csvFieldPattern(delimiter));
  const split = (text: string) => `regexp_extract_all(${quoteString(delimiter)} || ${text}, ${pattern}, 1)`;
  const [header] = await engine.all<{ fields: string[] | null }>(
    `SELECT list_transform(${split("__floe_text")}, f -> ${unquoted("f")}) AS fields FROM ${linesRelation(file)} WHERE ${LINE} = 1`,
  );
  const names = (header?.fields ?? []).map((name) => name ?? "");
  const inputs: FieldInput[] = schema.fields.map((field) => {
    const index = matchColumn(names, field.name);
    if (index < 0) return { value: "NULL", present: "FALSE", got: "NULL" };
    const value = `__floe_value_${index}`;
    return { value: convertText(field.type, value), present: `(${value} IS NOT NULL)`, got: gotText(value) };
  });
  const used = [...new Set(schema.fields.map((field) => matchColumn(names, field.name)).filter((i) => i >= 0))];
  const values = used.map((i) => `${unquoted(`__floe_fields[${i + 1}]`)} AS __floe_value_${i}`);
  const quotedDelimiter = quoteString(delimiter);
  const from = `(SELECT *, ${[...values, "TRUE AS __floe_any"].join(", ")} FROM (SELECT ${LINE}, ${SIZE}, __floe_text,
      CASE WHEN array_to_string(__floe_fields, ${quotedDelimiter}) <> __floe_text THEN 'malformed CSV line: bad quoting (quoted values spanning lines are not supported)'
        WHEN len(__floe_fields) <> ${names.length} THEN 'expected ${names.length} columns, got ' || len(__floe_fields) END AS ${PRECHECK},
      __floe_fields
    FROM (SELECT ${LINE} + ${options.lineOffset ?? 0} AS ${LINE}, strlen(__floe_text) + 1 AS ${SIZE}, __floe_text, ${split("__floe_text")} AS __floe_fields
      FROM ${linesRelation(file)} WHERE ${LINE} > 1 AND trim(__floe_text) <> '')))`;
  return { from, inputs, record: "__floe_text" };
}

/**
 * Parquet: columns matched to the schema by name and cast (strings through the text rules);
 * the record text of a rejected row is the whole row as JSON, its number the 1-based row number.
 */
export async function parquetSource(
  engine: Engine,
  file: string,
  schema: Schema,
  fileBytes: number,
): Promise<RecordSource> {
  const reader = `read_parquet(${quoteString(file)}, file_row_number = true)`;
  const described = await engine.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${reader}`);
  const columns = described.filter((c) => c.column_name !== "file_row_number");
  const names = columns.map((c) => c.column_name);
  const inputs: FieldInput[] = schema.fields.map((field) => {
    const index = matchColumn(names, field.name);
    if (index < 0) return { value: "NULL", present: "FALSE", got: "NULL" };
    const column = `__floe_column_${index}`;
    return {
      value: convertTyped(field.type, column, columns[index].column_type),
      present: `(${column} IS NOT NULL)`,
      got: columns[index].column_type === "VARCHAR" ? gotText(column) : gotTyped(column),
    };
  });
  // Parquet rows have no byte size of their own: each counts as the file's average row size.
  const [meta] = await engine.all<{ rows: bigint | null }>(
    `SELECT CAST(sum(num_rows) AS BIGINT) AS rows FROM parquet_file_metadata(${quoteString(file)})`,
  );
  const select = columns.map((c, i) => `${quoteIdentifier(c.column_name)} AS __floe_column_${i}`);
  const from = `(SELECT file_row_number + 1 AS ${LINE}, CAST(NULL AS VARCHAR) AS ${PRECHECK}, ${[...select, "TRUE AS __floe_any"].join(", ")},
      CAST(${meta?.rows ? BigInt(fileBytes) / meta.rows : 0n} AS BIGINT) AS ${SIZE}
    FROM ${reader})`;
  const record = `CAST(to_json(struct_pack(${columns.map((c, i) => `${quoteIdentifier(c.column_name)} := __floe_column_${i}`).join(", ")})) AS VARCHAR)`;
  return { from, inputs, record };
}
