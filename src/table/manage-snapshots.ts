/**
 * Moving refs: rollback, setting the current snapshot, creating/replacing/removing/renaming
 * branches and tags, fast-forwarding, retention settings, and cherry-picking. Operations run in
 * the order given, each against the metadata the previous one left, and commit together; each is
 * re-validated on a retry (a rollback target must still be an ancestor of the current snapshot).
 */
import { alreadyExists, badInput, notFound, validation } from "../core/errors.ts";
import { applyUpdates } from "../spec/apply-updates.ts";
import { MAIN_BRANCH, type SnapshotRef } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import { type ActionTarget, BaseAction, type CommitContext, type CommitOutcome } from "./action.ts";
import { CherryPick } from "./cherrypick.ts";
import { type RefRetention, retentionOf, setRef } from "./ref-updates.ts";
import { ancestors, branchHead, isAncestor, snapshotOrThrow } from "./snapshot-history.ts";

type Operation = (base: TableMetadata, ctx: CommitContext) => Promise<TableUpdate[]> | TableUpdate[];

const requireRef = (base: TableMetadata, name: string, type: "branch" | "tag", tableName: string): SnapshotRef => {
  const ref = base.refs[name];
  if (!ref) throw notFound(`${tableName}: ${type} ${name} does not exist`);
  if (ref.type !== type) throw badInput(`${tableName}: ${name} is a ${ref.type}, not a ${type}`);
  return ref;
};

const requireAbsent = (base: TableMetadata, name: string, tableName: string): void => {
  if (!name) throw badInput(`${tableName}: ref name must not be empty`);
  if (base.refs[name]) throw alreadyExists(`${tableName}: ref ${name} already exists (a ${base.refs[name].type})`);
};

/** The snapshot a new ref points at: the given one (must exist) or the current one (must exist). */
const targetSnapshot = (base: TableMetadata, snapshotId: bigint | undefined, tableName: string, what: string) => {
  if (snapshotId !== undefined) return snapshotOrThrow(base, snapshotId, tableName)["snapshot-id"];
  const current = base["current-snapshot-id"];
  if (current === null) throw validation(`${tableName}: cannot ${what}: the table has no current snapshot`);
  return current;
};

/** Fluent builder: `table.manageSnapshots().rollbackTo(id).createTag("v1", id).commit()`. */
export class ManageSnapshots extends BaseAction {
  readonly description = "manage-snapshots";
  private readonly operations: Operation[] = [];
  private readonly cherryPicks: CherryPick[] = [];

  constructor(target: ActionTarget) {
    super(target);
  }

  private add(operation: Operation): this {
    this.operations.push(operation);
    return this;
  }

  /** Makes `snapshotId` (any existing snapshot) the current snapshot of main. */
  setCurrentSnapshot(snapshotId: bigint): this {
    return this.add((base, ctx) => {
      snapshotOrThrow(base, snapshotId, ctx.tableName);
      return [setRef(MAIN_BRANCH, "branch", snapshotId, retentionOf(base.refs[MAIN_BRANCH]))];
    });
  }

  /** Rolls main back to `snapshotId`, which must be an ancestor of the current snapshot. */
  rollbackTo(snapshotId: bigint): this {
    return this.add((base, ctx) => {
      snapshotOrThrow(base, snapshotId, ctx.tableName);
      const current = base["current-snapshot-id"];
      if (current === null || !isAncestor(base, current, snapshotId))
        throw validation(
          `${ctx.tableName}: cannot roll back to snapshot ${snapshotId}: it is not an ancestor of the current snapshot ${current ?? "(none)"}`,
        );
      return [setRef(MAIN_BRANCH, "branch", snapshotId, retentionOf(base.refs[MAIN_BRANCH]))];
    });
  }

  /** Rolls main back to its latest ancestor committed strictly before `timestampMs`. */
  rollbackToTime(timestampMs: number): this {
    return this.add((base, ctx) => {
      const target = [...ancestors(base, branchHead(base, MAIN_BRANCH))].find(
        (snapshot) => snapshot["timestamp-ms"] < timestampMs,
      );
      if (!target)
        throw validation(
          `${ctx.tableName}: cannot roll back to ${timestampMs}: no ancestor of the current snapshot is older`,
        );
      return [setRef(MAIN_BRANCH, "branch", target["snapshot-id"], retentionOf(base.refs[MAIN_BRANCH]))];
    });
  }

  /** Creates a branch at `snapshotId` (default: the current snapshot). */
  createBranch(name: string, snapshotId?: bigint, retention: RefRetention = {}): this {
    return this.add((base, ctx) => {
      requireAbsent(base, name, ctx.tableName);
      const id = targetSnapshot(base, snapshotId, ctx.tableName, `create branch ${name}`);
      return [setRef(name, "branch", id, retention)];
    });
  }

  /** Creates a tag at `snapshotId` (default: the current snapshot); tags keep only maxRefAgeMs. */
  createTag(name: string, snapshotId?: bigint, retention: Pick<RefRetention, "maxRefAgeMs"> = {}): this {
    return this.add((base, ctx) => {
      requireAbsent(base, name, ctx.tableName);
      const id = targetSnapshot(base, snapshotId, ctx.tableName, `create tag ${name}`);
      return [setRef(name, "tag", id, retention)];
    });
  }

  /** Points an existing branch at `snapshotId`, or at the head of branch `source` when given a name. */
  replaceBranch(name: string, to: bigint | string): this {
    return this.add((base, ctx) => {
      const ref = requireRef(base, name, "branch", ctx.tableName);
      const id =
        typeof to === "string"
          ? requireRef(base, to, "branch", ctx.tableName)["snapshot-id"]
          : snapshotOrThrow(base, to, ctx.tableName)["snapshot-id"];
      return [setRef(name, "branch", id, retentionOf(ref))];
    });
  }

  /** Points an existing tag at `snapshotId`. */
  replaceTag(name: string, snapshotId: bigint): this {
    return this.add((base, ctx) => {
      const ref = requireRef(base, name, "tag", ctx.tableName);
      snapshotOrThrow(base, snapshotId, ctx.tableName);
      return [setRef(name, "tag", snapshotId, retentionOf(ref))];
    });
  }

  /** Moves branch `name` forward to the head of `to`; its head must be an ancestor of `to`'s (created when missing). */
  fastForward(name: string, to: string): this {
    return this.add((base, ctx) => {
      const target = requireRef(base, to, "branch", ctx.tableName)["snapshot-id"];
      const ref = base.refs[name];
      if (ref === undefined) return [setRef(name, "branch", target)];
      requireRef(base, name, "branch", ctx.tableName);
      if (!isAncestor(base, target, ref["snapshot-id"]))
        throw validation(
          `${ctx.tableName}: cannot fast-forward ${name} to ${to}: ${name}'s snapshot ${ref["snapshot-id"]} is not an ancestor of ${to}'s snapshot ${target}`,
        );
      return [setRef(name, "branch", target, retentionOf(ref))];
    });
  }

  /** Removes a branch (never main). */
  removeBranch(name: string): this {
    return this.add((base, ctx) => {
      if (name === MAIN_BRANCH) throw badInput(`${ctx.tableName}: the main branch cannot be removed`);
      requireRef(base, name, "branch", ctx.tableName);
      return [{ action: "remove-snapshot-ref", "ref-name": name }];
    });
  }

  /** Removes a tag. */
  removeTag(name: string): this {
    return this.add((base, ctx) => {
      requireRef(base, name, "tag", ctx.tableName);
      return [{ action: "remove-snapshot-ref", "ref-name": name }];
    });
  }

  /** Renames a branch (never main), keeping its snapshot and retention. */
  renameBranch(name: string, newName: string): this {
    return this.add((base, ctx) => {
      if (name === MAIN_BRANCH) throw badInput(`${ctx.tableName}: the main branch cannot be renamed`);
      const ref = requireRef(base, name, "branch", ctx.tableName);
      requireAbsent(base, newName, ctx.tableName);
      return [
        setRef(newName, "branch", ref["snapshot-id"], retentionOf(ref)),
        { action: "remove-snapshot-ref", "ref-name": name },
      ];
    });
  }

  /** Changes a branch's min-snapshots-to-keep. */
  setMinSnapshotsToKeep(name: string, count: number): this {
    return this.retention(name, "branch", { minSnapshotsToKeep: count });
  }

  /** Changes a branch's max-snapshot-age-ms. */
  setMaxSnapshotAgeMs(name: string, ageMs: number): this {
    return this.retention(name, "branch", { maxSnapshotAgeMs: ageMs });
  }

  /** Changes a ref's max-ref-age-ms. */
  setMaxRefAgeMs(name: string, ageMs: number): this {
    return this.add((base, ctx) => {
      const ref = base.refs[name];
      if (!ref) throw notFound(`${ctx.tableName}: ref ${name} does not exist`);
      return [setRef(name, ref.type, ref["snapshot-id"], { ...retentionOf(ref), maxRefAgeMs: ageMs })];
    });
  }

  /** Re-applies append snapshot `snapshotId` onto main (or `branch`); see CherryPick. */
  cherrypick(snapshotId: bigint, branch: string = MAIN_BRANCH): this {
    const pick = new CherryPick(this.target, snapshotId).toBranch(branch);
    this.cherryPicks.push(pick);
    return this.add((base, ctx) => pick.prepare(base, ctx));
  }

  private retention(name: string, type: "branch", change: RefRetention): this {
    return this.add((base, ctx) => {
      const ref = requireRef(base, name, type, ctx.tableName);
      return [setRef(name, type, ref["snapshot-id"], { ...retentionOf(ref), ...change })];
    });
  }

  async prepare(base: TableMetadata, ctx: CommitContext): Promise<TableUpdate[]> {
    const updates: TableUpdate[] = [];
    let metadata = base;
    for (const operation of this.operations) {
      const next = await operation(metadata, ctx);
      if (next.length === 0) continue;
      metadata = applyUpdates(metadata, next, {});
      for (const update of next) {
        if (update.action === "add-snapshot") ctx.stagedSnapshotIds.add(update.snapshot["snapshot-id"]);
      }
      updates.push(...next);
    }
    return updates;
  }

  override async cleanup(outcome: CommitOutcome): Promise<void> {
    for (const pick of this.cherryPicks) await pick.cleanup(outcome);
  }
}
