/**
 * A transaction stages several actions and commits them as one catalog commit: the updates of
 * all actions, each prepared against the metadata the previous ones produce, guarded by the
 * requirements derived from the state the transaction started from. On a conflict the whole
 * transaction is re-prepared against the refreshed table, so every action re-validates.
 */
import { badInput } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableAction } from "./action.ts";
import { ActionFactory } from "./action-factory.ts";
import { commitActions } from "./commit-actions.ts";
import type { Table } from "./table.ts";

/** `const tx = table.newTransaction(); tx.newAppend()...commit(); await tx.commit();` */
export class Transaction extends ActionFactory {
  private readonly staged: TableAction[] = [];
  private committed = false;
  /** The metadata the transaction's actions are built against (the table when it started). */
  readonly metadata: TableMetadata;

  constructor(readonly table: Table) {
    super();
    this.metadata = table.metadata;
  }

  get io(): FileIO {
    return this.table.io;
  }

  /** Stages an action (its builder's commit() lands here); resolves to the table, not yet changed. */
  async commitAction(action: TableAction): Promise<Table> {
    if (this.committed) throw badInput(`transaction on ${this.table.name()} was already committed`);
    this.staged.push(action);
    return this.table;
  }

  /** The actions staged so far, in order. */
  stagedActions(): readonly TableAction[] {
    return this.staged;
  }

  /** Commits every staged action as one catalog commit (with retries) and resolves to the updated table. */
  async commit(): Promise<Table> {
    if (this.committed) throw badInput(`transaction on ${this.table.name()} was already committed`);
    this.committed = true;
    await commitActions(this.table, this.staged);
    return this.table;
  }
}
