/**
 * The row filter of DELETE and UPDATE: a floe expression (which also prunes files by partition
 * and metrics, proves whole files deleted, and scopes conflict detection) or a DuckDB SQL boolean
 * expression over the table's columns (evaluated on rows only: every file is read, and any
 * concurrent change counts as a conflict, since nothing is known about which rows it selects).
 */
import { type Expression, alwaysTrue } from "../../expr/expressions.ts";
import type { Schema } from "../../spec/types.ts";
import { expressionToSql } from "../read/expr-to-sql.ts";

/** A row filter: an expression, or SQL text such as `"page = 'home' AND duration > 10"`. */
export type RowFilter = Expression | string;

/** A row filter as planning and SQL need it. */
export interface ResolvedFilter {
  /** The expression for pruning and conflict detection; alwaysTrue for SQL text. */
  expr: Expression;
  /** Whether `expr` is exactly the filter (false for SQL text: it cannot prove files fully matched). */
  exact: boolean;
  /** A DuckDB boolean over the schema's column names, TRUE or FALSE for every row (never NULL). */
  sql: string;
}

/** Resolves `filter` against `schema`. */
export function resolveFilter(schema: Schema, filter: RowFilter, caseSensitive = true): ResolvedFilter {
  if (typeof filter === "string") return { expr: alwaysTrue, exact: false, sql: `COALESCE((${filter}), FALSE)` };
  return { expr: filter, exact: true, sql: expressionToSql(schema, filter, { caseSensitive }) };
}
