/**
 * Evaluates expressions on rows (and on partition tuples, which are rows of the partition type).
 *
 * Semantics, shared by every evaluator in this module so that pruning agrees with row filtering:
 * null and NaN satisfy no comparison, equality, in or starts-with; they do satisfy the negated
 * forms not-eq, not-in and not-starts-with (and null satisfies not-nan). NOT is pushed down to the
 * predicates before evaluation, so NOT (x < 5) means x >= 5.
 */

import { compareValues } from "../spec/compare.ts";
import type { StructType, Value } from "../spec/types.ts";
import { bind } from "./bind.ts";
import type { BoundExpression, BoundPredicate, Literal } from "./bound.ts";
import type { Expression } from "./expressions.ts";
import { rewriteNot } from "./simplify.ts";
import { evaluateTree } from "./visit.ts";

/** A row: values in struct field order, nested structs as nested arrays (null for a null struct). */
export type StructLike = readonly (Value | StructLike)[];

/** The value at a bound reference's path; null when it or an enclosing struct is null. */
export function valueAt(row: StructLike, path: readonly number[]): Value {
  let current: Value | StructLike = row;
  for (const position of path) {
    if (current === null || !Array.isArray(current)) return null;
    current = (current as StructLike)[position] ?? null;
  }
  return Array.isArray(current) ? null : (current as Value);
}

/** Index of `value` in sorted distinct `values`, or -1 (values are in the type's order). */
export function indexOfSorted(type: string, values: readonly Literal[], value: Literal): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cmp = compareValues(type, values[mid], value);
    if (cmp === 0) return mid;
    if (cmp < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Whether one value satisfies a bound predicate. */
export function predicateMatches(pred: BoundPredicate, value: Value): boolean {
  const nan = typeof value === "number" && Number.isNaN(value);
  switch (pred.op) {
    case "is-null":
      return value === null;
    case "not-null":
      return value !== null;
    case "is-nan":
      return nan;
    case "not-nan":
      return !nan;
  }
  if (value === null || nan) return pred.op === "not-eq" || pred.op === "not-in" || pred.op === "not-starts-with";
  const type = pred.ref.type;
  switch (pred.op) {
    case "in":
      return indexOfSorted(type, pred.values, value) >= 0;
    case "not-in":
      return indexOfSorted(type, pred.values, value) < 0;
    case "starts-with":
      return typeof value === "string" && value.startsWith(pred.value as string);
    case "not-starts-with":
      return !(typeof value === "string" && value.startsWith(pred.value as string));
  }
  const cmp = compareValues(type, value, pred.value);
  switch (pred.op) {
    case "eq":
      return cmp === 0;
    case "not-eq":
      return cmp !== 0;
    case "lt":
      return cmp < 0;
    case "lt-eq":
      return cmp <= 0;
    case "gt":
      return cmp > 0;
    case "gt-eq":
      return cmp >= 0;
  }
}

/** Evaluates a bound expression (NOT already pushed down, or not: NOT is evaluated as negation) on a row. */
export function evaluate(expr: BoundExpression, row: StructLike): boolean {
  return evaluateTree(
    expr,
    (predicate) => predicateMatches(predicate, valueAt(row, predicate.ref.path)),
    (node) => !evaluate(node.child, row),
  );
}

/** Binds `expr` to `schema` once and returns a test for rows of that schema. */
export function rowEvaluator(schema: StructType, expr: Expression, caseSensitive = true): (row: StructLike) => boolean {
  const bound = bind(schema, rewriteNot(expr), caseSensitive);
  return (row) => evaluate(bound, row);
}
