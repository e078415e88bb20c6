/** Predicates, binding, and the evaluators used for row filtering and pruning. */
export * from "./expressions.ts";
export * from "./bound.ts";
export { bind, bindReference } from "./bind.ts";
export { ABOVE_MAX, BELOW_MIN, type ConvertedLiteral, literalFromValue, toLiteral } from "./literals.ts";
export { rewriteNot } from "./simplify.ts";
export { type StructLike, evaluate, predicateMatches, rowEvaluator, valueAt } from "./row-evaluator.ts";
export type { ProjectionMode } from "./projection-rules.ts";
export { inclusiveProjection, strictProjection } from "./projection.ts";
export { partitionEvaluator } from "./partition-evaluator.ts";
export { type PartitionFieldSummaryLike, manifestEvaluator } from "./manifest-evaluator.ts";
export { type FileMetricsLike, inclusiveMetricsEvaluator, strictMetricsEvaluator } from "./metrics-evaluator.ts";
export { residualEvaluator } from "./residual.ts";
export { unbind } from "./unbind.ts";
export { expressionToString } from "./to-string.ts";
