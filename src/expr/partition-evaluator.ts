/**
 * Tests a data file's partition tuple against a row filter: false means no row of the file can
 * match, so the file is pruned. Uses the inclusive projection, bound to the partition type.
 */
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { Schema, Value } from "../spec/types.ts";
import { bind } from "./bind.ts";
import type { Expression } from "./expressions.ts";
import { inclusiveProjection } from "./projection.ts";
import { evaluate } from "./row-evaluator.ts";

/** Whether a file with this partition tuple (values in spec field order) may hold rows matching `expr`. */
export function partitionEvaluator(
  spec: PartitionSpec,
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): (partition: Value[]) => boolean {
  const projected = bind(partitionType(spec, schema), inclusiveProjection(spec, schema, expr, caseSensitive));
  return (partition) => evaluate(projected, partition);
}
