/**
 * Cherry-picking an append snapshot (e.g. one staged on an audit branch, write-audit-publish) onto
 * a branch. When the snapshot's parent is the branch head, the branch simply moves to it; otherwise
 * its added files are appended again as a new snapshot recording `source-snapshot-id`. Snapshots
 * that removed data are refused: re-applying a removal computed against other data is not safe
 * without the row-level machinery, so that is a clear error rather than a guess.
 */
import { badInput, validation } from "../core/errors.ts";
import { readManifest } from "../manifest/manifest-reader.ts";
import { type DataFile, ManifestEntryStatus } from "../manifest/types.ts";
import type { Operation } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import type { ActionTarget, CommitContext } from "./action.ts";
import { FileChangeProducer, snapshotManifests } from "./file-change-producer.ts";
import { retentionOf, setRef } from "./ref-updates.ts";
import { ancestors, branchHead, snapshotOrThrow } from "./snapshot-history.ts";

/** Summary key naming the snapshot a cherry-picked snapshot copies. */
export const SOURCE_SNAPSHOT_ID = "source-snapshot-id";
/** Summary key carrying the write-audit-publish id of a published snapshot. */
export const PUBLISHED_WAP_ID = "published-wap-id";
const WAP_ID = "wap.id";

/** Re-applies the files added by an append snapshot onto a branch (used by ManageSnapshots.cherrypick). */
export class CherryPick extends FileChangeProducer {
  readonly description = "cherry-pick";
  private files: DataFile[] | null = null;

  constructor(
    target: ActionTarget,
    private readonly sourceId: bigint,
  ) {
    super(target);
    this.set(SOURCE_SNAPSHOT_ID, String(sourceId));
  }

  protected mergesManifests(): boolean {
    return true;
  }

  protected operationFor(): Operation {
    return "append";
  }

  override async prepare(base: TableMetadata, ctx: CommitContext): Promise<TableUpdate[]> {
    const source = snapshotOrThrow(base, this.sourceId, ctx.tableName);
    const operation = source.summary.operation;
    if (operation !== "append")
      throw validation(
        `${ctx.tableName}: cannot cherry-pick snapshot ${this.sourceId}: its operation is ${operation}; only append snapshots can be cherry-picked`,
      );
    const head = branchHead(base, this.targetBranch);
    for (const snapshot of ancestors(base, head)) {
      if (snapshot["snapshot-id"] === this.sourceId)
        throw validation(`${ctx.tableName}: snapshot ${this.sourceId} is already an ancestor of ${this.targetBranch}`);
      if (snapshot.summary[SOURCE_SNAPSHOT_ID] === String(this.sourceId))
        throw validation(
          `${ctx.tableName}: duplicate cherry-pick of snapshot ${this.sourceId}: already applied as snapshot ${snapshot["snapshot-id"]}`,
        );
    }
    const wapId = source.summary[WAP_ID];
    if (wapId !== undefined) this.set(PUBLISHED_WAP_ID, wapId);
    // Fast-forward: the source was committed on top of the current head, so the branch just moves.
    if ((source["parent-snapshot-id"] ?? null) === (head?.["snapshot-id"] ?? null)) {
      const ref = base.refs[this.targetBranch];
      if (ref && ref.type !== "branch") throw badInput(`${ctx.tableName}: ${this.targetBranch} is a tag`);
      return [setRef(this.targetBranch, "branch", this.sourceId, retentionOf(ref))];
    }
    return super.prepare(base, ctx);
  }

  protected override async filesToAdd(base: TableMetadata, ctx: CommitContext): Promise<DataFile[]> {
    if (this.files) return this.files;
    const source = snapshotOrThrow(base, this.sourceId, ctx.tableName);
    const files: DataFile[] = [];
    for (const manifest of await snapshotManifests(ctx.io, source)) {
      if (manifest.addedSnapshotId !== this.sourceId) continue;
      for (const entry of await readManifest(ctx.io, manifest)) {
        if (entry.status === ManifestEntryStatus.Added && entry.snapshotId === this.sourceId)
          files.push(entry.dataFile);
      }
    }
    this.files = files;
    return files;
  }
}
