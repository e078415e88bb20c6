/**
 * Which row groups of a file a sparse read must fetch. A row group floe does not fetch is a hole
 * in the local copy, so DuckDB must skip it too: floe prunes only with the conjuncts of the
 * residual that DuckDB pushes into its Parquet reader and checks against the same min/max
 * statistics - comparisons (=, <, <=, >, >=) of a top-level column of a type whose statistics
 * row-group-layout.ts exposes with a literal - and ignores every other part of the filter (OR, NOT,
 * IN, null tests, ...), which can only keep more row groups than DuckDB reads, never fewer.
 * Within that subset the expr module's inclusive metrics evaluator decides, so row groups are
 * pruned by the same rules as files.
 */
import { bind } from "../../expr/bind.ts";
import type { BoundExpression, BoundPredicate } from "../../expr/bound.ts";
import { type Expression, alwaysTrue, andOf, asLogical, isPredicate } from "../../expr/expressions.ts";
import { type FileMetricsLike, inclusiveMetricsEvaluator } from "../../expr/metrics-evaluator.ts";
import { unbind } from "../../expr/unbind.ts";
import type { Schema } from "../../spec/types.ts";

const PRUNING_OPS = new Set(["eq", "lt", "lt-eq", "gt", "gt-eq"]);
const PRUNING_TYPES = new Set(["int", "long", "date", "timestamp", "timestamptz", "string"]);

function prunable(predicate: BoundPredicate): boolean {
  return PRUNING_OPS.has(predicate.op) && predicate.ref.path.length === 1 && PRUNING_TYPES.has(predicate.ref.type);
}

function keepPrunable(expr: BoundExpression): BoundExpression {
  if (isPredicate(expr)) return prunable(expr) ? expr : alwaysTrue;
  const node = asLogical(expr);
  if (node.op === "and") return andOf(keepPrunable(node.left), keepPrunable(node.right));
  return alwaysTrue;
}

/** The conjuncts of `residual` floe prunes row groups with (alwaysTrue when there are none). */
export function prunableConjuncts(schema: Schema, residual: Expression | undefined, caseSensitive = true): Expression {
  if (residual === undefined) return alwaysTrue;
  return unbind(keepPrunable(bind(schema, residual, caseSensitive)));
}

/** Whether a row group with these metrics may hold rows the residual keeps; undefined when nothing can be pruned. */
export function rowGroupFilter(
  schema: Schema,
  residual: Expression | undefined,
  caseSensitive = true,
): ((metrics: FileMetricsLike) => boolean) | undefined {
  const conjuncts = prunableConjuncts(schema, residual, caseSensitive);
  if ((conjuncts as { op: string }).op === "true") return undefined;
  return inclusiveMetricsEvaluator(schema, conjuncts, true);
}
