/**
 * The shared half of every action that commits a new snapshot (append, overwrite, delete,
 * cherry-pick): a snapshot id fixed for the action's lifetime, the next sequence number, manifests
 * written under the table's metadata folder, a manifest list named per attempt, the summary, and
 * the two updates (add-snapshot, set-snapshot-ref on the target branch). Subclasses only decide
 * which manifests the snapshot lists. Files written by attempts that did not land are deleted
 * once the outcome is known, never before (a later attempt may reuse them).
 */
import { badInput, unsupported, validation } from "../core/errors.ts";
import { newSnapshotId, newUuid } from "../core/ids.ts";
import { writeManifestList } from "../manifest/manifest-list.ts";
import { writeManifest } from "../manifest/manifest-writer.ts";
import type { ManifestContent, ManifestEntry, ManifestFile } from "../manifest/types.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { MAIN_BRANCH, type Operation, type Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import { WRITE_METADATA_LOCATION } from "../spec/table-properties.ts";
import type { Schema } from "../spec/types.ts";
import type { TableUpdate } from "../spec/updates.ts";
import { type ActionTarget, BaseAction, type CommitContext, type CommitOutcome } from "./action.ts";
import { retentionOf, setRef } from "./ref-updates.ts";
import { branchHead, findSnapshot } from "./snapshot-history.ts";
import type { SummaryBuilder } from "./summary.ts";

/** What a subclass decides for one attempt: the operation, the manifests to list, the summary. */
export interface ProducedSnapshot {
  operation: Operation;
  manifests: ManifestFile[];
  summary: SummaryBuilder;
}

/** The folder new metadata files (manifests, manifest lists) go to: write.metadata.path or <location>/metadata. */
export function metadataFolder(metadata: TableMetadata): string {
  const configured = metadata.properties[WRITE_METADATA_LOCATION];
  return (configured ?? `${metadata.location.replace(/\/+$/, "")}/metadata`).replace(/\/+$/, "");
}

/** The partition spec with this id, or a validation error naming it. */
export function specById(metadata: TableMetadata, specId: number): PartitionSpec {
  const spec = metadata["partition-specs"].find((candidate) => candidate["spec-id"] === specId);
  if (!spec) throw validation(`partition spec ${specId} does not exist in table metadata`);
  return spec;
}

/** The table's current schema. */
export function currentSchema(metadata: TableMetadata): Schema {
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === metadata["current-schema-id"]);
  if (!schema) throw validation(`current schema ${metadata["current-schema-id"]} does not exist in table metadata`);
  return schema;
}

/** Base class of the snapshot-producing actions. */
export abstract class SnapshotProducer extends BaseAction {
  /** Fixed across retries so that manifests written for an earlier attempt stay valid. */
  readonly snapshotId: bigint = newSnapshotId();
  protected targetBranch: string = MAIN_BRANCH;
  private readonly properties: Record<string, string> = {};
  private manifestCount = 0;
  private readonly written = new Set<string>();
  private usedByLastAttempt = new Set<string>();

  constructor(target: ActionTarget) {
    super(target);
  }

  /** Commits to `branch` instead of main (created on commit if it does not exist yet). */
  toBranch(branch: string): this {
    if (!branch) throw badInput(`${this.description}: branch name must not be empty`);
    this.targetBranch = branch;
    return this;
  }

  /** Adds a custom property to the snapshot summary. */
  set(key: string, value: string): this {
    this.properties[key] = value;
    return this;
  }

  /** Decides the new snapshot's manifests against `base`, whose branch head is `parent`. */
  protected abstract produce(
    base: TableMetadata,
    parent: Snapshot | null,
    ctx: CommitContext,
    sequenceNumber: bigint,
  ): Promise<ProducedSnapshot>;

  async prepare(base: TableMetadata, ctx: CommitContext): Promise<TableUpdate[]> {
    // floe writes v2 manifests only; putting them into a v1 or v3 table would corrupt it.
    if (base["format-version"] !== 2)
      throw unsupported(
        `${ctx.tableName}: cannot commit ${this.description}: writing snapshots to format v${base["format-version"]} tables is not supported (v2 only)`,
      );
    const ref = base.refs[this.targetBranch];
    if (ref && ref.type !== "branch")
      throw badInput(`${ctx.tableName}: cannot commit ${this.description} to ${this.targetBranch}: it is a tag`);
    if (findSnapshot(base, this.snapshotId))
      throw validation(`${ctx.tableName}: snapshot id ${this.snapshotId} is already in use`);

    const parent = branchHead(base, this.targetBranch);
    const sequenceNumber = base["last-sequence-number"] + 1n;
    const produced = await this.produce(base, parent, ctx, sequenceNumber);
    for (const [key, value] of Object.entries(this.properties)) produced.summary.set(key, value);

    const listPath = `${metadataFolder(base)}/snap-${this.snapshotId}-${ctx.attempt + 1}-${newUuid()}.avro`;
    this.written.add(listPath);
    await writeManifestList(ctx.io, listPath, {
      snapshotId: this.snapshotId,
      parentSnapshotId: parent?.["snapshot-id"] ?? null,
      sequenceNumber,
      manifests: produced.manifests,
    });
    this.usedByLastAttempt = new Set([listPath, ...produced.manifests.map((manifest) => manifest.manifestPath)]);

    const snapshot: Snapshot = {
      "snapshot-id": this.snapshotId,
      "sequence-number": sequenceNumber,
      "timestamp-ms": Math.max(Date.now(), parent ? parent["timestamp-ms"] : 0),
      "manifest-list": listPath,
      summary: produced.summary.build(produced.operation, parent),
      "schema-id": base["current-schema-id"],
    };
    if (parent) snapshot["parent-snapshot-id"] = parent["snapshot-id"];
    return [
      { action: "add-snapshot", snapshot },
      setRef(this.targetBranch, "branch", this.snapshotId, retentionOf(ref)),
    ];
  }

  /** Writes a manifest owned by this snapshot (deleted again if the snapshot never lands). */
  protected async writeOwnManifest(
    ctx: CommitContext,
    base: TableMetadata,
    specId: number,
    content: ManifestContent,
    entries: ManifestEntry[],
  ): Promise<ManifestFile> {
    this.manifestCount += 1;
    const path = `${metadataFolder(base)}/${newUuid()}-m${this.manifestCount - 1}.avro`;
    this.written.add(path);
    return writeManifest(ctx.io, path, {
      spec: specById(base, specId),
      schema: currentSchema(base),
      content,
      snapshotId: this.snapshotId,
      entries,
    });
  }

  /** Whether this producer wrote the file at `path` (as opposed to inheriting it from the parent). */
  protected wroteFile(path: string): boolean {
    return this.written.has(path);
  }

  override async cleanup(outcome: CommitOutcome): Promise<void> {
    if (outcome.state === "unknown") return;
    const committed = outcome.state === "committed" && findSnapshot(outcome.metadata, this.snapshotId) !== undefined;
    const garbage = [...this.written].filter((path) => !committed || !this.usedByLastAttempt.has(path));
    if (garbage.length > 0) await this.target.io.deleteMany(garbage);
  }
}
