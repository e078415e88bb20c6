/**
 * Checks the SQL a user hands to `floe delete` / `floe update` (--where, --set) before anything
 * runs. The library embeds that text in larger queries, so a typo would surface as DuckDB's
 * multi-line message about floe's own SQL; binding the text alone over an empty relation with the
 * table's columns costs no reads and yields one line naming the flag. Errors that only show on
 * real values (a failing cast) still come from the command itself.
 */
import { badInput } from "../../core/errors.ts";
import type { Engine } from "../../engine/duckdb.ts";
import { quoteIdentifier } from "../../engine/sql/quoting.ts";
import { duckdbType } from "../../engine/sql/types.ts";
import type { Schema } from "../../spec/types.ts";
import { duckdbReason } from "./dml-run.ts";

/** No rows, the table's top-level columns with their types, under the alias the library uses. */
function emptyRelation(schema: Schema): string {
  const columns = schema.fields.map((f) => `CAST(NULL AS ${duckdbType(f.type)}) AS ${quoteIdentifier(f.name)}`);
  return `(SELECT ${columns.join(", ")} LIMIT 0) AS __floe_target`;
}

const columnList = (schema: Schema) => schema.fields.map((f) => f.name).join(", ");

async function bind<T>(schema: Schema, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? duckdbReason(error.message) : String(error);
    // A name that did not bind is the usual mistake: list the names that would.
    const hint = reason.startsWith("Binder Error") ? ` (columns: ${columnList(schema)})` : "";
    throw badInput(`${what}: ${reason}${hint}`, error);
  }
}

/** Fails unless `where` is a boolean SQL condition over the table's columns. */
export async function checkCondition(engine: Engine, schema: Schema, where: string): Promise<void> {
  const what = `--where "${where}"`;
  const [row] = await bind(schema, what, () =>
    engine.all<{ column_type: string }>(
      `DESCRIBE SELECT (${where}) AS __floe_value FROM ${emptyRelation(schema)} WHERE (${where})`,
    ),
  );
  if (row?.column_type !== "BOOLEAN")
    throw badInput(`${what}: not a condition (its type is ${row?.column_type ?? "unknown"}, not BOOLEAN)`);
}

/**
 * Fails unless `expr` is a SQL expression over the table's columns castable to column `name`'s
 * type. The other columns are selected alongside, as in the update itself, so aggregates fail.
 */
export async function checkAssignment(engine: Engine, schema: Schema, name: string, expr: string): Promise<void> {
  const field = schema.fields.find((f) => f.name === name);
  if (!field) throw badInput(`--set ${name}: no top-level column ${name} (columns: ${columnList(schema)})`);
  await bind(schema, `--set ${name} = ${expr}`, () =>
    engine.all(
      `SELECT CAST((${expr}) AS ${duckdbType(field.type)}) AS __floe_value, * FROM ${emptyRelation(schema)} LIMIT 0`,
    ),
  );
}
