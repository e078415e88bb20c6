/**
 * The Catalog interface every implementation (SQL on SQLite or PostgreSQL, in-memory, REST client)
 * satisfies, checked by one shared conformance suite.
 */
import type { PartitionSpec } from "../spec/partition-spec.ts";
import type { SortOrder } from "../spec/sort-order.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Schema } from "../spec/types.ts";
import type { TableRequirement, TableUpdate } from "../spec/updates.ts";
import type { FileIO } from "../io/file-io.ts";

export type Namespace = string[];

export interface TableIdentifier {
  namespace: Namespace;
  name: string;
}

export interface LoadedTable {
  identifier: TableIdentifier;
  metadataLocation: string;
  metadata: TableMetadata;
  /** The FileIO for this table's files (a REST catalog may vend credentials per table). */
  io: FileIO;
}

export interface CreateTableOptions {
  schema: Schema;
  /** Unpartitioned when absent. Field ids may be omitted (assigned from 1000). */
  partitionSpec?: PartitionSpec;
  sortOrder?: SortOrder;
  properties?: Record<string, string>;
  /** Defaults to <warehouse>/<namespace path>/<table name>. */
  location?: string;
  formatVersion?: 1 | 2;
}

export interface PropertiesUpdateResult {
  updated: string[];
  removed: string[];
  missing: string[];
}

/** One table's part of a multi-table transaction. */
export interface TableCommit {
  identifier: TableIdentifier;
  requirements: TableRequirement[];
  updates: TableUpdate[];
}

export interface Catalog {
  readonly name: string;

  createNamespace(namespace: Namespace, properties?: Record<string, string>): Promise<void>;
  /** Direct children of `parent` (top-level namespaces when absent). */
  listNamespaces(parent?: Namespace): Promise<Namespace[]>;
  namespaceExists(namespace: Namespace): Promise<boolean>;
  loadNamespaceProperties(namespace: Namespace): Promise<Record<string, string>>;
  updateNamespaceProperties(
    namespace: Namespace,
    removals: string[],
    updates: Record<string, string>,
  ): Promise<PropertiesUpdateResult>;
  /** Fails with validation error when the namespace still holds tables or namespaces. */
  dropNamespace(namespace: Namespace): Promise<void>;

  listTables(namespace: Namespace): Promise<TableIdentifier[]>;
  createTable(identifier: TableIdentifier, options: CreateTableOptions): Promise<LoadedTable>;
  loadTable(identifier: TableIdentifier): Promise<LoadedTable>;
  tableExists(identifier: TableIdentifier): Promise<boolean>;
  renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void>;
  /** With purge, also deletes every file the table's metadata references. */
  dropTable(identifier: TableIdentifier, options?: { purge?: boolean }): Promise<void>;
  registerTable(identifier: TableIdentifier, metadataLocation: string): Promise<LoadedTable>;
  /**
   * Checks the requirements against the current metadata, applies the updates, writes a new
   * metadata file and swaps the pointer atomically. commit-conflict FloeError (retryable) when a
   * requirement fails or the pointer moved meanwhile.
   */
  commitTable(
    identifier: TableIdentifier,
    requirements: TableRequirement[],
    updates: TableUpdate[],
  ): Promise<LoadedTable>;

  /**
   * Optional (REST stage-create): the metadata createTable would write, without creating anything.
   * not-found when the namespace is missing, already-exists when the table exists. A later
   * commitTable with an assert-create requirement and the updates that build this metadata creates it.
   */
  stageCreateTable?(identifier: TableIdentifier, options: CreateTableOptions): Promise<TableMetadata>;

  /**
   * Optional: commits to several tables atomically, all or nothing (REST transactions/commit). Each
   * commit is checked and applied as commitTable would; if any requirement fails or any pointer moved,
   * no table changes (commit-conflict naming the table and requirement). Returns the tables in order.
   */
  commitTransaction?(commits: TableCommit[]): Promise<LoadedTable[]>;

  close(): Promise<void>;
}
