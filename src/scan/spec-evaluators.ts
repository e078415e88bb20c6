/**
 * The filter's evaluators for one partition spec, built once per spec id within a plan. Manifests
 * and files written under an older spec are judged with that spec's projection (partition
 * evolution), never the table's default one.
 */
import { validation } from "../core/errors.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Schema, Value } from "../spec/types.ts";
import type { Expression } from "../expr/expressions.ts";
import { type PartitionFieldSummaryLike, manifestEvaluator } from "../expr/manifest-evaluator.ts";
import { partitionEvaluator } from "../expr/partition-evaluator.ts";
import { residualEvaluator } from "../expr/residual.ts";
import { partitionKey } from "./partition-key.ts";

/** A spec with lazily built, cached evaluators of one filter. */
export class SpecEvaluators {
  private manifestTest?: (summaries: PartitionFieldSummaryLike[] | undefined) => boolean;
  private partitionTest?: (partition: Value[]) => boolean;
  private residualOf?: (partition: Value[]) => Expression;
  private readonly residuals = new Map<string, Expression>();

  constructor(
    readonly spec: PartitionSpec,
    private readonly schema: Schema,
    private readonly filter: Expression,
    private readonly caseSensitive: boolean,
  ) {}

  /** Whether a manifest with these partition summaries may list matching files. */
  manifestMayMatch(summaries: PartitionFieldSummaryLike[] | undefined): boolean {
    this.manifestTest ??= manifestEvaluator(this.spec, this.schema, this.filter, this.caseSensitive);
    return this.manifestTest(summaries);
  }

  /** Whether a file with this partition tuple may hold matching rows. */
  partitionMayMatch(partition: Value[]): boolean {
    this.partitionTest ??= partitionEvaluator(this.spec, this.schema, this.filter, this.caseSensitive);
    return this.partitionTest(partition);
  }

  /** What of the filter is left to check on the rows of this partition (cached per tuple). */
  residual(partition: Value[]): Expression {
    const key = partitionKey(this.spec["spec-id"], partition);
    let residual = this.residuals.get(key);
    if (residual === undefined) {
      this.residualOf ??= residualEvaluator(this.spec, this.schema, this.filter, this.caseSensitive);
      residual = this.residualOf(partition);
      this.residuals.set(key, residual);
    }
    return residual;
  }
}

/** SpecEvaluators per spec id of one table, for one schema and filter. */
export class SpecEvaluatorCache {
  private readonly bySpecId = new Map<number, SpecEvaluators>();

  constructor(
    private readonly metadata: TableMetadata,
    private readonly schema: Schema,
    private readonly filter: Expression,
    private readonly caseSensitive: boolean,
  ) {}

  /** The evaluators of spec `specId`; `what` names the manifest that asked, for the error. */
  get(specId: number, what: string): SpecEvaluators {
    let evaluators = this.bySpecId.get(specId);
    if (!evaluators) {
      const spec = this.metadata["partition-specs"].find((candidate) => candidate["spec-id"] === specId);
      if (!spec) throw validation(`${what} was written with partition spec ${specId}, which the table metadata lacks`);
      evaluators = new SpecEvaluators(spec, this.schema, this.filter, this.caseSensitive);
      this.bySpecId.set(specId, evaluators);
    }
    return evaluators;
  }
}
