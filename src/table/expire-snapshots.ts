/**
 * Snapshot expiry, metadata side: which snapshots and refs go is decided by
 * spec/expire-snapshots (ref retention honoured), and committed as remove-snapshot-ref plus
 * remove-snapshots. The requirements assert every ref, so a concurrent commit that moves a ref
 * makes expiry recompute instead of removing a snapshot that just became reachable. Deleting the
 * files left unreferenced is maintenance's job; `commitWithResult` reports which they are.
 */
import { readManifest } from "../manifest/manifest-reader.ts";
import { ManifestEntryStatus, type ManifestFile } from "../manifest/types.ts";
import { type ExpireSnapshotsOptions, selectSnapshotsToExpire } from "../spec/expire-snapshots.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import type { FileIO } from "../io/file-io.ts";
import { type ActionTarget, BaseAction, type CommitContext } from "./action.ts";
import { snapshotManifests } from "./file-change-producer.ts";

/** What an expiry removed, and the files no remaining snapshot references any more. */
export interface ExpireSnapshotsResult {
  expiredSnapshotIds: bigint[];
  removedRefs: string[];
  /** Manifest lists of the expired snapshots. */
  manifestLists: string[];
  /** Manifests only expired snapshots listed. */
  manifests: string[];
  /** Data and delete files only those manifests referenced. */
  dataFiles: string[];
}

/** Fluent builder: `table.expireSnapshots().expireOlderThan(ms).retainLast(5).commit()`. */
export class ExpireSnapshots extends BaseAction {
  readonly description = "expire-snapshots";
  private readonly options: ExpireSnapshotsOptions = {};
  private lastSelection: { base: TableMetadata; snapshotIds: bigint[]; refsToRemove: string[] } | null = null;

  constructor(target: ActionTarget) {
    super(target);
  }

  /** Expires snapshots older than this time (ms since epoch) that no ref retention protects. */
  expireOlderThan(timestampMs: number): this {
    this.options.olderThanMs = timestampMs;
    return this;
  }

  /** Keeps at least this many snapshots per branch. */
  retainLast(count: number): this {
    this.options.retainLast = count;
    return this;
  }

  /** Expires this snapshot explicitly (fails if a kept ref points at it). */
  expireSnapshotId(snapshotId: bigint): this {
    this.options.snapshotIds = [...(this.options.snapshotIds ?? []), snapshotId];
    return this;
  }

  /** Pins the clock used for ages (tests, reproducible runs). */
  now(nowMs: number): this {
    this.options.nowMs = nowMs;
    return this;
  }

  async prepare(base: TableMetadata, _ctx: CommitContext): Promise<TableUpdate[]> {
    const selection = selectSnapshotsToExpire(base, this.options);
    this.lastSelection = { base, ...selection };
    const updates: TableUpdate[] = selection.refsToRemove.map((name) => ({
      action: "remove-snapshot-ref",
      "ref-name": name,
    }));
    if (selection.snapshotIds.length > 0)
      updates.push({ action: "remove-snapshots", "snapshot-ids": selection.snapshotIds });
    return updates;
  }

  /** Commits, then reports what was expired and which files became unreferenced (not in a transaction). */
  async commitWithResult(): Promise<ExpireSnapshotsResult> {
    const table = await this.commit();
    const selection = this.lastSelection;
    if (!selection) return { expiredSnapshotIds: [], removedRefs: [], manifestLists: [], manifests: [], dataFiles: [] };
    const expired = new Set(selection.snapshotIds);
    const expiredSnapshots = selection.base.snapshots.filter((s) => expired.has(s["snapshot-id"]));
    const files = await unreferencedFiles(table.io, expiredSnapshots, table.metadata.snapshots);
    return { expiredSnapshotIds: selection.snapshotIds, removedRefs: selection.refsToRemove, ...files };
  }
}

async function manifestsOf(io: FileIO, snapshots: Snapshot[]): Promise<Map<string, ManifestFile>> {
  const manifests = new Map<string, ManifestFile>();
  for (const snapshot of snapshots) {
    if (snapshot["manifest-list"] === undefined) continue;
    for (const manifest of await snapshotManifests(io, snapshot)) manifests.set(manifest.manifestPath, manifest);
  }
  return manifests;
}

/** Files reachable from `expired` and from none of `retained`. */
async function unreferencedFiles(
  io: FileIO,
  expired: Snapshot[],
  retained: Snapshot[],
): Promise<Pick<ExpireSnapshotsResult, "manifestLists" | "manifests" | "dataFiles">> {
  const keptLists = new Set(retained.map((s) => s["manifest-list"]));
  const manifestLists = expired
    .map((s) => s["manifest-list"])
    .filter((p): p is string => p !== undefined && !keptLists.has(p));
  const keptManifests = await manifestsOf(io, retained);
  const expiredManifests = [...(await manifestsOf(io, expired)).values()].filter(
    (m) => !keptManifests.has(m.manifestPath),
  );
  const candidates = new Set<string>();
  for (const manifest of expiredManifests) {
    for (const entry of await readManifest(io, manifest)) candidates.add(entry.dataFile.filePath);
  }
  if (candidates.size > 0) {
    for (const manifest of keptManifests.values()) {
      // A DELETED entry does not keep a file: no retained snapshot can read it.
      for (const entry of await readManifest(io, manifest)) {
        if (entry.status !== ManifestEntryStatus.Deleted) candidates.delete(entry.dataFile.filePath);
      }
    }
  }
  return { manifestLists, manifests: expiredManifests.map((m) => m.manifestPath), dataFiles: [...candidates] };
}
