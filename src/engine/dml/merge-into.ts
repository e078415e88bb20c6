/**
 * MERGE INTO table USING source ON key columns: upserts by key. A target row whose key equals a
 * source row's (SQL equality: null keys never match) is updated with the source's values for the
 * columns the source has (others keep their value), deleted, or left alone; a source row matching
 * no target row is inserted (columns the source lacks are null) or ignored. As in SQL, two source
 * rows matching one target row is an error when matched rows are updated or deleted.
 *
 * The source is materialized once in DuckDB. The range of its keys (min..max per integer, string
 * or date key) prunes the target's data files, and is the conflict detection filter: a concurrent
 * commit touching files outside it cannot conflict with the merge.
 */
import { randomUUID } from "node:crypto";
import { badInput, validation } from "../../core/errors.ts";
import {
  type Expression,
  type LiteralInput,
  alwaysFalse,
  alwaysTrue,
  and,
  greaterThanOrEqual,
  lessThanOrEqual,
} from "../../expr/expressions.ts";
import { parsePrimitive } from "../../spec/conversions.ts";
import { type NestedField, isPrimitive } from "../../spec/types.ts";
import type { Table } from "../../table/table.ts";
import type { Engine } from "../duckdb.ts";
import { quoteIdent } from "../read/sql-text.ts";
import { duckdbType } from "../sql/types.ts";
import { rowLevelMode } from "./modes.ts";
import { type DmlOptions, type DmlResult, applyRowChanges, castColumns } from "./row-changes.ts";
import { ROW_FILE, ROW_POS } from "./row-relation.ts";

/** How MERGE treats matched target rows and unmatched source rows. */
export interface MergeOptions extends DmlOptions {
  /** Key columns (top-level, primitive) compared by equality between source and target. */
  on: string[];
  /** What happens to a target row a source row matches. */
  whenMatched: "update" | "delete" | "ignore";
  /** What happens to a source row that matches no target row. */
  whenNotMatched: "insert" | "ignore";
}

/** Key types whose source range can prune data files. */
const PRUNABLE = new Set(["int", "long", "string", "date"]);

/** Merges the rows of `sourceSql` (a query or relation) into `table` by the `on` keys; one snapshot. */
export async function mergeInto(
  engine: Engine,
  table: Table,
  sourceSql: string,
  options: MergeOptions,
): Promise<DmlResult> {
  const schema = table.schema();
  const name = table.name();
  if (options.on.length === 0) throw badInput(`merge into ${name}: at least one key column is required`);
  const keys = options.on.map((key) => {
    const field = schema.fields.find((f) => f.name === key);
    if (!field) throw badInput(`merge into ${name}: key ${key} is not a top-level column`);
    if (!isPrimitive(field.type)) throw badInput(`merge into ${name}: key ${key} is not a primitive column`);
    return field;
  });

  const source = quoteIdent(`floe_dml_source_${randomUUID().replaceAll("-", "")}`);
  const relation = /^\s*(\(|select\b|with\b|from\b|values\b|table\b)/i.test(sourceSql) ? `(${sourceSql})` : sourceSql;
  await engine.run(`CREATE TEMP TABLE ${source} AS SELECT * FROM ${relation} AS __floe_src`);
  try {
    const described = await engine.all<{ column_name: string }>(`DESCRIBE ${source}`);
    const sourceColumns = new Set(described.map((row) => row.column_name));
    const unknown = [...sourceColumns].filter((column) => !schema.fields.some((f) => f.name === column));
    if (unknown.length > 0)
      throw badInput(`merge into ${name}: source columns not in the table: ${unknown.join(", ")}`);
    for (const key of keys)
      if (!sourceColumns.has(key.name)) throw badInput(`merge into ${name}: the source has no key column ${key.name}`);
    if (options.whenNotMatched === "insert")
      for (const field of schema.fields)
        if (field.required && !sourceColumns.has(field.name))
          throw badInput(
            `merge into ${name}: inserted rows need required column ${field.name}, which the source lacks`,
          );

    const keyFilter = await sourceKeyRange(engine, source, keys);
    const on = keys.map((k) => `__floe_t.${quoteIdent(k.name)} = __floe_s.${quoteIdent(k.name)}`).join(" AND ");
    const matches = options.whenMatched !== "ignore";
    const inserts = options.whenNotMatched === "insert";
    const updatedValue = (column: string) =>
      sourceColumns.has(column) && !options.on.includes(column)
        ? `__floe_s.${quoteIdent(column)}`
        : `__floe_t.${quoteIdent(column)}`;
    const insertedValue = (column: string) => (sourceColumns.has(column) ? `__floe_s.${quoteIdent(column)}` : "NULL");

    return await applyRowChanges(engine, table, {
      command: "merge",
      mode: rowLevelMode(table.properties(), "merge", options.mode),
      scanFilter: keyFilter,
      conflictFilter: keyFilter,
      caseSensitive: options.caseSensitive ?? true,
      changedAre: options.whenMatched === "delete" ? "deleted" : "updated",
      check: async (target) => {
        if (!matches) return;
        const [dup] = await engine.all<{ n: bigint }>(
          `SELECT count(*) AS n FROM ${target} AS __floe_t JOIN ${source} AS __floe_s ON ${on}
           GROUP BY __floe_t.${ROW_FILE}, __floe_t.${ROW_POS} HAVING count(*) > 1 LIMIT 1`,
        );
        if (dup)
          throw validation(
            `merge into ${name}: ${dup.n} source rows match the same target row on (${options.on.join(", ")}); each target row may be matched once`,
          );
      },
      changedRowsSql: (target) =>
        matches
          ? `SELECT __floe_t.${ROW_FILE}, __floe_t.${ROW_POS} FROM ${target} AS __floe_t SEMI JOIN ${source} AS __floe_s ON ${on}`
          : `SELECT ${ROW_FILE}, ${ROW_POS} FROM ${target} AS __floe_t WHERE FALSE`,
      newRowsSql: (target) => {
        const parts: string[] = [];
        if (options.whenMatched === "update")
          parts.push(
            `SELECT ${castColumns(schema, updatedValue)} FROM ${target} AS __floe_t JOIN ${source} AS __floe_s ON ${on}`,
          );
        if (inserts)
          parts.push(
            `SELECT ${castColumns(schema, insertedValue)} FROM ${source} AS __floe_s ANTI JOIN ${target} AS __floe_t ON ${on}`,
          );
        return parts.length === 0 ? null : parts.join("\nUNION ALL\n");
      },
      insertedCountSql: inserts
        ? (target) => `SELECT count(*) AS n FROM ${source} AS __floe_s ANTI JOIN ${target} AS __floe_t ON ${on}`
        : undefined,
      fileCache: options.fileCache,
      summary: options.summary,
      dryRun: options.dryRun,
    });
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${source}`).catch(() => undefined);
  }
}

/** key >= min AND key <= max for every prunable key (false when a key has no non-null value: nothing can match). */
async function sourceKeyRange(engine: Engine, source: string, keys: NestedField[]): Promise<Expression> {
  const prunable = keys.filter((k) => isPrimitive(k.type) && PRUNABLE.has(parsePrimitive(k.type).kind));
  if (prunable.length === 0) return alwaysTrue;
  // Cast to the table's type, so the bounds are values of the key column whatever the source's type.
  const selects = prunable.flatMap((k, i) => {
    const value = `CAST(${quoteIdent(k.name)} AS ${duckdbType(k.type)})`;
    return [`min(${value}) AS lo${i}`, `max(${value}) AS hi${i}`];
  });
  const [row] = await engine.all<Record<string, LiteralInput | null>>(`SELECT ${selects.join(", ")} FROM ${source}`);
  const terms: Expression[] = [];
  for (const [i, k] of prunable.entries()) {
    const lo = row[`lo${i}`];
    const hi = row[`hi${i}`];
    if (lo === null || hi === null) return alwaysFalse;
    terms.push(greaterThanOrEqual(k.name, lo), lessThanOrEqual(k.name, hi));
  }
  return and(...terms);
}
