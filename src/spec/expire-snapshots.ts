/**
 * Which snapshots and refs a snapshot expiry removes, by the spec's "Snapshot Retention Policy"
 * (and the reference implementation's RemoveSnapshots): refs other than main whose snapshot is
 * older than their max-ref-age-ms go; every kept branch keeps its head and the ancestors that are
 * among its min-snapshots-to-keep newest or younger than its max-snapshot-age-ms; every kept tag
 * keeps its snapshot; snapshots on no kept ref are kept only while younger than the cutoff. Pure
 * selection: the caller turns the answer into remove-snapshot-ref and remove-snapshots updates.
 */
import { validation } from "../core/errors.ts";
import { MAIN_BRANCH, type Snapshot } from "./snapshot.ts";
import type { TableMetadata } from "./table-metadata.ts";
import {
  MAX_REF_AGE_MS,
  MAX_REF_AGE_MS_DEFAULT,
  MAX_SNAPSHOT_AGE_MS,
  MAX_SNAPSHOT_AGE_MS_DEFAULT,
  MIN_SNAPSHOTS_TO_KEEP,
  MIN_SNAPSHOTS_TO_KEEP_DEFAULT,
  propertyInt,
  propertyLong,
} from "./table-properties.ts";

/** What to expire; without snapshotIds the table's retention policy (overridden by these options) decides. */
export interface ExpireSnapshotsOptions {
  /** Expire unprotected snapshots older than this (default: now - history.expire.max-snapshot-age-ms). */
  olderThanMs?: number;
  /** Keep at least this many snapshots of each branch (default: history.expire.min-snapshots-to-keep). */
  retainLast?: number;
  /**
   * Expire exactly these snapshots. Alone, only these are expired; with olderThanMs or retainLast,
   * the retention policy applies as well. A snapshot a kept ref points at cannot be expired.
   */
  snapshotIds?: bigint[];
  /** The clock, for ages; default Date.now(). */
  nowMs?: number;
}

/** The answer of selectSnapshotsToExpire, in metadata order. */
export interface SnapshotsToExpire {
  snapshotIds: bigint[];
  refsToRemove: string[];
}

/** The snapshot and its ancestors, newest first, as far as they still exist. */
function* ancestors(start: bigint, byId: Map<bigint, Snapshot>): Generator<Snapshot> {
  const seen = new Set<bigint>();
  let snapshot = byId.get(start);
  while (snapshot && !seen.has(snapshot["snapshot-id"])) {
    seen.add(snapshot["snapshot-id"]);
    yield snapshot;
    const parent = snapshot["parent-snapshot-id"];
    snapshot = parent === undefined ? undefined : byId.get(parent);
  }
}

/** Selects the snapshots and refs an expiry removes; throws validation for an explicit id still referenced by a kept ref. */
export function selectSnapshotsToExpire(metadata: TableMetadata, options: ExpireSnapshotsOptions): SnapshotsToExpire {
  const now = BigInt(options.nowMs ?? Date.now());
  const props = metadata.properties;
  const defaultMaxRefAge = propertyLong(props, MAX_REF_AGE_MS, MAX_REF_AGE_MS_DEFAULT);
  const defaultCutoff =
    options.olderThanMs !== undefined
      ? BigInt(options.olderThanMs)
      : now - propertyLong(props, MAX_SNAPSHOT_AGE_MS, MAX_SNAPSHOT_AGE_MS_DEFAULT);
  const defaultMinToKeep =
    options.retainLast ?? propertyInt(props, MIN_SNAPSHOTS_TO_KEEP, MIN_SNAPSHOTS_TO_KEEP_DEFAULT);
  if (!Number.isInteger(defaultMinToKeep) || defaultMinToKeep < 1)
    throw validation(`expire snapshots: snapshots to retain must be at least 1, got ${defaultMinToKeep}`);

  const byId = new Map(metadata.snapshots.map((s) => [s["snapshot-id"], s]));

  // 1. refs: main never expires; others expire when their snapshot is older than their max-ref-age-ms
  const keptRefs: [string, TableMetadata["refs"][string]][] = [];
  const refsToRemove: string[] = [];
  for (const [name, ref] of Object.entries(metadata.refs)) {
    const snapshot = byId.get(ref["snapshot-id"]);
    const maxAge = ref["max-ref-age-ms"] !== undefined ? BigInt(ref["max-ref-age-ms"]) : defaultMaxRefAge;
    const keep = name === MAIN_BRANCH || (snapshot !== undefined && now - BigInt(snapshot["timestamp-ms"]) <= maxAge);
    if (keep) keptRefs.push([name, ref]);
    else refsToRemove.push(name);
  }

  // 2. heads of kept refs (and the current snapshot) are never expired
  const retain = new Set<bigint>(keptRefs.map(([, ref]) => ref["snapshot-id"]));
  if (metadata["current-snapshot-id"] !== null) retain.add(metadata["current-snapshot-id"]);
  for (const id of options.snapshotIds ?? []) {
    if (!retain.has(id)) continue;
    const names = keptRefs.filter(([, ref]) => ref["snapshot-id"] === id).map(([name]) => name);
    throw validation(
      `expire snapshots: cannot expire snapshot ${id}: still referenced by ${names.length > 0 ? `refs ${names.join(", ")}` : "the table as its current snapshot"}`,
    );
  }

  const policyApplies =
    options.snapshotIds === undefined || options.olderThanMs !== undefined || options.retainLast !== undefined;
  // explicitly named snapshots go even when a branch's retention would keep them (as in Java)
  const expire = new Set<bigint>(options.snapshotIds ?? []);
  if (policyApplies) {
    // 3. each branch keeps its newest min-snapshots-to-keep and those younger than max-snapshot-age-ms
    const referenced = new Set<bigint>();
    for (const [, ref] of keptRefs) {
      if (ref.type !== "branch") {
        referenced.add(ref["snapshot-id"]);
        continue;
      }
      const cutoff =
        ref["max-snapshot-age-ms"] !== undefined ? now - BigInt(ref["max-snapshot-age-ms"]) : defaultCutoff;
      const minToKeep = ref["min-snapshots-to-keep"] ?? defaultMinToKeep;
      let kept = 0;
      let retaining = true;
      for (const snapshot of ancestors(ref["snapshot-id"], byId)) {
        referenced.add(snapshot["snapshot-id"]);
        if (retaining && (kept < minToKeep || BigInt(snapshot["timestamp-ms"]) >= cutoff)) {
          retain.add(snapshot["snapshot-id"]);
          kept++;
        } else retaining = false;
      }
    }
    // 4. snapshots on no kept ref survive only while younger than the table-wide cutoff
    for (const snapshot of metadata.snapshots) {
      const id = snapshot["snapshot-id"];
      if (!referenced.has(id) && BigInt(snapshot["timestamp-ms"]) >= defaultCutoff) retain.add(id);
      if (!retain.has(id)) expire.add(id);
    }
  }

  return {
    snapshotIds: metadata.snapshots.map((s) => s["snapshot-id"]).filter((id) => expire.has(id)),
    refsToRemove,
  };
}
