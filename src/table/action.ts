/**
 * What every table action is to the commit machinery: something that, given the metadata it is to
 * be applied to, computes the updates it makes (writing manifests if it produces a snapshot). An
 * action is re-run from scratch against refreshed metadata after a conflict, so it re-validates
 * itself every time; it must keep no state that depends on an earlier base except caches of files
 * it wrote (which stay valid because its snapshot id does not change between attempts).
 */
import { badInput } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import type { Table } from "./table.ts";

/** What an action may know about the commit it takes part in. */
export interface CommitContext {
  io: FileIO;
  /** "namespace.table", for messages. */
  tableName: string;
  /** 0 for the first attempt, then 1, 2, ... after conflicts. */
  attempt: number;
  /**
   * Snapshots staged by earlier actions of the same transaction in this attempt: conflict
   * validation must not count a transaction's own changes as concurrent ones.
   */
  stagedSnapshotIds: Set<bigint>;
}

/** The outcome an action is told about once its commit is over. */
export type CommitOutcome =
  /** Committed: `metadata` is the table after the commit. */
  | { state: "committed"; metadata: TableMetadata }
  /** Provably not committed: every file the action wrote is garbage. */
  | { state: "failed" }
  /** Unknown (e.g. the catalog went away mid-commit): nothing may be deleted. */
  | { state: "unknown" };

/** A unit of change the commit machinery can prepare, retry and clean up after. */
export interface TableAction {
  /** A short description for messages, e.g. "append" or "update-schema". */
  readonly description: string;
  /** Computes the updates against `base`; throws (non-retryable) when the action is invalid there. */
  prepare(base: TableMetadata, ctx: CommitContext): Promise<TableUpdate[]>;
  /** Removes files written by attempts that did not land. Best effort; must not throw. */
  cleanup(outcome: CommitOutcome): Promise<void>;
}

/** Where an action's commit() goes: straight to the catalog (a Table) or into a Transaction. */
export interface ActionTarget {
  /** The metadata actions are built against (a transaction's start, or the table's current state). */
  readonly metadata: TableMetadata;
  readonly io: FileIO;
  /** Commits the action (or stages it, in a transaction) and returns the table. */
  commitAction(action: TableAction): Promise<Table>;
}

/** Base of the fluent builders: holds the target and turns `commit()` into `target.commitAction(this)`. */
export abstract class BaseAction implements TableAction {
  abstract readonly description: string;
  private used = false;

  constructor(protected readonly target: ActionTarget) {}

  abstract prepare(base: TableMetadata, ctx: CommitContext): Promise<TableUpdate[]>;

  async cleanup(_outcome: CommitOutcome): Promise<void> {}

  /** Commits this action (in a transaction: stages it) and resolves to the table after it. */
  commit(): Promise<Table> {
    if (this.used) return Promise.reject(badInput(`${this.description}: commit() was already called on this action`));
    this.used = true;
    return this.target.commitAction(this);
  }
}
