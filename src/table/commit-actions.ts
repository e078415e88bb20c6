/**
 * The one commit loop every action and transaction goes through: prepare each action in order
 * against the metadata left by the previous one, derive the requirements from the base, ask the
 * catalog to compare-and-swap, and on a conflict refresh and do it all again (so every action
 * re-validates against what was committed meanwhile). Afterwards each action learns whether its
 * files landed so it can delete the ones that did not.
 */
import { FloeError } from "../core/errors.ts";
import type { Catalog, LoadedTable, TableIdentifier } from "../catalog/catalog.ts";
import { formatTableIdentifier } from "../catalog/identifiers.ts";
import type { FileIO } from "../io/file-io.ts";
import { applyUpdates } from "../spec/apply-updates.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import type { CommitOutcome, TableAction } from "./action.ts";
import { requirementsFor } from "./commit-requirements.ts";
import { retryPolicyFromProperties, runWithRetry } from "./commit-retry.ts";

/** What the loop needs from a table handle. */
export interface CommittableTable {
  readonly catalog: Catalog;
  readonly identifier: TableIdentifier;
  readonly metadata: TableMetadata;
  readonly io: FileIO;
  /** Reloads the table from the catalog. */
  refresh(): Promise<unknown>;
  /** Takes the catalog's answer to a successful commit as the table's new state. */
  adopt(loaded: LoadedTable): void;
}

/** The updates of all `actions` prepared in order against `base`, and the metadata they lead to. */
export async function prepareActions(
  base: TableMetadata,
  actions: TableAction[],
  io: FileIO,
  tableName: string,
  attempt: number,
): Promise<{ updates: TableUpdate[]; metadata: TableMetadata }> {
  const ctx = { io, tableName, attempt, stagedSnapshotIds: new Set<bigint>() };
  const updates: TableUpdate[] = [];
  let metadata = base;
  for (const action of actions) {
    const actionUpdates = await action.prepare(metadata, ctx);
    if (actionUpdates.length === 0) continue;
    metadata = applyUpdates(metadata, actionUpdates, {});
    for (const update of actionUpdates) {
      if (update.action === "add-snapshot") ctx.stagedSnapshotIds.add(update.snapshot["snapshot-id"]);
    }
    updates.push(...actionUpdates);
  }
  return { updates, metadata };
}

/**
 * Whether a failure proves the commit did not land (so written files may be deleted): any error
 * before the catalog was called, or a catalog error of a kind that says it changed nothing. An
 * io or unexpected error from the catalog may have come after the pointer moved.
 */
const provablyNotCommitted = (error: unknown, catalogCalled: boolean): boolean =>
  !catalogCalled || (error instanceof FloeError && error.kind !== "io");

/** Commits `actions` as one catalog commit, retrying on conflicts per the table's commit.retry.* properties. */
export async function commitActions(table: CommittableTable, actions: TableAction[]): Promise<void> {
  const tableName = formatTableIdentifier(table.identifier);
  const policy = retryPolicyFromProperties(table.metadata.properties);
  let outcome: CommitOutcome = { state: "unknown" };
  let catalogCalled = false;
  try {
    await runWithRetry(policy, async (attempt) => {
      catalogCalled = false;
      if (attempt > 0) await table.refresh();
      const base = table.metadata;
      const { updates } = await prepareActions(base, actions, table.io, tableName, attempt);
      if (updates.length === 0) return;
      catalogCalled = true;
      const loaded = await table.catalog.commitTable(table.identifier, requirementsFor(base, updates), updates);
      table.adopt(loaded);
    });
    outcome = { state: "committed", metadata: table.metadata };
  } catch (error) {
    outcome = provablyNotCommitted(error, catalogCalled) ? { state: "failed" } : { state: "unknown" };
    throw error;
  } finally {
    for (const action of actions) {
      try {
        await action.cleanup(outcome);
      } catch {
        // Cleanup is best effort; leftovers are orphans for orphan-file cleanup.
      }
    }
  }
}
