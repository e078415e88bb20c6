/**
 * The explain side of a scan plan: counts of what was read, kept and pruned at each level, and
 * for every manifest and (the first EXPLAIN_FILE_LIMIT) files the reason it was kept or pruned,
 * in words a user can check against the filter ("partition event_time_day=2025-01-01 excludes
 * ..."). Reasons describe the metadata that decided, not the evaluator's internal steps.
 */
import { fromBytes } from "../spec/conversions.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import { findFieldById } from "../spec/schema.ts";
import { parseTransform } from "../spec/transforms.ts";
import { type IcebergType, type Schema, type Value, isPrimitive } from "../spec/types.ts";
import type { BoundExpression } from "../expr/bound.ts";
import { asLogical, isPredicate } from "../expr/expressions.ts";
import { formatValue } from "../expr/literals.ts";
import type { DataFile, FieldSummary } from "../manifest/types.ts";

/** How many per-file reasons an explain keeps; the rest are only counted (filesOmitted). */
export const EXPLAIN_FILE_LIMIT = 1000;

/** Why one manifest was read or skipped. */
export interface ManifestDecision {
  path: string;
  content: "data" | "deletes";
  kept: boolean;
  reason: string;
}

/** Why one data or delete file was kept or pruned. */
export interface FileDecision {
  path: string;
  kept: boolean;
  reason: string;
}

/**
 * What a plan did. Manifest counts: total = scanned + pruned, where pruned includes the delete
 * manifests skipped without reading (skippedDeleteManifests). Data files: considered =
 * prunedByPartition + prunedByMetrics + kept. Delete files: considered = live delete files read;
 * kept = those applying to at least one task.
 */
export interface ScanExplain {
  snapshotId: bigint | null;
  filter: string;
  manifests: {
    total: number;
    pruned: number;
    scanned: number;
    skippedDeleteManifests?: number;
    details: ManifestDecision[];
  };
  dataFiles: { considered: number; prunedByPartition: number; prunedByMetrics: number; kept: number };
  deleteFiles: { considered: number; kept: number };
  /** Data files first, then delete files, up to EXPLAIN_FILE_LIMIT entries. */
  files: FileDecision[];
  /** Decisions left out of `files` by the limit. */
  filesOmitted: number;
  /**
   * Kept: the kept data files' sizes and record counts. Total: the snapshot's totals from its
   * summary when it records them ("snapshot-summary"), else the sums over the data files read.
   */
  bytes: { kept: bigint; total: bigint };
  records: {
    kept: bigint;
    total: bigint;
    /** Kept files whose record count is unknown (negative), left out of `kept`. */
    unknownKeptFiles: number;
  };
  totalsSource: "snapshot-summary" | "scanned-manifests" | "none";
  planningMs: number;
}

/** An explain with nothing counted yet. */
export function emptyExplain(snapshotId: bigint | null, filter: string): ScanExplain {
  return {
    snapshotId,
    filter,
    manifests: { total: 0, pruned: 0, scanned: 0, skippedDeleteManifests: 0, details: [] },
    dataFiles: { considered: 0, prunedByPartition: 0, prunedByMetrics: 0, kept: 0 },
    deleteFiles: { considered: 0, kept: 0 },
    files: [],
    filesOmitted: 0,
    bytes: { kept: 0n, total: 0n },
    records: { kept: 0n, total: 0n, unknownKeptFiles: 0 },
    totalsSource: "none",
    planningMs: 0,
  };
}

/**
 * A decision whose reason is put into words only when read: describing a file's partition and
 * metrics costs more than pruning it, and most plans prune far more files than anyone reads about.
 * `reason` is a memoizing getter on the class (an own accessor per object costs ~10x more to
 * create); toJSON keeps it in JSON output.
 */
class LazyFileDecision implements FileDecision {
  readonly #describe: () => string;
  #described: string | undefined;

  constructor(
    readonly path: string,
    readonly kept: boolean,
    describe: () => string,
  ) {
    this.#describe = describe;
  }

  get reason(): string {
    this.#described ??= this.#describe();
    return this.#described;
  }

  toJSON(): FileDecision {
    return { path: this.path, kept: this.kept, reason: this.reason };
  }
}

/** A file decision whose reason `describe` computes on first read (see LazyFileDecision). */
export function lazyDecision(path: string, kept: boolean, describe: () => string): FileDecision {
  return new LazyFileDecision(path, kept, describe);
}

/** Records a file decision, counting it as omitted beyond the limit. */
export function recordFile(explain: ScanExplain, decision: FileDecision): void {
  if (explain.files.length < EXPLAIN_FILE_LIMIT) explain.files.push(decision);
  else explain.filesOmitted += 1;
}

/** Human text of a partition value (transform-aware: days print as dates), tolerant of odd values. */
function humanPartitionValue(transformText: string, type: IcebergType, value: Value): string {
  try {
    return parseTransform(transformText).toHumanString(type, value);
  } catch {
    return String(value);
  }
}

/** "event_time_day=2025-01-01, bucket=3" for a partition tuple of `spec`. */
export function describePartition(spec: PartitionSpec, schema: Schema, partition: Value[]): string {
  if (spec.fields.length === 0) return "unpartitioned";
  const types = partitionType(spec, schema).fields;
  return spec.fields
    .map((field, i) => `${field.name}=${humanPartitionValue(field.transform, types[i].type, partition[i] ?? null)}`)
    .join(", ");
}

/** "event_time_day 2025-01-01..2025-01-03 (has nulls)" for a manifest's partition summaries. */
export function describeSummaries(spec: PartitionSpec, schema: Schema, summaries: FieldSummary[]): string {
  const types = partitionType(spec, schema).fields;
  return spec.fields
    .map((field, i) => {
      const summary = summaries[i];
      if (!summary) return `${field.name} unknown`;
      const type = types[i].type;
      const bound = (bytes: Uint8Array | undefined): string => {
        if (!bytes || !isPrimitive(type)) return "?";
        try {
          return humanPartitionValue(field.transform, type, fromBytes(type, bytes));
        } catch {
          return "?";
        }
      };
      const range =
        summary.lowerBound === undefined && summary.upperBound === undefined
          ? "no values"
          : `${bound(summary.lowerBound)}..${bound(summary.upperBound)}`;
      const extras = [summary.containsNull ? "nulls" : "", summary.containsNan ? "NaNs" : ""].filter(Boolean);
      return `${field.name} ${range}${extras.length ? ` (with ${extras.join(", ")})` : ""}`;
    })
    .join(", ");
}

/** The field ids a bound filter reads, in first-use order. */
export function referencedFieldIds(expr: BoundExpression): number[] {
  const ids: number[] = [];
  const walk = (e: BoundExpression): void => {
    if (isPredicate(e)) {
      if (!ids.includes(e.ref.fieldId)) ids.push(e.ref.fieldId);
      return;
    }
    const node = asLogical(e);
    if (node.op === "and" || node.op === "or") {
      walk(node.left);
      walk(node.right);
    } else if (node.op === "not") walk(node.child);
  };
  walk(expr);
  return ids;
}

/** "element_id 1..100, nulls 0/1000" for the columns `ids` of a file's metrics. */
export function describeMetrics(schema: Schema, file: DataFile, ids: number[]): string {
  const parts = ids.map((id) => {
    const field = findFieldById(schema, id);
    const name = field?.name ?? `field ${id}`;
    const type = field && isPrimitive(field.type) ? field.type : undefined;
    const bound = (bytes: Uint8Array | undefined): string => {
      if (!bytes || !type) return "?";
      try {
        return formatValue(type, fromBytes(type, bytes));
      } catch {
        return "?";
      }
    };
    const lower = file.lowerBounds?.get(id);
    const upper = file.upperBounds?.get(id);
    const facts = [lower || upper ? `${bound(lower)}..${bound(upper)}` : "no bounds"];
    const values = file.valueCounts?.get(id);
    const nulls = file.nullValueCounts?.get(id);
    const nans = file.nanValueCounts?.get(id);
    if (nulls !== undefined) facts.push(`nulls ${nulls}${values !== undefined ? `/${values}` : ""}`);
    if (nans !== undefined) facts.push(`NaNs ${nans}`);
    return `${name} ${facts.join(", ")}`;
  });
  return `${parts.join("; ")}; ${file.recordCount} records`;
}
