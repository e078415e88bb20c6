/**
 * Tests a manifest's partition field summaries against a row filter: false means no data file
 * listed in the manifest can hold matching rows, so the manifest is not even read. The filter is
 * projected inclusively onto the manifest's partition spec and checked against each partition
 * field's null/NaN flags and value bounds, as the reference implementation's ManifestEvaluator.
 */

import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { Schema } from "../spec/types.ts";
import { bind } from "./bind.ts";
import type { BoundExpression, BoundPredicate } from "./bound.ts";
import { boundStartsWith, comparePrefix, decodeBound, type RangeOp, rangeMightMatch, utf8 } from "./bounds.ts";
import type { Expression } from "./expressions.ts";
import { isFloatingType } from "./literals.ts";
import { inclusiveProjection } from "./projection.ts";
import { evaluateTree } from "./visit.ts";

/** A manifest-list partition field summary (structurally the manifest module's FieldSummary). */
export interface PartitionFieldSummaryLike {
  containsNull: boolean;
  containsNan?: boolean;
  lowerBound?: Uint8Array;
  upperBound?: Uint8Array;
}

/** Whether a manifest with these partition summaries (in spec field order) may list files with matching rows. */
export function manifestEvaluator(
  spec: PartitionSpec,
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): (partitions: PartitionFieldSummaryLike[] | undefined) => boolean {
  const projected = bind(partitionType(spec, schema), inclusiveProjection(spec, schema, expr, caseSensitive));
  return (partitions) => partitions === undefined || mightMatch(projected, partitions);
}

function mightMatch(expr: BoundExpression, summaries: PartitionFieldSummaryLike[]): boolean {
  return evaluateTree(
    expr,
    (predicate) => {
      const summary = summaries[predicate.ref.path[0]];
      return summary === undefined || predicateMightMatch(predicate, summary);
    },
    // Projections never contain NOT; answering "might" is always safe.
    () => true,
  );
}

function predicateMightMatch(pred: BoundPredicate, summary: PartitionFieldSummaryLike): boolean {
  const type = pred.ref.type;
  // The lower bound is absent exactly when every value is null or NaN.
  const noOrdinaryValues = summary.lowerBound === undefined;
  switch (pred.op) {
    case "is-null":
      return summary.containsNull;
    case "not-null": {
      // All null needs no NaN either; for floats that is known only when containsNan says so.
      const allNull =
        summary.containsNull && noOrdinaryValues && (!isFloatingType(type) || summary.containsNan === false);
      return !allNull;
    }
    case "is-nan":
      return summary.containsNan !== false;
    case "not-nan":
      return !(summary.containsNan === true && !summary.containsNull && noOrdinaryValues);
    case "not-eq":
    case "not-in":
      return true;
    case "not-starts-with": {
      if (summary.containsNull || !summary.lowerBound || !summary.upperBound) return true;
      const prefix = utf8(pred.value as string);
      return !(boundStartsWith(summary.lowerBound, prefix) && boundStartsWith(summary.upperBound, prefix));
    }
  }
  // Every remaining op needs a non-null, non-NaN value.
  if (noOrdinaryValues) return false;
  if (pred.op === "starts-with") {
    const prefix = utf8(pred.value as string);
    if (comparePrefix(summary.lowerBound!, prefix) > 0) return false;
    return summary.upperBound === undefined || comparePrefix(summary.upperBound, prefix) >= 0;
  }
  const lower = decodeBound(type, summary.lowerBound);
  const upper = decodeBound(type, summary.upperBound);
  return "values" in pred
    ? rangeMightMatch(type, "in", pred.values, lower, upper)
    : rangeMightMatch(type, pred.op as RangeOp, pred.value, lower, upper);
}
