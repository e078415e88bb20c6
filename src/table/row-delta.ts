/**
 * Row-level changes without rewriting data (the reference implementation's RowDelta): one snapshot
 * that adds data files (new and updated rows) and delete files (position or equality deletes of
 * existing rows), and may remove whole data or delete files. Data files go into data manifests,
 * delete files into delete manifests of their own, one per partition spec.
 *
 * Because the deletes were computed against the snapshot the writer read, the commit is validated
 * against everything committed since: data files the position deletes point at must still be live
 * (else the deletes would dangle and the rows survive in a rewritten copy), and, when asked, no
 * concurrent data or delete file may touch the rows the conflict detection filter covers.
 */
import { badInput } from "../core/errors.ts";
import { type Expression, alwaysTrue } from "../expr/expressions.ts";
import {
  type DataFile,
  DataFileContent,
  ManifestContent,
  ManifestEntryStatus,
  type ManifestFile,
} from "../manifest/types.ts";
import type { Operation, Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { ActionTarget, CommitContext } from "./action.ts";
import { FileChangeProducer, type RemovalRule, snapshotManifests } from "./file-change-producer.ts";
import { describeExpression, fileFilter } from "./file-filter.ts";
import { fileKind, livePathsRemovalRule } from "./row-level-rules.ts";
import { branchHead } from "./snapshot-history.ts";
import { type ProducedSnapshot, specById } from "./snapshot-producer.ts";
import { validateNoConflicts } from "./validation.ts";

/** Fluent builder: `table.newRowDelta().addDeletes(posDeletes).addRows(updated).commit()`. */
export class RowDelta extends FileChangeProducer {
  readonly description = "row-delta";
  private readonly deleteFiles: DataFile[] = [];
  private readonly removedData = new Set<string>();
  private readonly removedDeletes = new Set<string>();
  private readonly referenced = new Set<string>();
  private conflictFilter: Expression = alwaysTrue;
  private checkData = false;
  private checkDeletes = false;
  private caseSensitiveBinding = true;
  private startingSnapshotId: bigint | null | undefined;
  private readonly startMetadata: TableMetadata;
  private deleteManifests: ManifestFile[] | null = null;

  constructor(target: ActionTarget) {
    super(target);
    this.startMetadata = target.metadata;
  }

  /** Adds a data file (inserted or updated rows). */
  addRows(file: DataFile): this {
    this.queueFile(file);
    return this;
  }

  /** Adds a position or equality delete file (content 1 or 2), tagged with the default spec unless it says. */
  addDeletes(file: DataFile): this {
    if (file.content === DataFileContent.Data)
      throw badInput(`${this.description}: ${file.filePath} is a data file; add it with addRows`);
    if (file.content === DataFileContent.EqualityDeletes && !(file.equalityIds ?? []).length)
      throw badInput(`${this.description}: equality delete file ${file.filePath} lists no equality field ids`);
    this.deleteFiles.push({ ...file, specId: file.specId ?? this.target.metadata["default-spec-id"] });
    return this;
  }

  /** Removes a whole live data file (e.g. one whose every row is deleted). */
  removeRows(file: DataFile | string): this {
    this.removedData.add(typeof file === "string" ? file : file.filePath);
    return this;
  }

  /** Removes a live delete file (e.g. one whose data file is removed, or that is replaced by a new one). */
  removeDeletes(file: DataFile | string): this {
    this.removedDeletes.add(typeof file === "string" ? file : file.filePath);
    return this;
  }

  /** Validates concurrent commits from this snapshot on instead of from the branch head at creation. */
  validateFromSnapshot(snapshotId: bigint | null): this {
    this.startingSnapshotId = snapshotId;
    return this;
  }

  /** The rows this change read: what validateNoConflicting* compare concurrent files against (default: all). */
  conflictDetectionFilter(expr: Expression): this {
    this.conflictFilter = expr;
    return this;
  }

  /** Whether column names in the conflict filter are matched case-sensitively (default true). */
  caseSensitive(value: boolean): this {
    this.caseSensitiveBinding = value;
    return this;
  }

  /** Fails if a concurrent commit removed one of these data files (those the position deletes reference). */
  validateDataFilesExist(paths: Iterable<string>): this {
    for (const path of paths) this.referenced.add(path);
    return this;
  }

  /** Fails if a concurrent commit added a data file that may hold rows matching the conflict filter (serializable). */
  validateNoConflictingDataFiles(): this {
    this.checkData = true;
    return this;
  }

  /**
   * Fails if a concurrent commit added a delete file that may delete rows matching the conflict
   * filter, or removed a data file that may hold such rows (a concurrent update of the same rows).
   */
  validateNoConflictingDeleteFiles(): this {
    this.checkDeletes = true;
    return this;
  }

  protected mergesManifests(): boolean {
    return true;
  }

  /** As the reference implementation: only deletes is a delete, only new rows an append, else an overwrite. */
  protected operationFor(added: DataFile[], removed: DataFile[]): Operation {
    const deletes = this.deleteFiles.length > 0 || removed.length > 0;
    if (added.length === 0 && deletes) return "delete";
    if (added.length > 0 && !deletes) return "append";
    return "overwrite";
  }

  protected override removalRule(base: TableMetadata, ctx: CommitContext): RemovalRule | null {
    const head = branchHead(base, this.targetBranch);
    const snapshotText = head ? `snapshot ${head["snapshot-id"]}` : "the empty table";
    return livePathsRemovalRule(this.removedData, this.removedDeletes, ctx.tableName, snapshotText);
  }

  protected override async validateConcurrent(
    base: TableMetadata,
    parent: Snapshot | null,
    ctx: CommitContext,
  ): Promise<void> {
    const removing = this.removedData.size + this.removedDeletes.size > 0;
    if (!this.checkData && !this.checkDeletes && this.referenced.size === 0 && !removing) return;
    const start =
      this.startingSnapshotId !== undefined
        ? this.startingSnapshotId
        : (branchHead(this.startMetadata, this.targetBranch)?.["snapshot-id"] ?? null);
    const filter = fileFilter(base, this.conflictFilter, this.caseSensitiveBinding);
    const filterText = describeExpression(this.conflictFilter);
    await validateNoConflicts(base, start, parent, ctx, {
      what: `${this.description} (conflict detection filter ${filterText})`,
      added: (file) => {
        if (file.content === DataFileContent.Data)
          return this.checkData && filter.mayMatch(file)
            ? `it added data file ${file.filePath}, which may hold rows matching ${filterText}`
            : null;
        return this.checkDeletes && filter.partitionMayMatch(file)
          ? `it added ${fileKind(file)} ${file.filePath}, which may delete rows matching ${filterText}`
          : null;
      },
      removed: (file) => {
        const path = file.filePath;
        if (file.content !== DataFileContent.Data)
          return this.removedDeletes.has(path) ? `it already removed ${fileKind(file)} ${path}` : null;
        if (this.referenced.has(path))
          return `it removed data file ${path}, which this change's position deletes reference`;
        if (this.removedData.has(path)) return `it already removed data file ${path}`;
        return this.checkDeletes && filter.mayMatch(file)
          ? `it removed data file ${path}, which may hold rows matching ${filterText}`
          : null;
      },
    });
  }

  protected override async produce(
    base: TableMetadata,
    parent: Snapshot | null,
    ctx: CommitContext,
  ): Promise<ProducedSnapshot> {
    const produced = await super.produce(base, parent, ctx);
    if (this.deleteFiles.length === 0) return produced;
    const deleteManifests = await this.manifestsForDeletes(base, ctx);
    const manifests = [...deleteManifests, ...produced.manifests];
    for (const file of this.deleteFiles) produced.summary.addedFile(file);
    // The manifest counts of the base class did not see the delete manifests; count them again.
    const parentPaths = new Set((parent ? await snapshotManifests(ctx.io, parent) : []).map((m) => m.manifestPath));
    const finalPaths = new Set(manifests.map((m) => m.manifestPath));
    produced.summary.manifests(
      manifests.filter((m) => !parentPaths.has(m.manifestPath)).length,
      manifests.filter((m) => parentPaths.has(m.manifestPath)).length,
      [...parentPaths].filter((path) => !finalPaths.has(path)).length,
    );
    return { ...produced, manifests };
  }

  /** One delete manifest per partition spec for the added delete files; written once and reused on retries. */
  private async manifestsForDeletes(base: TableMetadata, ctx: CommitContext): Promise<ManifestFile[]> {
    if (this.deleteManifests) return this.deleteManifests;
    const bySpec = new Map<number, DataFile[]>();
    for (const file of this.deleteFiles) {
      const specId = file.specId ?? base["default-spec-id"];
      const spec = specById(base, specId);
      if (file.partition.length !== spec.fields.length)
        throw badInput(
          `${ctx.tableName}: delete file ${file.filePath} has ${file.partition.length} partition values but spec ${specId} has ${spec.fields.length} fields`,
        );
      bySpec.set(specId, [...(bySpec.get(specId) ?? []), file]);
    }
    const manifests: ManifestFile[] = [];
    for (const [specId, files] of bySpec) {
      const entries = files.map((dataFile) => ({
        status: ManifestEntryStatus.Added,
        snapshotId: this.snapshotId,
        sequenceNumber: null,
        fileSequenceNumber: null,
        dataFile,
      }));
      manifests.push(await this.writeOwnManifest(ctx, base, specId, ManifestContent.Deletes, entries));
    }
    this.deleteManifests = manifests;
    return manifests;
  }
}
