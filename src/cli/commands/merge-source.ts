/**
 * The source rows of `floe merge`: files (NDJSON, CSV, Parquet; paths, globs or directories, as
 * `floe ingest` takes them) or a SELECT over catalog tables, as one DuckDB relation.
 *
 * The source keeps exactly the columns it has, because MERGE updates only those (a column absent
 * from the source keeps its value), so readers infer columns from the files rather than from the
 * table schema. Columns the table also has are then cast to the table's types: keys compare with
 * the same type on both sides, and CSV, read as text so that "007" stays "007", gets its types.
 */
import { badInput, isFloeError } from "../../core/errors.ts";
import type { Catalog } from "../../catalog/catalog.ts";
import type { Engine } from "../../engine/duckdb.ts";
import { quoteIdentifier, quoteString } from "../../engine/sql/quoting.ts";
import { duckdbType } from "../../engine/sql/types.ts";
import type { IngestFormat } from "../../ingest/record-sources.ts";
import type { FileIO } from "../../io/file-io.ts";
import type { Schema } from "../../spec/types.ts";

/** Where the merge reads from: files or a query (exactly one). */
export interface MergeSource {
  files?: string[];
  format?: IngestFormat;
  sql?: string;
}

const list = (paths: string[]) => `[${paths.map(quoteString).join(", ")}]`;

/** One reader per format; union_by_name lets files of one source differ in their columns. */
const READERS: Record<IngestFormat, (paths: string[]) => string> = {
  ndjson: (paths) => `SELECT * FROM read_json(${list(paths)}, format = 'newline_delimited', union_by_name = true)`,
  csv: (paths) => `SELECT * FROM read_csv(${list(paths)}, header = true, all_varchar = true, union_by_name = true)`,
  parquet: (paths) => `SELECT * FROM read_parquet(${list(paths)}, union_by_name = true)`,
};

/** The source files as one relation; errors of the input resolution name --source, not ingest. */
async function filesSql(files: string[], format: IngestFormat | undefined): Promise<string> {
  const { resolveInputs } = await import("../../ingest/input-files.ts");
  const inputs = await resolveInputs(files, format).catch((error: unknown) => {
    if (isFloeError(error, "bad-input")) throw badInput(error.message.replace(/^ingest: /, "--source: "), error);
    throw error;
  });
  const byFormat = new Map<IngestFormat, string[]>();
  for (const input of inputs) byFormat.set(input.format, [...(byFormat.get(input.format) ?? []), input.path]);
  return [...byFormat].map(([f, paths]) => `(${READERS[f](paths)})`).join("\nUNION ALL BY NAME\n");
}

/** SQL of the merge source, with the columns the table also has cast to the table's types. */
export async function mergeSourceSql(
  engine: Engine,
  catalog: Catalog,
  io: FileIO,
  schema: Schema,
  source: MergeSource,
): Promise<string> {
  let relation: string;
  if (source.sql !== undefined) {
    const { planSql } = await import("../../engine/sql-query.ts");
    relation = await planSql(engine, catalog, source.sql, { io });
  } else relation = await filesSql(source.files ?? [], source.format);
  const described = await engine.all<{ column_name: string }>(`DESCRIBE SELECT * FROM (${relation}) AS __floe_src`);
  const columns = described.map(({ column_name: name }) => {
    const field = schema.fields.find((f) => f.name === name);
    const q = quoteIdentifier(name);
    return field ? `CAST(${q} AS ${duckdbType(field.type)}) AS ${q}` : q;
  });
  return `SELECT ${columns.join(", ")} FROM (${relation}) AS __floe_src`;
}
