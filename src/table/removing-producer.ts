/**
 * What overwrite and delete share: files removed by filter (whole files only) or by path, and
 * validation against concurrent commits since the snapshot the action started from (the branch
 * head when the action was created, unless validateFromSnapshot says otherwise).
 */
import type { DataFile } from "../manifest/types.ts";
import type { Expression } from "../expr/expressions.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { ActionTarget, CommitContext } from "./action.ts";
import { FileChangeProducer, type RemovalRule } from "./file-change-producer.ts";
import { describeExpression } from "./file-filter.ts";
import { eitherRule, filterRemovalRule, pathRemovalRule, removalConflictRules } from "./removal-rules.ts";
import { branchHead } from "./snapshot-history.ts";
import { validateNoConflicts } from "./validation.ts";

/** Base of Overwrite and DeleteFiles. */
export abstract class RemovingProducer extends FileChangeProducer {
  protected readonly filters: Expression[] = [];
  protected readonly paths = new Set<string>();
  private caseSensitiveBinding = true;
  private startingSnapshotId: bigint | null | undefined;
  /** The table as the caller saw it when creating the action: what its filter was written against. */
  private readonly startMetadata: TableMetadata;

  constructor(target: ActionTarget) {
    super(target);
    this.startMetadata = target.metadata;
  }

  /** Whether column names in filters are matched case-sensitively (default true). */
  caseSensitive(value: boolean): this {
    this.caseSensitiveBinding = value;
    return this;
  }

  /** Validates concurrent commits from this snapshot on instead of from the branch head at creation. */
  validateFromSnapshot(snapshotId: bigint): this {
    this.startingSnapshotId = snapshotId;
    return this;
  }

  protected removeByFilter(expr: Expression): void {
    this.filters.push(expr);
  }

  protected removeByPath(file: string | DataFile): void {
    this.paths.add(typeof file === "string" ? file : file.filePath);
  }

  protected override removalRule(base: TableMetadata, ctx: CommitContext): RemovalRule | null {
    const name = ctx.tableName;
    const head = branchHead(base, this.targetBranch);
    const snapshotText = head ? `snapshot ${head["snapshot-id"]}` : "the empty table";
    return eitherRule([
      ...this.filters.map((expr) => filterRemovalRule(base, expr, this.caseSensitiveBinding, name)),
      ...(this.paths.size > 0 ? [pathRemovalRule(this.paths, name, snapshotText)] : []),
    ]);
  }

  protected override async validateConcurrent(
    base: TableMetadata,
    parent: Snapshot | null,
    ctx: CommitContext,
  ): Promise<void> {
    if (this.filters.length === 0 && this.paths.size === 0) return;
    const start =
      this.startingSnapshotId !== undefined
        ? this.startingSnapshotId
        : (branchHead(this.startMetadata, this.targetBranch)?.["snapshot-id"] ?? null);
    const what = [
      this.description,
      ...this.filters.map((expr) => `by filter ${describeExpression(expr)}`),
      ...(this.paths.size > 0 ? [`of ${this.paths.size} file(s) by path`] : []),
    ].join(" ");
    await validateNoConflicts(
      base,
      start,
      parent,
      ctx,
      removalConflictRules(what, base, this.filters, this.paths, this.caseSensitiveBinding),
    );
  }
}
