/**
 * The Table handle: a table's current metadata as loaded from a catalog, lookups over it, and the
 * action builders. The handle follows its own commits (each successful commit updates it, as the
 * reference implementation's table does) and `refresh()` reloads it; actions created from it
 * commit through the shared retry loop.
 */
import { notFound } from "../core/errors.ts";
import type { Catalog, LoadedTable, TableIdentifier } from "../catalog/catalog.ts";
import { formatTableIdentifier } from "../catalog/identifiers.ts";
import type { FileIO } from "../io/file-io.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import type { Snapshot, SnapshotLogEntry, SnapshotRef } from "../spec/snapshot.ts";
import type { SortOrder } from "../spec/sort-order.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Schema } from "../spec/types.ts";
import type { TableAction } from "./action.ts";
import { ActionFactory } from "./action-factory.ts";
import { commitActions } from "./commit-actions.ts";
import { findSnapshot } from "./snapshot-history.ts";
import { currentSchema, specById } from "./snapshot-producer.ts";
import { Transaction } from "./transaction.ts";

/** A table of a catalog. */
export class Table extends ActionFactory {
  private loaded: LoadedTable;

  constructor(
    readonly catalog: Catalog,
    loaded: LoadedTable,
  ) {
    super();
    this.loaded = loaded;
  }

  /** Loads `identifier` from `catalog`. */
  static async load(catalog: Catalog, identifier: TableIdentifier): Promise<Table> {
    return new Table(catalog, await catalog.loadTable(identifier));
  }

  get identifier(): TableIdentifier {
    return this.loaded.identifier;
  }
  get metadata(): TableMetadata {
    return this.loaded.metadata;
  }
  get metadataLocation(): string {
    return this.loaded.metadataLocation;
  }
  get io(): FileIO {
    return this.loaded.io;
  }

  /** "namespace.table". */
  name(): string {
    return formatTableIdentifier(this.identifier);
  }
  /** The table's base location. */
  location(): string {
    return this.metadata.location;
  }
  /** The table properties. */
  properties(): Readonly<Record<string, string>> {
    return this.metadata.properties;
  }
  /** The current schema. */
  schema(): Schema {
    return currentSchema(this.metadata);
  }
  /** Every schema the table has had, by id. */
  schemas(): Map<number, Schema> {
    return new Map(this.metadata.schemas.map((schema) => [schema["schema-id"], schema]));
  }
  /** The default partition spec. */
  spec(): PartitionSpec {
    return specById(this.metadata, this.metadata["default-spec-id"]);
  }
  /** Every partition spec, by id. */
  specs(): Map<number, PartitionSpec> {
    return new Map(this.metadata["partition-specs"].map((spec) => [spec["spec-id"], spec]));
  }
  /** The default sort order. */
  sortOrder(): SortOrder {
    const id = this.metadata["default-sort-order-id"];
    const order = this.metadata["sort-orders"].find((candidate) => candidate["order-id"] === id);
    return order ?? { "order-id": 0, fields: [] };
  }
  /** The current snapshot of main, or null for a table without data history. */
  currentSnapshot(): Snapshot | null {
    const id = this.metadata["current-snapshot-id"];
    return id === null ? null : (findSnapshot(this.metadata, id) ?? null);
  }
  /** The snapshot with this id, or null. */
  snapshot(snapshotId: bigint): Snapshot | null {
    return findSnapshot(this.metadata, snapshotId) ?? null;
  }
  /** Every snapshot the metadata holds. */
  snapshots(): Snapshot[] {
    return this.metadata.snapshots;
  }
  /** The refs (branches and tags) by name. */
  refs(): Readonly<Record<string, SnapshotRef>> {
    return this.metadata.refs;
  }
  /** The snapshot a branch or tag points at, or null when there is no such ref. */
  snapshotByRef(name: string): Snapshot | null {
    const ref = this.metadata.refs[name];
    return ref ? (findSnapshot(this.metadata, ref["snapshot-id"]) ?? null) : null;
  }
  /** The snapshot that was current at `timestampMs` (from the snapshot log); not-found when none was. */
  snapshotAsOf(timestampMs: number): Snapshot {
    let found: SnapshotLogEntry | undefined;
    for (const entry of this.metadata["snapshot-log"]) if (entry["timestamp-ms"] <= timestampMs) found = entry;
    const snapshot = found ? findSnapshot(this.metadata, found["snapshot-id"]) : undefined;
    if (!snapshot) throw notFound(`table ${this.name()}: no snapshot was current at ${timestampMs}`);
    return snapshot;
  }
  /** The snapshot log: which snapshot became current when. */
  history(): SnapshotLogEntry[] {
    return this.metadata["snapshot-log"];
  }

  /** Reloads the table from the catalog; resolves to this handle. */
  async refresh(): Promise<Table> {
    this.loaded = await this.catalog.loadTable(this.identifier);
    return this;
  }

  /** Takes a commit's result as the new state (used by the commit loop). */
  adopt(loaded: LoadedTable): void {
    this.loaded = loaded;
  }

  /** Commits one action through the retry loop. */
  async commitAction(action: TableAction): Promise<Table> {
    await commitActions(this, [action]);
    return this;
  }

  /** Starts a transaction: actions created from it commit together in one catalog commit. */
  newTransaction(): Transaction {
    return new Transaction(this);
  }
}
