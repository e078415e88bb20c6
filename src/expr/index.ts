/** Predicates, binding, and the evaluators used for row filtering and pruning. */

export { bind, bindReference } from "./bind.ts";
export * from "./bound.ts";
export * from "./expressions.ts";
export { ABOVE_MAX, BELOW_MIN, type ConvertedLiteral, literalFromValue, toLiteral } from "./literals.ts";
export { manifestEvaluator, type PartitionFieldSummaryLike } from "./manifest-evaluator.ts";
export { type FileMetricsLike, inclusiveMetricsEvaluator, strictMetricsEvaluator } from "./metrics-evaluator.ts";
export { partitionEvaluator } from "./partition-evaluator.ts";
export { inclusiveProjection, strictProjection } from "./projection.ts";
export type { ProjectionMode } from "./projection-rules.ts";
export { residualEvaluator } from "./residual.ts";
export { evaluate, predicateMatches, rowEvaluator, type StructLike, valueAt } from "./row-evaluator.ts";
export { rewriteNot } from "./simplify.ts";
export { expressionToString } from "./to-string.ts";
export { unbind } from "./unbind.ts";
