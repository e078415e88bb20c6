/**
 * Which snapshot a scan reads: one picked by id, by ref (branch or tag), as of a point in time
 * (the snapshot that was current then, per the snapshot log, as the reference implementation's
 * time travel does), or the current one. Also which schema that scan sees: time travel reads with
 * the schema the snapshot was written with, a branch (or the current state) with the table's.
 */
import { badInput, notFound, validation } from "../core/errors.ts";
import { MAIN_BRANCH, type Snapshot } from "../spec/snapshot.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Schema } from "../spec/types.ts";

/** How a scan picks its snapshot; at most one may be set, none means the current snapshot. */
export interface SnapshotSelector {
  snapshotId?: bigint;
  ref?: string;
  asOfTimestampMs?: number;
}

/** What was selected and how, so the schema choice can follow the way of selection. */
export interface SelectedSnapshot {
  snapshot: Snapshot | null;
  /** True for time travel (by id, tag or time): the scan uses the snapshot's own schema. */
  timeTravel: boolean;
}

const describeTime = (ms: number): string => {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : `${ms} (${date.toISOString()})`;
};

function snapshotById(metadata: TableMetadata, id: bigint): Snapshot | undefined {
  return metadata.snapshots.find((snapshot) => snapshot["snapshot-id"] === id);
}

/** The snapshot and the way it was selected; see selectSnapshot. */
export function resolveSnapshot(metadata: TableMetadata, selector: SnapshotSelector): SelectedSnapshot {
  const given = (["snapshotId", "ref", "asOfTimestampMs"] as const).filter((key) => selector[key] !== undefined);
  if (given.length > 1)
    throw badInput(
      `scan: choose the snapshot by one of snapshotId, ref or asOfTimestampMs, not ${given.join(" and ")}`,
    );

  if (selector.snapshotId !== undefined) {
    const snapshot = snapshotById(metadata, selector.snapshotId);
    if (!snapshot) throw notFound(`table ${metadata.location}: snapshot ${selector.snapshotId} does not exist`);
    return { snapshot, timeTravel: true };
  }

  if (selector.ref !== undefined) {
    const name = selector.ref;
    const ref = metadata.refs[name];
    if (!ref) {
      // Old metadata may lack a refs map; main is then the current snapshot.
      if (name === MAIN_BRANCH && Object.keys(metadata.refs).length === 0) return currentOf(metadata);
      throw notFound(`table ${metadata.location}: no branch or tag named ${name}`);
    }
    const snapshot = snapshotById(metadata, ref["snapshot-id"]);
    if (!snapshot)
      throw validation(
        `table ${metadata.location}: ${ref.type} ${name} points at missing snapshot ${ref["snapshot-id"]}`,
      );
    return { snapshot, timeTravel: ref.type === "tag" };
  }

  if (selector.asOfTimestampMs !== undefined) {
    const at = selector.asOfTimestampMs;
    if (!Number.isFinite(at)) throw badInput(`scan: asOfTimestampMs must be a finite number, got ${at}`);
    // The log is in commit order; the last entry at or before the time is what was current then.
    let current: bigint | undefined;
    for (const entry of metadata["snapshot-log"]) if (entry["timestamp-ms"] <= at) current = entry["snapshot-id"];
    if (current === undefined) {
      const first = metadata["snapshot-log"][0];
      throw notFound(
        `table ${metadata.location}: no snapshot was current at ${describeTime(at)}` +
          (first
            ? `; the first one became current at ${describeTime(first["timestamp-ms"])}`
            : "; the table has no snapshot history"),
      );
    }
    const snapshot = snapshotById(metadata, current);
    if (!snapshot)
      throw notFound(
        `table ${metadata.location}: snapshot ${current}, current at ${describeTime(at)}, has expired from the metadata`,
      );
    return { snapshot, timeTravel: true };
  }

  return currentOf(metadata);
}

function currentOf(metadata: TableMetadata): SelectedSnapshot {
  const id = metadata["current-snapshot-id"];
  if (id === null) return { snapshot: null, timeTravel: false };
  const snapshot = snapshotById(metadata, id);
  if (!snapshot) throw validation(`table ${metadata.location}: current snapshot ${id} does not exist`);
  return { snapshot, timeTravel: false };
}

/**
 * The snapshot a scan reads: by id, by ref name (branch or tag), as of a time (the snapshot
 * current then per the snapshot log; not-found when the time is before the first one), else the
 * current snapshot. null for a table without snapshots. Errors name the id, ref or time.
 */
export function selectSnapshot(metadata: TableMetadata, options: SnapshotSelector): Snapshot | null {
  return resolveSnapshot(metadata, options).snapshot;
}

/** The schema with this id, or a validation error naming it. */
export function schemaById(metadata: TableMetadata, schemaId: number): Schema {
  const schema = metadata.schemas.find((candidate) => candidate["schema-id"] === schemaId);
  if (!schema) throw validation(`table ${metadata.location}: schema ${schemaId} does not exist`);
  return schema;
}

/**
 * The schema a scan of `selected` sees: the snapshot's schema for time travel (when it records
 * one), otherwise the table's current schema — a branch is read like the table, a tag like history.
 */
export function scanSchema(metadata: TableMetadata, selected: SelectedSnapshot): Schema {
  const snapshotSchemaId = selected.snapshot?.["schema-id"];
  if (selected.timeTravel && snapshotSchemaId !== undefined) return schemaById(metadata, snapshotSchemaId);
  return schemaById(metadata, metadata["current-schema-id"]);
}
