/**
 * Replacing a set of files by another in one snapshot. As compaction (operation "replace", the
 * default) the rows stay the same and only their layout changes; as copy-on-write DML
 * (`asOverwrite()`, operation "overwrite" — the reference implementation's OverwriteFiles with its
 * validations) the new files hold the old rows minus deleted ones plus updated ones.
 *
 * Either way the removed files were read at some snapshot, so the commit always fails when a
 * concurrent commit removed one of them, or added a delete file that may apply to one of them
 * (the rewritten copy would resurrect the rows it deletes). DML additionally asks, through the
 * conflict detection filter, that no concurrent commit added data matching the rows it read
 * (serializable isolation) or deleted such rows.
 */
import { type Expression, alwaysTrue } from "../expr/expressions.ts";
import { type DataFile, DataFileContent } from "../manifest/types.ts";
import type { Operation, Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { ActionTarget, CommitContext } from "./action.ts";
import { FileChangeProducer, type RemovalRule } from "./file-change-producer.ts";
import { describeExpression, fileFilter } from "./file-filter.ts";
import { deleteMayApplyTo, fileKind, livePathsRemovalRule } from "./row-level-rules.ts";
import { branchHead } from "./snapshot-history.ts";
import { validateNoConflicts } from "./validation.ts";

/** Fluent builder: `table.newRewriteFiles().rewriteFiles(oldFiles, newFiles).commit()`. */
export class RewriteFiles extends FileChangeProducer {
  readonly description = "rewrite-files";
  /** Removed data files by path (the DataFile when the caller gave it, for conflict checks). */
  private readonly removedData = new Map<string, DataFile | null>();
  private readonly removedDeletes = new Set<string>();
  private overwrite = false;
  private conflictFilter: Expression = alwaysTrue;
  private checkData = false;
  private checkDeletes = false;
  private caseSensitiveBinding = true;
  private startingSnapshotId: bigint | null | undefined;
  private readonly startMetadata: TableMetadata;

  constructor(target: ActionTarget) {
    super(target);
    this.startMetadata = target.metadata;
  }

  /** Removes a live data or delete file (by DataFile, or by path for a data file). */
  deleteFile(file: DataFile | string): this {
    if (typeof file === "string") this.removedData.set(file, null);
    else if (file.content === DataFileContent.Data) this.removedData.set(file.filePath, file);
    else this.removedDeletes.add(file.filePath);
    return this;
  }

  /** Adds a data file. */
  addFile(file: DataFile): this {
    this.queueFile(file);
    return this;
  }

  /** Adds several data files. */
  addFiles(files: Iterable<DataFile>): this {
    for (const file of files) this.queueFile(file);
    return this;
  }

  /** Removes `removed` and adds `added` in one snapshot. */
  rewriteFiles(removed: Iterable<DataFile | string>, added: Iterable<DataFile>): this {
    for (const file of removed) this.deleteFile(file);
    return this.addFiles(added);
  }

  /** Records the change as an "overwrite" (rows changed, e.g. copy-on-write DML) rather than a "replace". */
  asOverwrite(): this {
    this.overwrite = true;
    return this;
  }

  /** Validates concurrent commits from this snapshot on instead of from the branch head at creation. */
  validateFromSnapshot(snapshotId: bigint | null): this {
    this.startingSnapshotId = snapshotId;
    return this;
  }

  /** The rows the change read: what validateNoConflicting* compare concurrent files against (default: all). */
  conflictDetectionFilter(expr: Expression): this {
    this.conflictFilter = expr;
    return this;
  }

  /** Whether column names in the conflict filter are matched case-sensitively (default true). */
  caseSensitive(value: boolean): this {
    this.caseSensitiveBinding = value;
    return this;
  }

  /** Fails if a concurrent commit added a data file that may hold rows matching the conflict filter. */
  validateNoConflictingData(): this {
    this.checkData = true;
    return this;
  }

  /** Fails if a concurrent commit added a delete file, or removed a data file, that may touch rows matching the conflict filter. */
  validateNoConflictingDeletes(): this {
    this.checkDeletes = true;
    return this;
  }

  protected mergesManifests(): boolean {
    return true;
  }

  protected operationFor(added: DataFile[], removed: DataFile[]): Operation {
    if (!this.overwrite) return "replace";
    if (added.length === 0 && removed.length > 0) return "delete";
    if (added.length > 0 && removed.length === 0) return "append";
    return "overwrite";
  }

  protected override removalRule(base: TableMetadata, ctx: CommitContext): RemovalRule | null {
    const head = branchHead(base, this.targetBranch);
    const snapshotText = head ? `snapshot ${head["snapshot-id"]}` : "the empty table";
    return livePathsRemovalRule(new Set(this.removedData.keys()), this.removedDeletes, ctx.tableName, snapshotText);
  }

  protected override async validateConcurrent(
    base: TableMetadata,
    parent: Snapshot | null,
    ctx: CommitContext,
  ): Promise<void> {
    if (this.removedData.size === 0 && this.removedDeletes.size === 0 && !this.checkData) return;
    const start =
      this.startingSnapshotId !== undefined
        ? this.startingSnapshotId
        : (branchHead(this.startMetadata, this.targetBranch)?.["snapshot-id"] ?? null);
    const filter = fileFilter(base, this.conflictFilter, this.caseSensitiveBinding);
    const filterText = describeExpression(this.conflictFilter);
    const rewritten = [...this.removedData].map(([path, file]) => file ?? path);
    await validateNoConflicts(base, start, parent, ctx, {
      what: this.overwrite
        ? `${this.description} (copy-on-write, conflict detection filter ${filterText})`
        : this.description,
      added: (file) => {
        if (file.content === DataFileContent.Data)
          return this.checkData && filter.mayMatch(file)
            ? `it added data file ${file.filePath}, which may hold rows matching ${filterText}`
            : null;
        const target = rewritten.find((data) => deleteMayApplyTo(base, file, data));
        if (target !== undefined)
          return `it added ${fileKind(file)} ${file.filePath}, which may delete rows of rewritten data file ${
            typeof target === "string" ? target : target.filePath
          }`;
        return this.checkDeletes && filter.partitionMayMatch(file)
          ? `it added ${fileKind(file)} ${file.filePath}, which may delete rows matching ${filterText}`
          : null;
      },
      removed: (file) => {
        const path = file.filePath;
        if (file.content !== DataFileContent.Data)
          return this.removedDeletes.has(path) ? `it already removed ${fileKind(file)} ${path}` : null;
        if (this.removedData.has(path)) return `it already removed data file ${path}`;
        return this.checkDeletes && filter.mayMatch(file)
          ? `it removed data file ${path}, which may hold rows matching ${filterText}`
          : null;
      },
    });
  }
}
