/**
 * The commit path shared by every catalog that stores a metadata pointer itself (SQL, in-memory):
 * check the requirements against the metadata the caller loaded, apply the updates, write a new
 * metadata file, then let the implementation compare-and-swap its pointer. Keeping this in one
 * place means SQLite, PostgreSQL and the in-memory catalog cannot disagree on what a commit is.
 */
import { badInput, commitConflict, isFloeError, notFound } from "../core/errors.ts";
import { newUuid } from "../core/ids.ts";
import { syncDeferredWrites } from "../io/deferred-sync.ts";
import type { FileIO } from "../io/file-io.ts";
import { applyUpdates } from "../spec/apply-updates.ts";
import { PARTITION_DATA_ID_START } from "../spec/partition-spec.ts";
import { checkRequirements } from "../spec/requirements.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import {
  METADATA_DELETE_AFTER_COMMIT_ENABLED,
  METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT,
  propertyBool,
} from "../spec/table-properties.ts";
import type { TableRequirement, TableUpdate } from "../spec/updates.ts";
import type { LoadedTable, TableIdentifier } from "./catalog.ts";
import { formatTableIdentifier } from "./identifiers.ts";
import { newMetadataLocation, writeMetadataFile } from "./metadata-files.ts";

/**
 * Moves the table's pointer from `expectedLocation` (null: the table must not exist yet) to
 * `newLocation` atomically. Returns false when the pointer was not at `expectedLocation`. May throw
 * already-exists or commit-conflict when it knows nothing was changed; any other error means the
 * outcome is unknown.
 */
export type SwapMetadataPointer = (expectedLocation: string | null, newLocation: string) => Promise<boolean>;

/** Everything one commit needs. */
export interface CommitTableInput {
  identifier: TableIdentifier;
  io: FileIO;
  /** The table as loaded before this commit, or null when the commit creates it. */
  current: LoadedTable | null;
  /** For a create (current is null): the metadata the updates apply to, e.g. from newTableMetadata. */
  createBase?: TableMetadata;
  requirements: TableRequirement[];
  updates: TableUpdate[];
  swap: SwapMetadataPointer;
  /** Clock for last-updated-ms and the metadata-log entry; tests pin it. */
  nowMs?: number;
}

/**
 * Commits and returns the table as it is after the commit. commit-conflict (retryable) when a
 * requirement fails or the pointer moved since `current` was loaded; the caller reloads and retries.
 */
export async function commitTable(input: CommitTableInput): Promise<LoadedTable> {
  const prepared = await prepareCommit(input);
  if (prepared.newLocation === null) return prepared.result;
  let swapped: boolean;
  try {
    swapped = await input.swap(prepared.expectedLocation, prepared.newLocation);
  } catch (error) {
    // These kinds mean the pointer provably did not move, so the new file is garbage; for any other
    // failure the commit may have landed and the file must stay.
    if (isFloeError(error, "already-exists") || isFloeError(error, "commit-conflict")) await abandonCommit(prepared);
    throw error;
  }
  if (!swapped) {
    await abandonCommit(prepared);
    throw commitConflict(
      `table ${formatTableIdentifier(input.identifier)}: metadata location changed concurrently; expected ${prepared.expectedLocation ?? "no table"}, commit not applied`,
    );
  }
  return finishCommit(prepared);
}

/**
 * A commit whose requirements hold and whose new metadata file is written, waiting for its pointer
 * swap. Multi-table transactions prepare every table first, then swap all pointers at once.
 */
export interface PreparedCommit {
  /** The pointer the swap must find (null: the table must not exist yet). */
  expectedLocation: string | null;
  /** The written metadata file the swap moves the pointer to; null when the commit changes nothing. */
  newLocation: string | null;
  /** The table as it is once the swap succeeded (or as it is, when nothing changes). */
  result: LoadedTable;
  /** The metadata the commit started from (null for a create). */
  previous: TableMetadata | null;
  deleteAfterCommit: boolean;
}

/**
 * Checks the requirements, applies the updates and writes the new metadata file, without touching
 * the pointer. commit-conflict naming the failing requirement; nothing is written when one fails.
 */
export async function prepareCommit(input: Omit<CommitTableInput, "swap">): Promise<PreparedCommit> {
  const { identifier, io, current } = input;
  const name = formatTableIdentifier(identifier);
  checkRequirements(current?.metadata ?? null, input.requirements, name);
  const unchanged = (table: LoadedTable): PreparedCommit => ({
    expectedLocation: table.metadataLocation,
    newLocation: null,
    result: table,
    previous: table.metadata,
    deleteAfterCommit: false,
  });
  // Nothing to change: no new metadata file, as the reference implementation does.
  if (current !== null && input.updates.length === 0) return unchanged(current);

  const base = current?.metadata ?? input.createBase;
  if (base === undefined) throw notFound(`table ${name} does not exist`);
  const metadata =
    current === null && input.updates.length === 0
      ? base
      : applyUpdates(base, input.updates, {
          nowMs: input.nowMs,
          previousMetadataLocation: current?.metadataLocation,
        });
  // applyUpdates hands back its base when the updates change nothing (e.g. setting a property to
  // its current value): then there is nothing to commit either.
  if (current !== null && metadata === current.metadata) return unchanged(current);

  // Read before writing anything: a malformed value must fail the commit, not follow a successful swap.
  const deleteAfterCommit = propertyBool(
    metadata.properties,
    METADATA_DELETE_AFTER_COMMIT_ENABLED,
    METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT,
  );

  const expectedLocation = current?.metadataLocation ?? null;
  const newLocation = newMetadataLocation(metadata, expectedLocation);
  await writeMetadataFile(io, newLocation, metadata);
  // The barrier before publishing: this commit's data files, manifests and metadata file become durable.
  await syncDeferredWrites();
  return {
    expectedLocation,
    newLocation,
    result: { identifier, metadataLocation: newLocation, metadata, io },
    previous: current?.metadata ?? null,
    deleteAfterCommit,
  };
}

/** After a successful swap: drops metadata files the new log no longer lists (when the table asks for it). */
export async function finishCommit(prepared: PreparedCommit): Promise<LoadedTable> {
  if (prepared.previous !== null && prepared.deleteAfterCommit) {
    await deleteQuietly(prepared.result.io, droppedMetadataFiles(prepared.previous, prepared.result.metadata));
  }
  return prepared.result;
}

/** After a swap that provably did not happen: deletes the metadata file the commit wrote. */
export async function abandonCommit(prepared: PreparedCommit): Promise<void> {
  if (prepared.newLocation !== null) await deleteQuietly(prepared.result.io, [prepared.newLocation]);
}

/**
 * The base a staged create's updates apply to (REST `stage-create`, then a commit with
 * `assert-create`): a table with no schema, spec or sort order yet, in the format version the
 * updates upgrade to (default 2), so the updates alone (add-schema, set-current-schema, add-spec,
 * ..., set-location) build the initial metadata exactly as the client saw it. The uuid is left
 * empty when the updates assign one. `location` is the default location, used unless a
 * set-location update moves it.
 */
export function emptyTableMetadata(location: string, updates: TableUpdate[]): TableMetadata {
  const upgrade = updates.find((u) => u.action === "upgrade-format-version");
  const version = upgrade?.action === "upgrade-format-version" ? upgrade["format-version"] : 2;
  const assignsUuid = updates.some((u) => u.action === "assign-uuid");
  const metadata: TableMetadata = {
    "format-version": (version >= 1 && version <= 3 ? version : 2) as TableMetadata["format-version"],
    "table-uuid": assignsUuid ? "" : newUuid(),
    location,
    "last-sequence-number": 0n,
    "last-updated-ms": Date.now(),
    "last-column-id": 0,
    schemas: [],
    "current-schema-id": -1,
    "partition-specs": [],
    "default-spec-id": -1,
    "last-partition-id": PARTITION_DATA_ID_START - 1,
    properties: {},
    "current-snapshot-id": null,
    snapshots: [],
    "snapshot-log": [],
    "metadata-log": [],
    "sort-orders": [],
    "default-sort-order-id": -1,
    refs: {},
    statistics: [],
    "partition-statistics": [],
  };
  if (metadata["format-version"] >= 3) metadata["next-row-id"] = 0n;
  return metadata;
}

/** bad-input when a multi-table transaction names a table twice (its commits would race each other). */
export function rejectDuplicateTables(commits: { identifier: TableIdentifier }[]): void {
  const seen = new Set<string>();
  for (const { identifier } of commits) {
    const name = formatTableIdentifier(identifier);
    if (seen.has(name)) throw badInput(`transaction: table ${name} appears more than once; merge its changes`);
    seen.add(name);
  }
}

/** True when the requirements make the commit a create (REST `assert-create`). */
export const isCreateCommit = (requirements: TableRequirement[]): boolean =>
  requirements.some((r) => r.type === "assert-create");

/** Metadata files the previous metadata's log listed that the new log no longer does. */
export function droppedMetadataFiles(previous: TableMetadata, next: TableMetadata): string[] {
  const kept = new Set(next["metadata-log"].map((entry) => entry["metadata-file"]));
  return previous["metadata-log"].map((entry) => entry["metadata-file"]).filter((file) => !kept.has(file));
}

/** Cleanup is best effort: the commit already succeeded (or already failed) and must report that, not this. */
async function deleteQuietly(io: FileIO, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  try {
    await io.deleteMany(paths);
  } catch {
    // Leftover files are orphans that orphan-file cleanup removes later.
  }
}
