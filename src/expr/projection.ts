/**
 * Projection of a row filter onto a partition spec: an expression over partition field names.
 * Inclusive: rows matching the filter lie only in partitions matching the projection, so the
 * projection prunes safely. Strict: every row of a partition matching the projection matches the
 * filter, so such partitions need no row filtering (and may be deleted whole).
 */

import type { PartitionSpec } from "../spec/partition-spec.ts";
import { parseTransform } from "../spec/transforms.ts";
import type { Schema } from "../spec/types.ts";
import { bind } from "./bind.ts";
import type { BoundExpression, BoundPredicate } from "./bound.ts";
import { alwaysFalse, alwaysTrue, andOf, type Expression, orOf } from "./expressions.ts";
import { type ProjectionMode, projectPredicate } from "./projection-rules.ts";
import { rewriteNot } from "./simplify.ts";
import { mapPredicates } from "./visit.ts";

/** Projections of one predicate through each partition field built from its column. */
export function projectionsOf(mode: ProjectionMode, spec: PartitionSpec, pred: BoundPredicate): Expression[] {
  const out: Expression[] = [];
  for (const field of spec.fields) {
    if (field["source-id"] !== pred.ref.fieldId || (field["source-ids"]?.length ?? 1) !== 1) continue;
    const projected = projectPredicate(mode, parseTransform(field.transform), field.name, pred);
    if (projected) out.push(projected);
  }
  return out;
}

/** Projects a bound expression whose NOTs are already pushed down. */
export function projectBound(mode: ProjectionMode, spec: PartitionSpec, expr: BoundExpression): Expression {
  return mapPredicates(
    expr,
    (predicate) => {
      const parts = projectionsOf(mode, spec, predicate);
      // Inclusive: each partition field constrains the rows further (and); strict: any one proves it (or).
      return mode === "inclusive"
        ? parts.reduce<Expression>((acc, p) => andOf(acc, p), alwaysTrue)
        : parts.reduce<Expression>((acc, p) => orOf(acc, p), alwaysFalse);
    },
    // Unreachable after rewriteNot; projecting through NOT would swap inclusive and strict.
    (node) => projectBound(mode, spec, rewriteNot(node)),
  );
}

/** Rows matching `expr` lie only in partitions matching the result (an expression over partition field names). */
export function inclusiveProjection(
  spec: PartitionSpec,
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): Expression {
  return projectBound("inclusive", spec, bind(schema, rewriteNot(expr), caseSensitive));
}

/** Every row of a partition matching the result matches `expr`. */
export function strictProjection(
  spec: PartitionSpec,
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): Expression {
  return projectBound("strict", spec, bind(schema, rewriteNot(expr), caseSensitive));
}
