/**
 * The commit path shared by every catalog that stores a metadata pointer itself (SQL, in-memory):
 * check the requirements against the metadata the caller loaded, apply the updates, write a new
 * metadata file, then let the implementation compare-and-swap its pointer. Keeping this in one
 * place means SQLite, PostgreSQL and the in-memory catalog cannot disagree on what a commit is.
 */
import { commitConflict, isFloeError, notFound } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { applyUpdates } from "../spec/apply-updates.ts";
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
  const { identifier, io, current } = input;
  const name = formatTableIdentifier(identifier);
  checkRequirements(current?.metadata ?? null, input.requirements, name);
  // Nothing to change: no new metadata file, as the reference implementation does.
  if (current !== null && input.updates.length === 0) return current;

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
  if (current !== null && metadata === current.metadata) return current;

  // Read before writing anything: a malformed value must fail the commit, not follow a successful swap.
  const deleteAfterCommit = propertyBool(
    metadata.properties,
    METADATA_DELETE_AFTER_COMMIT_ENABLED,
    METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT,
  );

  const expectedLocation = current?.metadataLocation ?? null;
  const newLocation = newMetadataLocation(metadata, expectedLocation);
  await writeMetadataFile(io, newLocation, metadata);

  let swapped: boolean;
  try {
    swapped = await input.swap(expectedLocation, newLocation);
  } catch (error) {
    // These kinds mean the pointer provably did not move, so the new file is garbage; for any other
    // failure the commit may have landed and the file must stay.
    if (isFloeError(error, "already-exists") || isFloeError(error, "commit-conflict")) {
      await deleteQuietly(io, [newLocation]);
    }
    throw error;
  }
  if (!swapped) {
    await deleteQuietly(io, [newLocation]);
    throw commitConflict(
      `table ${name}: metadata location changed concurrently; expected ${expectedLocation ?? "no table"}, commit not applied`,
    );
  }

  if (current !== null && deleteAfterCommit) {
    await deleteQuietly(io, droppedMetadataFiles(current.metadata, metadata));
  }
  return { identifier, metadataLocation: newLocation, metadata, io };
}

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
