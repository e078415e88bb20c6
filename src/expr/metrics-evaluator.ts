/**
 * File pruning by column metrics (value, null and NaN counts, lower and upper bounds keyed by
 * field id), as the reference implementation's Inclusive- and StrictMetricsEvaluator.
 *
 * Inclusive: false means no row of the file can match (skip the file). Strict: true means every
 * row matches (no row filtering needed; a delete may drop the whole file). Missing metrics never
 * prune (inclusive) and never prove (strict). Bounds exclude NaN; a NaN bound marks unreliable
 * bounds from old writers and is ignored. String upper bounds may be truncated and incremented,
 * which keeps them upper bounds; prefix tests compare bytes only up to the prefix's length.
 */

import { compareValues } from "../spec/compare.ts";
import type { Schema } from "../spec/types.ts";
import { bind } from "./bind.ts";
import type { BoundExpression, BoundPredicate } from "./bound.ts";
import {
  anyWithin,
  boundStartsWith,
  comparePrefix,
  isNaNValue,
  type RangeOp,
  rangeMightMatch,
  utf8,
} from "./bounds.ts";
import type { Expression } from "./expressions.ts";
import { ColumnFacts, type FileMetricsLike } from "./file-metrics.ts";
import { rewriteNot } from "./simplify.ts";
import { evaluateTree } from "./visit.ts";

export type { FileMetricsLike } from "./file-metrics.ts";

type PredicateTest = (pred: BoundPredicate, file: FileMetricsLike) => boolean;

function evaluateWith(test: PredicateTest, expr: BoundExpression, file: FileMetricsLike): boolean {
  return evaluateTree(
    expr,
    (predicate) => test(predicate, file),
    // Callers push NOT down first; evaluating NOT p as "not (might p)" would be unsound.
    (node) => evaluateWith(test, rewriteNot(node), file),
  );
}

/** Whether a file with these metrics may hold rows matching `expr` (false: skip it). */
export function inclusiveMetricsEvaluator(
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): (file: FileMetricsLike) => boolean {
  const bound = bind(schema, rewriteNot(expr), caseSensitive);
  return (file) => {
    if (file.recordCount === 0n) return false;
    // A negative count means "unknown" (files imported without reading them).
    if (file.recordCount < 0n) return true;
    return evaluateWith(rowsMightMatch, bound, file);
  };
}

/** Whether every row of a file with these metrics matches `expr`. */
export function strictMetricsEvaluator(
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): (file: FileMetricsLike) => boolean {
  const bound = bind(schema, rewriteNot(expr), caseSensitive);
  return (file) => file.recordCount === 0n || evaluateWith(rowsMustMatch, bound, file);
}

function rowsMightMatch(pred: BoundPredicate, file: FileMetricsLike): boolean {
  const c = new ColumnFacts(file, pred.ref.fieldId, pred.ref.type);
  switch (pred.op) {
    case "is-null":
      return !c.noNulls;
    case "not-null":
      return !c.onlyNulls;
    case "is-nan":
      return !c.noNaNs && !c.onlyNulls;
    case "not-nan":
      return !c.onlyNaNs;
    case "not-eq":
    case "not-in":
      // Bounds are not necessarily values of the file, so they cannot show every row equals x.
      return true;
    case "not-starts-with": {
      // Null satisfies not-starts-with; otherwise only bounds both starting with the prefix exclude it.
      const lower = c.lowerBytes;
      const upper = c.upperBytes;
      if (!c.noNulls || !lower || !upper) return true;
      const prefix = utf8(pred.value as string);
      return !(boundStartsWith(lower, prefix) && boundStartsWith(upper, prefix));
    }
  }
  // Every remaining op needs a non-null, non-NaN value.
  if (c.onlyNulls || c.onlyNaNs) return false;
  if (pred.op === "starts-with") {
    const prefix = utf8(pred.value as string);
    const lower = c.lowerBytes;
    const upper = c.upperBytes;
    if (lower && comparePrefix(lower, prefix) > 0) return false;
    return !(upper && comparePrefix(upper, prefix) < 0);
  }
  const type = pred.ref.type;
  const lower = c.lower;
  const upper = c.upper;
  return "values" in pred
    ? rangeMightMatch(type, "in", pred.values, lower, upper)
    : rangeMightMatch(type, pred.op as RangeOp, pred.value, lower, upper);
}

function rowsMustMatch(pred: BoundPredicate, file: FileMetricsLike): boolean {
  const c = new ColumnFacts(file, pred.ref.fieldId, pred.ref.type);
  const type = pred.ref.type;
  switch (pred.op) {
    case "is-null":
      return c.onlyNulls;
    case "not-null":
      return c.noNulls;
    case "is-nan":
      return c.onlyNaNs;
    case "not-nan":
      return c.noNaNs || c.onlyNulls;
    case "not-eq":
    case "not-in": {
      // Nulls and NaNs satisfy both; the ordinary values must all lie outside the literals.
      if (c.onlyNulls || c.onlyNaNs) return true;
      const lower = c.lower;
      const upper = c.upper;
      if ((lower === undefined && upper === undefined) || isNaNValue(lower) || isNaNValue(upper)) return false;
      const values = "values" in pred ? pred.values : [pred.value];
      return !anyWithin(type, values, lower, upper);
    }
    case "not-starts-with": {
      if (c.onlyNulls) return true;
      const prefix = utf8(pred.value as string);
      const lower = c.lowerBytes;
      const upper = c.upperBytes;
      // Every value sorts after, or before, all strings with the prefix.
      return (
        (lower !== undefined && comparePrefix(lower, prefix) > 0) ||
        (upper !== undefined && comparePrefix(upper, prefix) < 0)
      );
    }
  }
  // Every remaining op fails on null and NaN, so the file must hold neither.
  if (!c.noNulls || !c.noNaNs) return false;
  if (pred.op === "starts-with") {
    // Strings between two strings that both start with the prefix start with it too.
    const prefix = utf8(pred.value as string);
    const lower = c.lowerBytes;
    const upper = c.upperBytes;
    return (
      lower !== undefined && upper !== undefined && boundStartsWith(lower, prefix) && boundStartsWith(upper, prefix)
    );
  }
  const lower = c.lower;
  const upper = c.upper;
  if (isNaNValue(lower) || isNaNValue(upper)) return false;
  if ("values" in pred) {
    return (
      lower !== undefined &&
      upper !== undefined &&
      compareValues(type, lower, upper) === 0 &&
      anyWithin(type, pred.values, lower, upper)
    );
  }
  const lit = pred.value;
  const lowerIs = (ok: (cmp: number) => boolean) => lower !== undefined && ok(compareValues(type, lower, lit));
  const upperIs = (ok: (cmp: number) => boolean) => upper !== undefined && ok(compareValues(type, upper, lit));
  switch (pred.op) {
    case "lt":
      return upperIs((cmp) => cmp < 0);
    case "lt-eq":
      return upperIs((cmp) => cmp <= 0);
    case "gt":
      return lowerIs((cmp) => cmp > 0);
    case "gt-eq":
      return lowerIs((cmp) => cmp >= 0);
    case "eq":
      return lowerIs((cmp) => cmp === 0) && upperIs((cmp) => cmp === 0);
  }
}
