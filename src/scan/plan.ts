/**
 * Scan planning: from table metadata and a filter to the data files to read, each with the delete
 * files that apply to it and the residual filter its rows still need. Pruning goes coarse to fine:
 * manifest-list partition summaries (per the manifest's own spec), then each entry's partition
 * tuple, then its column metrics. Delete manifests are read only when some data file survives, and
 * only those whose deletes are recent enough to apply to one of them.
 */
import { findFieldByName } from "../spec/schema.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Schema } from "../spec/types.ts";
import { validation } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { bind } from "../expr/bind.ts";
import type { BoundExpression } from "../expr/bound.ts";
import { type Expression, alwaysTrue } from "../expr/expressions.ts";
import { type FileMetricsLike, inclusiveMetricsEvaluator } from "../expr/metrics-evaluator.ts";
import { expressionToString } from "../expr/to-string.ts";
import { readManifest } from "../manifest/manifest-reader.ts";
import {
  type DataFile,
  DataFileContent,
  ManifestContent,
  ManifestEntryStatus,
  type ManifestFile,
} from "../manifest/types.ts";
import { mapWithConcurrency } from "./concurrency.ts";
import { DeleteFileIndex, type IndexedDeleteFile } from "./delete-index.ts";
import {
  type FileDecision,
  type ScanExplain,
  describeMetrics,
  describePartition,
  describeSummaries,
  emptyExplain,
  lazyDecision,
  recordFile,
  referencedFieldIds,
} from "./explain.ts";
import { resolveSnapshot, scanSchema } from "./snapshot-selection.ts";
import { hasNoLiveFiles, snapshotManifestFiles } from "./snapshot-manifests.ts";
import { SpecEvaluatorCache } from "./spec-evaluators.ts";

/** Manifests read at once unless ScanOptions.concurrency says otherwise. */
export const DEFAULT_MANIFEST_CONCURRENCY = 8;

/** What to scan: which snapshot (at most one of snapshotId, ref, asOfTimestampMs), which rows, which columns. */
export interface ScanOptions {
  snapshotId?: bigint;
  ref?: string;
  asOfTimestampMs?: number;
  filter?: Expression;
  caseSensitive?: boolean;
  /** Column names to read; the engine uses it, planning checks the names and keeps it. */
  select?: string[];
  /** Manifests read in parallel (default 8). */
  concurrency?: number;
}

/** One data file to read, with its deletes and the filter left for its rows. */
export interface FileScanTask {
  file: DataFile;
  /** Spec the file was written with. */
  spec: PartitionSpec;
  deletes: DataFile[];
  residual: Expression;
  dataSequenceNumber: bigint;
}

/** The result of planning. */
export interface ScanPlan {
  snapshot: Snapshot | null;
  /** The snapshot's schema for time travel (snapshot schema-id), else the current schema. */
  schema: Schema;
  tasks: FileScanTask[];
  /** The selected columns, as given in the options. */
  select?: string[];
  explain: ScanExplain;
}

/** A data file that survived pruning, before its deletes are known. */
interface Candidate {
  file: DataFile;
  specId: number;
  sequence: bigint;
}

/** Everything one planning run shares. */
interface PlanContext {
  io: FileIO;
  schema: Schema;
  filter: Expression;
  bound: BoundExpression;
  filtering: boolean;
  filterText: string;
  caseSensitive: boolean;
  concurrency: number;
  specs: SpecEvaluatorCache;
  explain: ScanExplain;
}

/** Plans a scan of `metadata`'s table: see the file comment. */
export async function planScan(io: FileIO, metadata: TableMetadata, options: ScanOptions = {}): Promise<ScanPlan> {
  const started = performance.now();
  const selected = resolveSnapshot(metadata, options);
  const snapshot = selected.snapshot;
  const schema = scanSchema(metadata, selected);
  const caseSensitive = options.caseSensitive ?? true;
  const filter = options.filter ?? alwaysTrue;
  // Binding first makes a bad filter fail before any I/O, with the column named.
  const bound = bind(schema, filter, caseSensitive);
  for (const name of options.select ?? [])
    if (!findFieldByName(schema, name, caseSensitive))
      throw validation(`scan of ${metadata.location}: selected column ${name} is not in schema ${schema["schema-id"]}`);

  const filterText = expressionToString(bound);
  const explain = emptyExplain(snapshot?.["snapshot-id"] ?? null, filterText);
  const ctx: PlanContext = {
    io,
    schema,
    filter,
    bound,
    filtering: bound.op !== "true",
    filterText,
    caseSensitive,
    concurrency: Math.max(1, options.concurrency ?? DEFAULT_MANIFEST_CONCURRENCY),
    specs: new SpecEvaluatorCache(metadata, schema, filter, caseSensitive),
    explain,
  };
  const tasks = snapshot ? await planSnapshot(ctx, snapshot) : [];
  explain.planningMs = performance.now() - started;
  const plan: ScanPlan = { snapshot, schema, tasks, explain };
  if (options.select) plan.select = [...options.select];
  return plan;
}

async function planSnapshot(ctx: PlanContext, snapshot: Snapshot): Promise<FileScanTask[]> {
  const { explain } = ctx;
  const manifests = await snapshotManifestFiles(ctx.io, snapshot, ctx.concurrency);
  explain.manifests.total = manifests.length;
  const dataManifests = manifests.filter((m) => m.content === ManifestContent.Data);
  const deleteManifests = manifests.filter((m) => m.content === ManifestContent.Deletes);

  const prunedDataDecisions: FileDecision[] = [];
  const candidates = await planDataFiles(ctx, dataManifests, prunedDataDecisions);
  const index = await indexDeleteFiles(ctx, deleteManifests, candidates);

  const applied = new Map<IndexedDeleteFile, number>();
  const tasks = candidates.map((candidate): FileScanTask => {
    const evaluators = ctx.specs.get(candidate.specId, `data file ${candidate.file.filePath}`);
    const deletes = index.entries.forDataFile(candidate.file, evaluators.spec, candidate.sequence);
    for (const entry of deletes) applied.set(entry, (applied.get(entry) ?? 0) + 1);
    const residual = ctx.filtering ? evaluators.residual(candidate.file.partition) : alwaysTrue;
    const why = ctx.filtering ? "partition and metrics may match the filter" : "no filter";
    recordFile(explain, {
      path: candidate.file.filePath,
      kept: true,
      reason: deletes.length ? `${why}; ${deletes.length} delete file(s) apply` : why,
    });
    return {
      file: candidate.file,
      spec: evaluators.spec,
      deletes: deletes.map((entry) => entry.file),
      residual,
      dataSequenceNumber: candidate.sequence,
    };
  });

  for (const decision of prunedDataDecisions) recordFile(explain, decision);
  for (const decision of index.pruned) recordFile(explain, decision);
  for (const entry of index.indexed) {
    const uses = applied.get(entry) ?? 0;
    recordFile(explain, {
      path: entry.file.filePath,
      kept: uses > 0,
      reason:
        uses > 0
          ? `${deleteKind(entry.file)} (sequence number ${entry.sequenceNumber}) apply to ${uses} kept data file(s)`
          : `${deleteKind(entry.file)} (sequence number ${entry.sequenceNumber}) apply to no kept data file (sequence number, partition or file path rule it out)`,
    });
  }
  explain.deleteFiles.kept = applied.size;
  summarizeTotals(explain, snapshot, tasks);
  return tasks;
}

const deleteKind = (file: DataFile): string =>
  file.content === DataFileContent.EqualityDeletes ? "equality deletes" : "position deletes";

/** Records a manifest's fate; true when it is to be read. */
function decideManifest(
  ctx: PlanContext,
  manifest: ManifestFile,
  content: "data" | "deletes",
  skip?: { reason: string; skipped?: boolean },
): boolean {
  const { explain } = ctx;
  const decide = (kept: boolean, reason: string): boolean => {
    explain.manifests.details.push({ path: manifest.manifestPath, content, kept, reason });
    if (kept) explain.manifests.scanned += 1;
    else explain.manifests.pruned += 1;
    return kept;
  };
  if (hasNoLiveFiles(manifest)) return decide(false, "no live files (added 0, existing 0)");
  if (skip) {
    if (skip.skipped) explain.manifests.skippedDeleteManifests = (explain.manifests.skippedDeleteManifests ?? 0) + 1;
    return decide(false, skip.reason);
  }
  if (!ctx.filtering) return decide(true, "no filter");
  const evaluators = ctx.specs.get(manifest.partitionSpecId, `manifest ${manifest.manifestPath}`);
  if (!manifest.partitions) return decide(true, "no partition summary to prune by");
  if (evaluators.spec.fields.length === 0) return decide(true, "unpartitioned: the summary cannot prune");
  if (evaluators.manifestMayMatch(manifest.partitions)) return decide(true, "partition summary may match the filter");
  return decide(
    false,
    `partition summary (spec ${manifest.partitionSpecId}: ${describeSummaries(evaluators.spec, ctx.schema, manifest.partitions)}) excludes ${ctx.filterText}`,
  );
}

/** Reads the surviving data manifests and prunes their live entries by partition, then metrics. */
async function planDataFiles(
  ctx: PlanContext,
  manifests: ManifestFile[],
  pruned: FileDecision[],
): Promise<Candidate[]> {
  const { explain } = ctx;
  const toRead = manifests.filter((manifest) => decideManifest(ctx, manifest, "data"));
  const metricsMayMatch = ctx.filtering ? inclusiveMetricsEvaluator(ctx.schema, ctx.filter, ctx.caseSensitive) : null;
  const filterIds = referencedFieldIds(ctx.bound);
  const perManifest = await mapWithConcurrency(toRead, ctx.concurrency, async (manifest) => {
    const evaluators = ctx.specs.get(manifest.partitionSpecId, `manifest ${manifest.manifestPath}`);
    return { manifest, evaluators, entries: await readManifest(ctx.io, manifest, { spec: evaluators.spec }) };
  });

  const candidates: Candidate[] = [];
  for (const { manifest, evaluators, entries } of perManifest) {
    for (const entry of entries) {
      const file = entry.dataFile;
      if (entry.status === ManifestEntryStatus.Deleted || file.content !== DataFileContent.Data) continue;
      explain.dataFiles.considered += 1;
      explain.bytes.total += file.fileSizeInBytes;
      if (file.recordCount >= 0n) explain.records.total += file.recordCount;
      if (ctx.filtering && !evaluators.partitionMayMatch(file.partition)) {
        explain.dataFiles.prunedByPartition += 1;
        pruned.push(
          lazyDecision(
            file.filePath,
            false,
            () =>
              `partition ${describePartition(evaluators.spec, ctx.schema, file.partition)} excludes ${ctx.filterText}`,
          ),
        );
        continue;
      }
      if (metricsMayMatch && !metricsMayMatch(file)) {
        explain.dataFiles.prunedByMetrics += 1;
        pruned.push(
          lazyDecision(
            file.filePath,
            false,
            () => `metrics (${describeMetrics(ctx.schema, file, filterIds)}) exclude ${ctx.filterText}`,
          ),
        );
        continue;
      }
      explain.dataFiles.kept += 1;
      candidates.push({
        file,
        specId: manifest.partitionSpecId,
        sequence: entry.sequenceNumber ?? manifest.sequenceNumber,
      });
    }
  }
  return candidates;
}

/** A metrics view of a delete file restricted to `ids` (so other columns can neither prune nor prove). */
function restrictMetrics(file: DataFile, ids: Set<number>): FileMetricsLike {
  const only = <V>(map: Map<number, V> | undefined) => map && new Map([...map].filter(([id]) => ids.has(id)));
  return {
    recordCount: file.recordCount,
    valueCounts: only(file.valueCounts),
    nullValueCounts: only(file.nullValueCounts),
    nanValueCounts: only(file.nanValueCounts),
    lowerBounds: only(file.lowerBounds),
    upperBounds: only(file.upperBounds),
  };
}

/** The delete index of a plan plus the decisions about delete files made while building it. */
interface IndexedDeletes {
  entries: DeleteFileIndex;
  indexed: IndexedDeleteFile[];
  pruned: FileDecision[];
}

/**
 * Reads the delete manifests that can matter and indexes their live delete files. A delete file
 * older than every kept data file cannot apply (position deletes need a sequence number >= the data
 * file's, equality deletes >), nor can one whose partition, or for equality deletes whose
 * equality-column metrics, exclude the filter: the rows it could delete are filtered out anyway.
 */
async function indexDeleteFiles(
  ctx: PlanContext,
  manifests: ManifestFile[],
  candidates: Candidate[],
): Promise<IndexedDeletes> {
  const { explain } = ctx;
  const result: IndexedDeletes = { entries: new DeleteFileIndex(ctx.schema), indexed: [], pruned: [] };
  let minSequence: bigint | null = null;
  for (const candidate of candidates)
    if (minSequence === null || candidate.sequence < minSequence) minSequence = candidate.sequence;

  const toRead = manifests.filter((manifest) => {
    if (minSequence === null)
      return decideManifest(ctx, manifest, "deletes", {
        reason: "no data file kept to apply deletes to",
        skipped: true,
      });
    // A manifest's sequence number bounds its entries'; negative means unknown and skips nothing.
    if (manifest.sequenceNumber >= 0n && manifest.sequenceNumber < minSequence)
      return decideManifest(ctx, manifest, "deletes", {
        reason: `deletes (sequence number <= ${manifest.sequenceNumber}) are older than every kept data file (>= ${minSequence})`,
        skipped: true,
      });
    return decideManifest(ctx, manifest, "deletes");
  });
  if (minSequence === null || toRead.length === 0) return result;

  const metricsMayMatch = ctx.filtering ? inclusiveMetricsEvaluator(ctx.schema, ctx.filter, ctx.caseSensitive) : null;
  const perManifest = await mapWithConcurrency(toRead, ctx.concurrency, async (manifest) => {
    const evaluators = ctx.specs.get(manifest.partitionSpecId, `manifest ${manifest.manifestPath}`);
    return { manifest, evaluators, entries: await readManifest(ctx.io, manifest, { spec: evaluators.spec }) };
  });
  for (const { manifest, evaluators, entries } of perManifest) {
    for (const entry of entries) {
      const file = entry.dataFile;
      if (entry.status === ManifestEntryStatus.Deleted || file.content === DataFileContent.Data) continue;
      explain.deleteFiles.considered += 1;
      const sequence = entry.sequenceNumber ?? manifest.sequenceNumber;
      const prune = (reason: string | (() => string)) =>
        result.pruned.push(
          typeof reason === "string"
            ? { path: file.filePath, kept: false, reason }
            : lazyDecision(file.filePath, false, reason),
        );
      if (sequence < minSequence) {
        prune(`${deleteKind(file)} (sequence number ${sequence}) older than every kept data file (>= ${minSequence})`);
        continue;
      }
      if (ctx.filtering && !evaluators.partitionMayMatch(file.partition)) {
        prune(
          () =>
            `${deleteKind(file)}: partition ${describePartition(evaluators.spec, ctx.schema, file.partition)} excludes ${ctx.filterText}`,
        );
        continue;
      }
      if (
        metricsMayMatch &&
        file.content === DataFileContent.EqualityDeletes &&
        !metricsMayMatch(restrictMetrics(file, new Set(file.equalityIds ?? [])))
      ) {
        prune(
          () =>
            `equality deletes: metrics of the equality columns (${describeMetrics(ctx.schema, file, file.equalityIds ?? [])}) exclude ${ctx.filterText}`,
        );
        continue;
      }
      const indexed: IndexedDeleteFile = { file, sequenceNumber: sequence, spec: evaluators.spec };
      result.entries.add(indexed);
      result.indexed.push(indexed);
    }
  }
  return result;
}

/** The kept sums, and the snapshot totals (from its summary when recorded, else the files read). */
function summarizeTotals(explain: ScanExplain, snapshot: Snapshot, tasks: FileScanTask[]): void {
  for (const task of tasks) {
    explain.bytes.kept += task.file.fileSizeInBytes;
    if (task.file.recordCount >= 0n) explain.records.kept += task.file.recordCount;
    else explain.records.unknownKeptFiles += 1;
  }
  const count = (key: string): bigint | undefined => {
    const text = snapshot.summary[key];
    return text !== undefined && /^\d+$/.test(text) ? BigInt(text) : undefined;
  };
  const totalRecords = count("total-records");
  const totalBytes = count("total-files-size");
  if (totalRecords !== undefined && totalBytes !== undefined) {
    explain.records.total = totalRecords;
    explain.bytes.total = totalBytes;
    explain.totalsSource = "snapshot-summary";
  } else {
    explain.totalsSource = "scanned-manifests";
  }
}
