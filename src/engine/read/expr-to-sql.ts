/**
 * floe expressions as DuckDB SQL boolean expressions with Iceberg's row semantics. The expression
 * is bound to the schema first (so literals are converted exactly as pruning converted them), NOT
 * is pushed down to the predicates, and each predicate is written to be TRUE or FALSE, never NULL:
 * null and NaN satisfy no comparison but do satisfy not-eq, not-in, not-starts-with and not-nan,
 * exactly as the row evaluator in src/expr decides. (DuckDB alone would order NaN above every
 * number and call NaN = NaN true.)
 */
import { bind } from "../../expr/bind.ts";
import type { BoundExpression, BoundPredicate, BoundReference, Literal } from "../../expr/bound.ts";
import { type Expression, asLogical, isPredicate } from "../../expr/expressions.ts";
import { rewriteNot } from "../../expr/simplify.ts";
import { parsePrimitive } from "../../spec/conversions.ts";
import { type StructType, isStruct } from "../../spec/types.ts";
import { valueToSql } from "./sql-literals.ts";
import { columnPath, quoteString } from "./sql-text.ts";

/** How expression SQL refers to columns. */
export interface ExprSqlOptions {
  /** Relation alias to qualify column references with. */
  qualifier?: string;
  caseSensitive?: boolean;
  /**
   * The SQL is used only as a whole WHERE condition. Then a comparison may stay NULL for null
   * values (WHERE drops NULL like FALSE, and with NOT pushed down nothing above it can turn NULL
   * into TRUE), so non-float comparisons are written bare - the form DuckDB pushes into its
   * Parquet reader to skip row groups by their statistics.
   */
  whereClause?: boolean;
}

/** The names leading to a bound reference's field, as spelled in the struct. */
function referenceNames(struct: StructType, ref: BoundReference): string[] {
  const names: string[] = [];
  let current: StructType = struct;
  for (const position of ref.path) {
    const field = current.fields[position];
    names.push(field.name);
    if (isStruct(field.type)) current = field.type;
  }
  return names;
}

const isFloating = (type: string): boolean => {
  const kind = parsePrimitive(type).kind;
  return kind === "float" || kind === "double";
};

function predicateSql(struct: StructType, pred: BoundPredicate, options: ExprSqlOptions): string {
  const col = columnPath(referenceNames(struct, pred.ref), options.qualifier);
  const type = pred.ref.type;
  const floating = isFloating(type);
  const lit = (value: Literal): string => valueToSql(type, value);
  // A positive test must be false for null (SQL gives NULL, which COALESCE turns into FALSE) and
  // for NaN; its negation must be true for both.
  const positive = (test: string): string =>
    floating
      ? `COALESCE(${test} AND NOT isnan(${col}), FALSE)`
      : options.whereClause
        ? `(${test})`
        : `COALESCE(${test}, FALSE)`;
  const negative = (test: string): string =>
    floating ? `COALESCE(${test} OR isnan(${col}), TRUE)` : `COALESCE(${test}, TRUE)`;
  switch (pred.op) {
    case "is-null":
      return `(${col} IS NULL)`;
    case "not-null":
      return `(${col} IS NOT NULL)`;
    case "is-nan":
      return `COALESCE(isnan(${col}), FALSE)`;
    case "not-nan":
      return `COALESCE(NOT isnan(${col}), TRUE)`;
    case "eq":
      return positive(`${col} = ${lit(pred.value)}`);
    case "not-eq":
      return negative(`${col} <> ${lit(pred.value)}`);
    case "lt":
      return positive(`${col} < ${lit(pred.value)}`);
    case "lt-eq":
      return positive(`${col} <= ${lit(pred.value)}`);
    case "gt":
      return positive(`${col} > ${lit(pred.value)}`);
    case "gt-eq":
      return positive(`${col} >= ${lit(pred.value)}`);
    case "starts-with":
      return positive(`starts_with(${col}, ${quoteString(String(pred.value))})`);
    case "not-starts-with":
      return negative(`NOT starts_with(${col}, ${quoteString(String(pred.value))})`);
    case "in":
      return positive(`${col} IN (${pred.values.map(lit).join(", ")})`);
    case "not-in":
      return negative(`${col} NOT IN (${pred.values.map(lit).join(", ")})`);
  }
}

function boundToSql(struct: StructType, expr: BoundExpression, options: ExprSqlOptions): string {
  if (isPredicate(expr)) return predicateSql(struct, expr, options);
  const node = asLogical(expr);
  switch (node.op) {
    case "true":
      return "TRUE";
    case "false":
      return "FALSE";
    case "and":
      return `(${boundToSql(struct, node.left, options)} AND ${boundToSql(struct, node.right, options)})`;
    case "or":
      return `(${boundToSql(struct, node.left, options)} OR ${boundToSql(struct, node.right, options)})`;
    case "not":
      // rewriteNot leaves no NOT above a predicate; kept for completeness (operands are never NULL).
      return `(NOT ${boundToSql(struct, node.child, options)})`;
  }
}

/** A DuckDB boolean expression selecting exactly the rows of `struct` that `expr` matches. */
export function expressionToSql(struct: StructType, expr: Expression, options: ExprSqlOptions = {}): string {
  return boundToSql(struct, bind(struct, rewriteNot(expr), options.caseSensitive ?? true), options);
}
