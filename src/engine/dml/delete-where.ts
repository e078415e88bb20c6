/**
 * DELETE FROM table WHERE filter. Data files the filter provably matches whole are removed without
 * being read; the others are read and either rewritten without the matching rows
 * (copy-on-write) or given position deletes for them (merge-on-read), per write.delete.mode.
 */
import type { Table } from "../../table/table.ts";
import type { Engine } from "../duckdb.ts";
import { rowLevelMode } from "./modes.ts";
import { type DmlOptions, type DmlResult, applyRowChanges } from "./row-changes.ts";
import { type RowFilter, resolveFilter } from "./row-filter.ts";
import { ROW_FILE, ROW_POS } from "./row-relation.ts";

/** Deletes the rows of `table` matching `filter` and commits one snapshot (none when no row matches). */
export async function deleteWhere(
  engine: Engine,
  table: Table,
  filter: RowFilter,
  options: DmlOptions = {},
): Promise<DmlResult> {
  const caseSensitive = options.caseSensitive ?? true;
  const resolved = resolveFilter(table.schema(), filter, caseSensitive);
  return applyRowChanges(engine, table, {
    command: "delete",
    mode: rowLevelMode(table.properties(), "delete", options.mode),
    scanFilter: resolved.expr,
    conflictFilter: resolved.expr,
    wholeFileFilter: resolved.exact ? resolved.expr : undefined,
    caseSensitive,
    changedAre: "deleted",
    changedRowsSql: (target) => `SELECT ${ROW_FILE}, ${ROW_POS} FROM ${target} AS __floe_target WHERE ${resolved.sql}`,
    newRowsSql: () => null,
    fileCache: options.fileCache,
    summary: options.summary,
    dryRun: options.dryRun,
  });
}
