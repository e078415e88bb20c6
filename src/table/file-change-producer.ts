/**
 * Snapshots that add and/or remove files (the reference implementation's merging snapshot
 * producer): the parent's manifests are kept as they are unless a removal rule takes files out of
 * them, in which case they are rewritten with those entries DELETED and the rest EXISTING (with
 * explicit sequence numbers, so nothing is re-sequenced); the added files get new manifests of
 * their own, one per partition spec; and, when merging is on, small manifests are combined.
 */
import { badInput, unsupported, validation } from "../core/errors.ts";
import { readManifestList } from "../manifest/manifest-list.ts";
import { readManifest } from "../manifest/manifest-reader.ts";
import {
  type DataFile,
  DataFileContent,
  ManifestContent,
  type ManifestEntry,
  ManifestEntryStatus,
  type ManifestFile,
} from "../manifest/types.ts";
import type { FileIO } from "../io/file-io.ts";
import type { Operation, Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import {
  MANIFEST_MERGE_ENABLED,
  MANIFEST_MERGE_ENABLED_DEFAULT,
  MANIFEST_MIN_MERGE_COUNT,
  MANIFEST_MIN_MERGE_COUNT_DEFAULT,
  MANIFEST_TARGET_SIZE_BYTES,
  MANIFEST_TARGET_SIZE_BYTES_DEFAULT,
  propertyBool,
  propertyInt,
  propertyLong,
} from "../spec/table-properties.ts";
import type { CommitContext } from "./action.ts";
import { type MergeSettings, mergeManifests } from "./manifest-merge.ts";
import { type ProducedSnapshot, SnapshotProducer, specById } from "./snapshot-producer.ts";
import { SummaryBuilder } from "./summary.ts";

/** Which live files of the parent a snapshot removes. */
export interface RemovalRule {
  /** Cheap pre-check on a manifest (e.g. its partition summaries); false skips reading it. */
  mayRemoveFrom(manifest: ManifestFile): boolean;
  /** Whether to remove this live file; throws a validation error when it can neither keep nor remove it. */
  shouldRemove(file: DataFile): boolean;
  /** Called once with every removed file; throws when something the rule required was not found. */
  checkComplete?(removed: DataFile[]): void;
}

/** The manifests of a snapshot (v1 snapshots listing manifests inline are not supported for writes). */
export async function snapshotManifests(io: FileIO, snapshot: Snapshot): Promise<ManifestFile[]> {
  const list = snapshot["manifest-list"];
  if (list === undefined)
    throw unsupported(`snapshot ${snapshot["snapshot-id"]} lists its manifests inline (v1); floe cannot build on it`);
  return readManifestList(io, list);
}

/** The merge settings a table's properties configure, or null when merging is off. */
export function mergeSettings(metadata: TableMetadata): MergeSettings | null {
  if (!propertyBool(metadata.properties, MANIFEST_MERGE_ENABLED, MANIFEST_MERGE_ENABLED_DEFAULT)) return null;
  return {
    targetSizeBytes: propertyLong(metadata.properties, MANIFEST_TARGET_SIZE_BYTES, MANIFEST_TARGET_SIZE_BYTES_DEFAULT),
    minCountToMerge: propertyInt(metadata.properties, MANIFEST_MIN_MERGE_COUNT, MANIFEST_MIN_MERGE_COUNT_DEFAULT),
  };
}

/** Base of append, overwrite, delete, replace-partitions and cherry-pick. */
export abstract class FileChangeProducer extends SnapshotProducer {
  protected readonly addedFiles: DataFile[] = [];
  private newManifests: ManifestFile[] | null = null;
  /** Entries of manifests this producer wrote, so merging need not read them back. */
  private readonly ownEntries = new Map<string, ManifestEntry[]>();
  private readonly filtered = new Map<string, { manifest: ManifestFile; removed: DataFile[] }>();
  private readonly merged = new Map<string, ManifestFile>();

  /** Whether small manifests are merged (per the table properties) or the parent's are kept verbatim. */
  protected abstract mergesManifests(): boolean;
  /** The operation recorded in the summary, given what the snapshot adds and removes. */
  protected abstract operationFor(added: DataFile[], removed: DataFile[]): Operation;

  /** The rule choosing parent files to remove (null: removes nothing). */
  protected removalRule(_base: TableMetadata, _ctx: CommitContext): RemovalRule | null {
    return null;
  }

  /** Conflict validation against what was committed since the action started; throws to abort. */
  protected async validateConcurrent(
    _base: TableMetadata,
    _parent: Snapshot | null,
    _ctx: CommitContext,
  ): Promise<void> {}

  /** The files the snapshot adds (the same list on every attempt). */
  protected async filesToAdd(_base: TableMetadata, _ctx: CommitContext): Promise<DataFile[]> {
    return this.addedFiles;
  }

  /** Queues a data file to add, tagged with the spec it was written for (the default spec unless it says). */
  protected queueFile(file: DataFile): void {
    if (file.content !== DataFileContent.Data)
      throw badInput(`${this.description}: ${file.filePath} is a delete file; only data files can be added here`);
    this.addedFiles.push({ ...file, specId: file.specId ?? this.target.metadata["default-spec-id"] });
  }

  protected async produce(base: TableMetadata, parent: Snapshot | null, ctx: CommitContext): Promise<ProducedSnapshot> {
    await this.validateConcurrent(base, parent, ctx);
    const parentManifests = parent ? await snapshotManifests(ctx.io, parent) : [];
    const rule = this.removalRule(base, ctx);
    const kept: ManifestFile[] = [];
    const removed: DataFile[] = [];
    for (const manifest of parentManifests) {
      if (rule === null || !rule.mayRemoveFrom(manifest)) {
        kept.push(manifest);
        continue;
      }
      const result = await this.filterManifest(manifest, rule, base, ctx);
      kept.push(result.manifest);
      removed.push(...result.removed);
    }
    rule?.checkComplete?.(removed);

    const files = await this.filesToAdd(base, ctx);
    let manifests = [...(await this.manifestsForNewFiles(files, base, ctx)), ...kept];
    const settings = this.mergesManifests() ? mergeSettings(base) : null;
    if (settings) manifests = await mergeManifests(manifests, settings, (bin) => this.mergeBin(bin, base, ctx));

    const summary = new SummaryBuilder();
    for (const file of files) summary.addedFile(file);
    for (const file of removed) summary.removedFile(file);
    const parentPaths = new Set(parentManifests.map((m) => m.manifestPath));
    const finalPaths = new Set(manifests.map((m) => m.manifestPath));
    summary.manifests(
      manifests.filter((m) => !parentPaths.has(m.manifestPath)).length,
      manifests.filter((m) => parentPaths.has(m.manifestPath)).length,
      parentManifests.filter((m) => !finalPaths.has(m.manifestPath)).length,
    );
    return { operation: this.operationFor(files, removed), manifests, summary };
  }

  /** One manifest per partition spec for the added files; written once and reused on retries. */
  private async manifestsForNewFiles(
    files: DataFile[],
    base: TableMetadata,
    ctx: CommitContext,
  ): Promise<ManifestFile[]> {
    if (this.newManifests) return this.newManifests;
    const bySpec = new Map<number, DataFile[]>();
    for (const file of files) {
      const specId = file.specId ?? base["default-spec-id"];
      const spec = specById(base, specId);
      if (file.partition.length !== spec.fields.length)
        throw badInput(
          `${ctx.tableName}: data file ${file.filePath} has ${file.partition.length} partition values but spec ${specId} has ${spec.fields.length} fields`,
        );
      bySpec.set(specId, [...(bySpec.get(specId) ?? []), file]);
    }
    const manifests: ManifestFile[] = [];
    for (const [specId, specFiles] of bySpec) {
      const entries = specFiles.map((dataFile) => ({
        status: ManifestEntryStatus.Added,
        snapshotId: this.snapshotId,
        sequenceNumber: null,
        fileSequenceNumber: null,
        dataFile,
      }));
      manifests.push(await this.writeTracked(ctx, base, specId, ManifestContent.Data, entries));
    }
    this.newManifests = manifests;
    return manifests;
  }

  /** The parent manifest with the rule's files marked DELETED (or the manifest itself when none match). */
  private async filterManifest(
    manifest: ManifestFile,
    rule: RemovalRule,
    base: TableMetadata,
    ctx: CommitContext,
  ): Promise<{ manifest: ManifestFile; removed: DataFile[] }> {
    const cached = this.filtered.get(manifest.manifestPath);
    if (cached) return cached;
    const entries = await readManifest(ctx.io, manifest);
    const live = entries.filter((entry) => entry.status !== ManifestEntryStatus.Deleted);
    const removing = new Set(live.filter((entry) => rule.shouldRemove(entry.dataFile)));
    let result: { manifest: ManifestFile; removed: DataFile[] };
    if (removing.size === 0) {
      result = { manifest, removed: [] };
    } else {
      const rewritten: ManifestEntry[] = live.map((entry) =>
        removing.has(entry)
          ? { ...entry, status: ManifestEntryStatus.Deleted, snapshotId: this.snapshotId }
          : { ...entry, status: ManifestEntryStatus.Existing },
      );
      const written = await this.writeTracked(ctx, base, manifest.partitionSpecId, manifest.content, rewritten);
      result = { manifest: written, removed: [...removing].map((entry) => entry.dataFile) };
    }
    this.filtered.set(manifest.manifestPath, result);
    return result;
  }

  /** Combines a bin of manifests into one: this snapshot's ADDED/DELETED entries stay, everything live becomes EXISTING. */
  private async mergeBin(bin: ManifestFile[], base: TableMetadata, ctx: CommitContext): Promise<ManifestFile> {
    const key = bin.map((m) => m.manifestPath).join("\n");
    const cached = this.merged.get(key);
    if (cached) return cached;
    const entries: ManifestEntry[] = [];
    for (const manifest of bin) {
      for (const entry of this.ownEntries.get(manifest.manifestPath) ?? (await readManifest(ctx.io, manifest))) {
        const ours = entry.snapshotId === this.snapshotId;
        if (entry.status === ManifestEntryStatus.Deleted) {
          if (ours) entries.push(entry);
        } else if (entry.status === ManifestEntryStatus.Added && ours) {
          entries.push({ ...entry, sequenceNumber: null, fileSequenceNumber: null });
        } else {
          if (entry.sequenceNumber === null || entry.fileSequenceNumber === null)
            throw validation(
              `${ctx.tableName}: manifest ${manifest.manifestPath} entry ${entry.dataFile.filePath} has no sequence number`,
            );
          entries.push({ ...entry, status: ManifestEntryStatus.Existing });
        }
      }
    }
    const merged = await this.writeTracked(ctx, base, bin[0].partitionSpecId, bin[0].content, entries);
    this.merged.set(key, merged);
    return merged;
  }

  private async writeTracked(
    ctx: CommitContext,
    base: TableMetadata,
    specId: number,
    content: ManifestContent,
    entries: ManifestEntry[],
  ): Promise<ManifestFile> {
    const manifest = await this.writeOwnManifest(ctx, base, specId, content, entries);
    this.ownEntries.set(manifest.manifestPath, entries);
    return manifest;
  }
}
