/**
 * A row filter applied to whole files, as removal needs it: may a file hold matching rows
 * (inclusive partition projection and inclusive metrics), do all its rows match (strict partition
 * projection or strict metrics), and may a manifest list such files (its partition summaries).
 * Evaluators are built once per partition spec, since files of older specs stay in the table.
 */
import { bind } from "../expr/bind.ts";
import type { Expression } from "../expr/expressions.ts";
import { manifestEvaluator } from "../expr/manifest-evaluator.ts";
import { inclusiveMetricsEvaluator, strictMetricsEvaluator } from "../expr/metrics-evaluator.ts";
import { partitionEvaluator } from "../expr/partition-evaluator.ts";
import { strictProjection } from "../expr/projection.ts";
import { evaluate } from "../expr/row-evaluator.ts";
import { expressionToString } from "../expr/to-string.ts";
import type { DataFile, ManifestFile } from "../manifest/types.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Value } from "../spec/types.ts";
import { currentSchema, specById } from "./snapshot-producer.ts";

/** Whole-file questions about one row filter. */
export interface FileFilter {
  /** Whether the manifest may list files with matching rows. */
  manifestMayMatch(manifest: ManifestFile): boolean;
  /** Whether the file may hold matching rows (its partition and metrics allow it). */
  mayMatch(file: DataFile): boolean;
  /** Whether every row of the file matches (proved by its partition or its metrics). */
  allMatch(file: DataFile): boolean;
  /** Whether the file's partition may hold matching rows. */
  partitionMayMatch(file: DataFile): boolean;
  /** Whether every row of the file's partition matches. */
  partitionAllMatch(file: DataFile): boolean;
}

interface SpecEvaluators {
  manifest: (partitions: ManifestFile["partitions"]) => boolean;
  inclusive: (partition: Value[]) => boolean;
  strict: (partition: Value[]) => boolean;
}

/** The file-level view of `expr` over `metadata`'s current schema and partition specs. */
export function fileFilter(metadata: TableMetadata, expr: Expression, caseSensitive = true): FileFilter {
  const schema = currentSchema(metadata);
  const bySpec = new Map<number, SpecEvaluators>();
  const forSpec = (specId: number): SpecEvaluators => {
    let evaluators = bySpec.get(specId);
    if (!evaluators) {
      const spec = specById(metadata, specId);
      const strict = bind(partitionType(spec, schema), strictProjection(spec, schema, expr, caseSensitive));
      evaluators = {
        manifest: manifestEvaluator(spec, schema, expr, caseSensitive),
        inclusive: partitionEvaluator(spec, schema, expr, caseSensitive),
        strict: (partition) => evaluate(strict, partition),
      };
      bySpec.set(specId, evaluators);
    }
    return evaluators;
  };
  const metricsMayMatch = inclusiveMetricsEvaluator(schema, expr, caseSensitive);
  const metricsAllMatch = strictMetricsEvaluator(schema, expr, caseSensitive);
  const specOf = (file: DataFile) => file.specId ?? metadata["default-spec-id"];
  const partitionMayMatch = (file: DataFile) => forSpec(specOf(file)).inclusive(file.partition);
  const partitionAllMatch = (file: DataFile) => forSpec(specOf(file)).strict(file.partition);
  return {
    manifestMayMatch: (manifest) => forSpec(manifest.partitionSpecId).manifest(manifest.partitions),
    mayMatch: (file) => partitionMayMatch(file) && metricsMayMatch(file),
    allMatch: (file) => partitionAllMatch(file) || metricsAllMatch(file),
    partitionMayMatch,
    partitionAllMatch,
  };
}

/** The filter as text for messages. */
export const describeExpression = (expr: Expression): string => expressionToString(expr);
