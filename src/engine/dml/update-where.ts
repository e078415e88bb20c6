/**
 * UPDATE table SET column = expression, ... WHERE filter. The SET expressions are DuckDB SQL over
 * the row's current values (all evaluated against the old row, as SQL does), cast to each
 * column's type. Updated rows are written as new data files; their old versions are rewritten
 * away (copy-on-write) or deleted by position (merge-on-read), per write.update.mode.
 */
import { badInput } from "../../core/errors.ts";
import { findFieldByName } from "../../spec/schema.ts";
import type { Table } from "../../table/table.ts";
import type { Engine } from "../duckdb.ts";
import { quoteIdent } from "../read/sql-text.ts";
import { rowLevelMode } from "./modes.ts";
import { type DmlOptions, type DmlResult, applyRowChanges, castColumns } from "./row-changes.ts";
import { type RowFilter, resolveFilter } from "./row-filter.ts";
import { ROW_FILE, ROW_POS } from "./row-relation.ts";

/** Sets the columns of `set` (column name → DuckDB SQL expression) on the rows matching `filter`; one snapshot. */
export async function updateWhere(
  engine: Engine,
  table: Table,
  set: Record<string, string>,
  filter: RowFilter,
  options: DmlOptions = {},
): Promise<DmlResult> {
  const caseSensitive = options.caseSensitive ?? true;
  const schema = table.schema();
  const assignments = new Map<string, string>();
  for (const [column, expr] of Object.entries(set)) {
    const field = findFieldByName(schema, column, caseSensitive);
    if (!field || !schema.fields.some((top) => top.id === field.id))
      throw badInput(
        `update of ${table.name()}: ${column} is not a top-level column (columns: ${schema.fields.map((f) => f.name).join(", ")})`,
      );
    assignments.set(field.name, expr);
  }
  if (assignments.size === 0) throw badInput(`update of ${table.name()}: no column to set`);
  const resolved = resolveFilter(schema, filter, caseSensitive);
  const newValue = (name: string) => {
    const expr = assignments.get(name);
    return expr === undefined ? quoteIdent(name) : `(${expr})`;
  };
  return applyRowChanges(engine, table, {
    command: "update",
    mode: rowLevelMode(table.properties(), "update", options.mode),
    scanFilter: resolved.expr,
    conflictFilter: resolved.expr,
    caseSensitive,
    changedAre: "updated",
    changedRowsSql: (target) => `SELECT ${ROW_FILE}, ${ROW_POS} FROM ${target} AS __floe_target WHERE ${resolved.sql}`,
    newRowsSql: (target) =>
      `SELECT ${castColumns(schema, newValue)} FROM ${target} AS __floe_target WHERE ${resolved.sql}`,
    fileCache: options.fileCache,
    summary: options.summary,
    dryRun: options.dryRun,
  });
}
