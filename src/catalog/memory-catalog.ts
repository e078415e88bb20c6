/**
 * An in-process catalog for tests and throwaway sessions. Its pointers live in Maps, but metadata
 * files are written through FileIO and commits take the same shared path as the SQL catalog, so it
 * behaves like the real thing (conformance-tested with it) and only forgets on exit.
 */
import { alreadyExists, badInput, commitConflict, notFound, validation } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { MemoryFileIO } from "../io/memory-file-io.ts";
import { newTableMetadata } from "../spec/new-table.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableRequirement, TableUpdate } from "../spec/updates.ts";
import type {
  Catalog,
  CreateTableOptions,
  LoadedTable,
  Namespace,
  PropertiesUpdateResult,
  TableCommit,
  TableIdentifier,
} from "./catalog.ts";
import {
  type CommitTableInput,
  type PreparedCommit,
  abandonCommit,
  commitTable,
  emptyTableMetadata,
  finishCommit,
  isCreateCommit,
  prepareCommit,
  rejectDuplicateTables,
} from "./commit-table.ts";
import {
  directChildren,
  formatNamespace,
  formatTableIdentifier,
  isWithinNamespace,
  sameTable,
  validateNamespace,
  validateTableIdentifier,
} from "./identifiers.ts";
import { MetadataCache } from "./metadata-cache.ts";
import { readMetadataFile } from "./metadata-files.ts";
import { purgeTableFiles } from "./purge-table.ts";
import { defaultTableLocation, trimLocation } from "./table-location.ts";

/** Options of the in-memory catalog. */
export interface MemoryCatalogOptions {
  /** Root of default table locations (default "memory://warehouse"). */
  warehouse?: string;
  /** Where metadata files go (default: a fresh MemoryFileIO). */
  io?: FileIO;
  /** Default "floe", as for the SQL catalog. */
  name?: string;
}

interface TableEntry {
  identifier: TableIdentifier;
  metadataLocation: string;
}

const tableKey = (identifier: TableIdentifier): string => formatTableIdentifier(identifier);

/** A Catalog held in process memory, with the same semantics as the SQL catalog. */
export class MemoryCatalog implements Catalog {
  readonly name: string;
  private readonly warehouse: string;
  private readonly io: FileIO;
  /** Explicitly created namespaces and their properties, by dot-joined name. */
  private readonly namespaces = new Map<string, { namespace: Namespace; properties: Record<string, string> }>();
  private readonly tables = new Map<string, TableEntry>();
  private readonly cache = new MetadataCache();

  constructor(options: MemoryCatalogOptions = {}) {
    this.name = options.name ?? "floe";
    this.warehouse = trimLocation(options.warehouse ?? "memory://warehouse");
    this.io = options.io ?? new MemoryFileIO();
  }

  /** Namespaces that exist explicitly or because a table lives in them. */
  private storedNamespaces(): Namespace[] {
    return [
      ...[...this.namespaces.values()].map((entry) => entry.namespace),
      ...[...this.tables.values()].map((entry) => entry.identifier.namespace),
    ];
  }

  private exists(namespace: Namespace): boolean {
    return this.storedNamespaces().some((stored) => isWithinNamespace(stored, namespace));
  }

  private requireNamespace(namespace: Namespace): void {
    if (!this.exists(namespace))
      throw notFound(`namespace ${formatNamespace(namespace)} does not exist in catalog ${this.name}`);
  }

  async createNamespace(namespace: Namespace, properties: Record<string, string> = {}): Promise<void> {
    validateNamespace(namespace);
    const key = formatNamespace(namespace);
    const hasTables = [...this.tables.values()].some((entry) => formatNamespace(entry.identifier.namespace) === key);
    if (this.namespaces.has(key) || hasTables)
      throw alreadyExists(`namespace ${key} already exists in catalog ${this.name}`);
    this.namespaces.set(key, { namespace: [...namespace], properties: { ...properties } });
  }

  async listNamespaces(parent: Namespace = []): Promise<Namespace[]> {
    if (parent.length > 0) {
      validateNamespace(parent);
      this.requireNamespace(parent);
    }
    return directChildren(this.storedNamespaces(), parent);
  }

  async namespaceExists(namespace: Namespace): Promise<boolean> {
    validateNamespace(namespace);
    return this.exists(namespace);
  }

  async loadNamespaceProperties(namespace: Namespace): Promise<Record<string, string>> {
    validateNamespace(namespace);
    this.requireNamespace(namespace);
    return { ...(this.namespaces.get(formatNamespace(namespace))?.properties ?? {}) };
  }

  async updateNamespaceProperties(
    namespace: Namespace,
    removals: string[],
    updates: Record<string, string>,
  ): Promise<PropertiesUpdateResult> {
    validateNamespace(namespace);
    const both = removals.filter((key) => key in updates);
    if (both.length > 0) throw badInput(`properties ${both.join(", ")} are both removed and updated`);
    this.requireNamespace(namespace);
    const key = formatNamespace(namespace);
    let entry = this.namespaces.get(key);
    if (entry === undefined) {
      entry = { namespace: [...namespace], properties: {} };
      this.namespaces.set(key, entry);
    }
    const result: PropertiesUpdateResult = { updated: [], removed: [], missing: [] };
    for (const name of removals) {
      if (name in entry.properties) {
        delete entry.properties[name];
        result.removed.push(name);
      } else {
        result.missing.push(name);
      }
    }
    for (const [name, value] of Object.entries(updates)) {
      entry.properties[name] = value;
      result.updated.push(name);
    }
    return result;
  }

  async dropNamespace(namespace: Namespace): Promise<void> {
    validateNamespace(namespace);
    this.requireNamespace(namespace);
    const key = formatNamespace(namespace);
    const tables = [...this.tables.values()].filter((entry) => formatNamespace(entry.identifier.namespace) === key);
    if (tables.length > 0)
      throw validation(
        `namespace ${key} is not empty: it holds ${tables.length} table(s), e.g. ${tables[0].identifier.name}`,
      );
    const children = directChildren(this.storedNamespaces(), namespace);
    if (children.length > 0)
      throw validation(`namespace ${key} is not empty: it holds namespace ${formatNamespace(children[0])}`);
    this.namespaces.delete(key);
  }

  async listTables(namespace: Namespace): Promise<TableIdentifier[]> {
    validateNamespace(namespace);
    this.requireNamespace(namespace);
    const key = formatNamespace(namespace);
    return [...this.tables.values()]
      .filter((entry) => formatNamespace(entry.identifier.namespace) === key)
      .map((entry) => entry.identifier.name)
      .sort()
      .map((name) => ({ namespace: [...namespace], name }));
  }

  private entry(identifier: TableIdentifier): TableEntry {
    const entry = this.tables.get(tableKey(identifier));
    if (entry === undefined)
      throw notFound(`table ${formatTableIdentifier(identifier)} does not exist in catalog ${this.name}`);
    return entry;
  }

  /** Compare-and-swap on the Map; synchronous, so no other commit can interleave. */
  private async swapPointer(identifier: TableIdentifier, expected: string | null, next: string): Promise<boolean> {
    const key = tableKey(identifier);
    const entry = this.tables.get(key);
    if (expected === null) {
      if (entry !== undefined)
        throw alreadyExists(`table ${formatTableIdentifier(identifier)} already exists in catalog ${this.name}`);
      this.tables.set(key, {
        identifier: { namespace: [...identifier.namespace], name: identifier.name },
        metadataLocation: next,
      });
      return true;
    }
    if (entry === undefined || entry.metadataLocation !== expected) return false;
    entry.metadataLocation = next;
    return true;
  }

  /** The table's location when its creator names none. */
  private defaultLocation(identifier: TableIdentifier): string {
    const namespaceProperties = this.namespaces.get(formatNamespace(identifier.namespace))?.properties;
    return trimLocation(
      defaultTableLocation(this.warehouse, identifier.namespace, identifier.name, namespaceProperties),
    );
  }

  /** The initial metadata of a table about to be created; checks the namespace exists and the name is free. */
  private newMetadata(identifier: TableIdentifier, options: CreateTableOptions): TableMetadata {
    validateTableIdentifier(identifier);
    this.requireNamespace(identifier.namespace);
    if (this.tables.has(tableKey(identifier)))
      throw alreadyExists(`table ${formatTableIdentifier(identifier)} already exists in catalog ${this.name}`);
    return newTableMetadata({
      schema: options.schema,
      partitionSpec: options.partitionSpec,
      sortOrder: options.sortOrder,
      location: options.location === undefined ? this.defaultLocation(identifier) : trimLocation(options.location),
      properties: options.properties,
      formatVersion: options.formatVersion,
    });
  }

  async createTable(identifier: TableIdentifier, options: CreateTableOptions): Promise<LoadedTable> {
    const metadata = this.newMetadata(identifier, options);
    return this.remember(
      await commitTable({
        identifier,
        io: this.io,
        current: null,
        createBase: metadata,
        requirements: [],
        updates: [],
        swap: (expected, next) => this.swapPointer(identifier, expected, next),
      }),
    );
  }

  async stageCreateTable(identifier: TableIdentifier, options: CreateTableOptions): Promise<TableMetadata> {
    return this.newMetadata(identifier, options);
  }

  async loadTable(identifier: TableIdentifier): Promise<LoadedTable> {
    validateTableIdentifier(identifier);
    const { metadataLocation } = this.entry(identifier);
    const metadata = await this.cache.read(this.io, metadataLocation);
    return {
      identifier: { namespace: [...identifier.namespace], name: identifier.name },
      metadataLocation,
      metadata,
      io: this.io,
    };
  }

  async tableExists(identifier: TableIdentifier): Promise<boolean> {
    validateTableIdentifier(identifier);
    return this.tables.has(tableKey(identifier));
  }

  async renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void> {
    validateTableIdentifier(from);
    validateTableIdentifier(to);
    const entry = this.entry(from);
    this.requireNamespace(to.namespace);
    if (sameTable(from, to) || this.tables.has(tableKey(to)))
      throw alreadyExists(
        `cannot rename ${formatTableIdentifier(from)} to ${formatTableIdentifier(to)}: it already exists in catalog ${this.name}`,
      );
    this.tables.delete(tableKey(from));
    this.tables.set(tableKey(to), {
      identifier: { namespace: [...to.namespace], name: to.name },
      metadataLocation: entry.metadataLocation,
    });
  }

  async dropTable(identifier: TableIdentifier, options: { purge?: boolean } = {}): Promise<void> {
    validateTableIdentifier(identifier);
    const { metadataLocation } = this.entry(identifier);
    const metadata = options.purge ? await this.cache.read(this.io, metadataLocation) : null;
    if (!this.tables.delete(tableKey(identifier)))
      throw notFound(`table ${formatTableIdentifier(identifier)} does not exist in catalog ${this.name}`);
    if (metadata !== null) await purgeTableFiles(this.io, metadata, metadataLocation);
  }

  async registerTable(identifier: TableIdentifier, metadataLocation: string): Promise<LoadedTable> {
    validateTableIdentifier(identifier);
    this.requireNamespace(identifier.namespace);
    if (this.tables.has(tableKey(identifier)))
      throw alreadyExists(`table ${formatTableIdentifier(identifier)} already exists in catalog ${this.name}`);
    const metadata = await readMetadataFile(this.io, metadataLocation);
    await this.swapPointer(identifier, null, metadataLocation);
    return {
      identifier: { namespace: [...identifier.namespace], name: identifier.name },
      metadataLocation,
      metadata,
      io: this.io,
    };
  }

  /**
   * What a commit starts from: the table as it is, or (for an assert-create commit on a table that
   * does not exist yet, the end of a staged create) nothing, with an empty base in its default location.
   */
  private async commitBase(commit: TableCommit): Promise<Omit<CommitTableInput, "swap">> {
    const { identifier, requirements, updates } = commit;
    validateTableIdentifier(identifier);
    const base = { identifier, io: this.io, requirements, updates };
    if (isCreateCommit(requirements) && !this.tables.has(tableKey(identifier))) {
      this.requireNamespace(identifier.namespace);
      return { ...base, current: null, createBase: emptyTableMetadata(this.defaultLocation(identifier), updates) };
    }
    const current = await this.loadTable(identifier);
    return { ...base, identifier: current.identifier, current };
  }

  async commitTable(
    identifier: TableIdentifier,
    requirements: TableRequirement[],
    updates: TableUpdate[],
  ): Promise<LoadedTable> {
    const input = await this.commitBase({ identifier, requirements, updates });
    return this.remember(
      await commitTable({ ...input, swap: (expected, next) => this.swapPointer(identifier, expected, next) }),
    );
  }

  async commitTransaction(commits: TableCommit[]): Promise<LoadedTable[]> {
    rejectDuplicateTables(commits);
    const prepared: PreparedCommit[] = [];
    try {
      for (const commit of commits) prepared.push(await prepareCommit(await this.commitBase(commit)));
    } catch (error) {
      for (const done of prepared) await abandonCommit(done);
      throw error;
    }
    // Check every pointer before moving any: with no await in between, no other commit interleaves.
    for (const [i, done] of prepared.entries()) {
      const entry = this.tables.get(tableKey(commits[i].identifier));
      const found = entry?.metadataLocation ?? null;
      if (found !== done.expectedLocation) {
        for (const each of prepared) await abandonCommit(each);
        throw commitConflict(
          `transaction: table ${formatTableIdentifier(commits[i].identifier)} changed concurrently; expected ${done.expectedLocation ?? "no table"}, found ${found ?? "no table"}; no table was changed`,
        );
      }
    }
    for (const [i, done] of prepared.entries()) {
      if (done.newLocation === null) continue;
      const identifier = commits[i].identifier;
      this.tables.set(tableKey(identifier), {
        identifier: { namespace: [...identifier.namespace], name: identifier.name },
        metadataLocation: done.newLocation,
      });
    }
    const results: LoadedTable[] = [];
    for (const done of prepared) results.push(this.remember(await finishCommit(done)));
    return results;
  }

  /** Keeps what a commit wrote, so the next load or commit need not parse it again. */
  private remember(table: LoadedTable): LoadedTable {
    this.cache.remember(table.metadataLocation, table.metadata);
    return table;
  }

  async close(): Promise<void> {}
}
