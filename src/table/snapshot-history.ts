/** Walking a table's snapshot lineage: by id, by ref, ancestors, and the snapshots between two points. */
import { notFound, validation } from "../core/errors.ts";
import type { Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";

/** The snapshot with this id, or undefined. */
export const findSnapshot = (metadata: TableMetadata, id: bigint): Snapshot | undefined =>
  metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === id);

/** The snapshot with this id, or a not-found error naming it. */
export function snapshotOrThrow(metadata: TableMetadata, id: bigint, tableName = "table"): Snapshot {
  const snapshot = findSnapshot(metadata, id);
  if (!snapshot) throw notFound(`${tableName}: snapshot ${id} does not exist`);
  return snapshot;
}

/**
 * The snapshot a commit to `branch` builds on: the branch's head, or (for a branch that does not
 * exist yet) the current snapshot of main, which the new branch forks from.
 */
export function branchHead(metadata: TableMetadata, branch: string): Snapshot | null {
  const ref = metadata.refs[branch];
  const id = ref ? ref["snapshot-id"] : metadata["current-snapshot-id"];
  return id === null ? null : (findSnapshot(metadata, id) ?? null);
}

/** `snapshot` and its ancestors, newest first, as far as the metadata still holds them. */
export function* ancestors(metadata: TableMetadata, snapshot: Snapshot | null): Generator<Snapshot> {
  const seen = new Set<bigint>();
  let current = snapshot ?? undefined;
  while (current && !seen.has(current["snapshot-id"])) {
    seen.add(current["snapshot-id"]);
    yield current;
    const parent = current["parent-snapshot-id"];
    current = parent === undefined ? undefined : findSnapshot(metadata, parent);
  }
}

/** Whether `ancestorId` is `snapshotId` or one of its ancestors. */
export function isAncestor(metadata: TableMetadata, snapshotId: bigint, ancestorId: bigint): boolean {
  for (const snapshot of ancestors(metadata, findSnapshot(metadata, snapshotId) ?? null)) {
    if (snapshot["snapshot-id"] === ancestorId) return true;
  }
  return false;
}

/**
 * The snapshots committed on top of `fromId` (exclusive) up to `head` (inclusive), oldest first.
 * With fromId null, the whole lineage of head. Throws validation when fromId is not in head's
 * lineage: the history between them is then unknown (e.g. a concurrent rollback).
 */
export function snapshotsSince(
  metadata: TableMetadata,
  fromId: bigint | null,
  head: Snapshot | null,
  tableName = "table",
): Snapshot[] {
  const result: Snapshot[] = [];
  for (const snapshot of ancestors(metadata, head)) {
    if (snapshot["snapshot-id"] === fromId) return result.reverse();
    result.push(snapshot);
  }
  if (fromId === null) return result.reverse();
  throw validation(
    `${tableName}: cannot determine the history between starting snapshot ${fromId} and ${
      head ? `snapshot ${head["snapshot-id"]}` : "an empty branch"
    }: the starting snapshot is no longer an ancestor`,
  );
}
