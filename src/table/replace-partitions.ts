/**
 * Dynamic partition overwrite: the partitions the new files belong to are replaced wholesale
 * (every live data and delete file in them removed), other partitions are untouched. On an
 * unpartitioned spec that means the whole table. A concurrent commit that added or removed files
 * in one of those partitions since the action started fails it.
 */
import type { DataFile } from "../manifest/types.ts";
import type { Operation, Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import { partitionPath } from "../spec/partitioning.ts";
import type { ActionTarget, CommitContext } from "./action.ts";
import { FileChangeProducer, type RemovalRule } from "./file-change-producer.ts";
import { partitionKey } from "./partition-key.ts";
import { partitionConflictRules, partitionRemovalRule } from "./removal-rules.ts";
import { branchHead } from "./snapshot-history.ts";
import { currentSchema, specById } from "./snapshot-producer.ts";
import { validateNoConflicts } from "./validation.ts";

/** Fluent builder: `table.newReplacePartitions().addFile(f).commit()`. */
export class ReplacePartitions extends FileChangeProducer {
  readonly description = "replace-partitions";
  private readonly startMetadata: TableMetadata;
  private startingSnapshotId: bigint | null | undefined;

  constructor(target: ActionTarget) {
    super(target);
    this.startMetadata = target.metadata;
  }

  /** Adds a data file; its partition is replaced. */
  addFile(file: DataFile): this {
    this.queueFile(file);
    return this;
  }

  /** Adds several data files. */
  addFiles(files: Iterable<DataFile>): this {
    for (const file of files) this.queueFile(file);
    return this;
  }

  /** Validates concurrent commits from this snapshot on instead of from the branch head at creation. */
  validateFromSnapshot(snapshotId: bigint): this {
    this.startingSnapshotId = snapshotId;
    return this;
  }

  private keys(): Set<string> {
    return new Set(this.addedFiles.map((file) => partitionKey(file.specId ?? 0, file.partition)));
  }

  protected mergesManifests(): boolean {
    return true;
  }

  protected operationFor(): Operation {
    return "overwrite";
  }

  protected override removalRule(): RemovalRule | null {
    return this.addedFiles.length === 0 ? null : partitionRemovalRule(this.keys());
  }

  protected override async validateConcurrent(
    base: TableMetadata,
    parent: Snapshot | null,
    ctx: CommitContext,
  ): Promise<void> {
    if (this.addedFiles.length === 0) return;
    const start =
      this.startingSnapshotId !== undefined
        ? this.startingSnapshotId
        : (branchHead(this.startMetadata, this.targetBranch)?.["snapshot-id"] ?? null);
    const schema = currentSchema(base);
    const describe = (file: DataFile) => {
      const spec = specById(base, file.specId ?? 0);
      return spec.fields.length === 0 ? "(unpartitioned)" : partitionPath(spec, schema, file.partition);
    };
    await validateNoConflicts(
      base,
      start,
      parent,
      ctx,
      partitionConflictRules(this.description, this.keys(), describe),
    );
  }
}
