/**
 * The SQL catalog: Iceberg's JDBC catalog schema on SQLite or PostgreSQL (see sql-schema.ts).
 *
 * Everything is scoped by the catalog name column, so several catalogs can share one database.
 * Namespaces are stored dot-joined; one "exists"="true" property row marks a created namespace
 * (as Java writes it), and a namespace also exists while it or a namespace below it holds a table
 * or properties. A commit is the shared commit path (commit-table.ts) ending in one conditional
 * UPDATE on metadata_location: zero rows changed means another writer got there first.
 */
import { alreadyExists, badInput, commitConflict, isFloeError, notFound, validation } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
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
  sameTable,
  validateNamespace,
  validateTableIdentifier,
} from "./identifiers.ts";
import { MetadataCache } from "./metadata-cache.ts";
import { readMetadataFile } from "./metadata-files.ts";
import { purgeTableFiles } from "./purge-table.ts";
import type { SqlDialect, SqlExecutor } from "./sql-dialect.ts";
import { NAMESPACE_PROPERTIES_TABLE, TABLES_TABLE, ensureCatalogSchema } from "./sql-schema.ts";
import { defaultTableLocation, trimLocation } from "./table-location.ts";

/** The property Java's JdbcCatalog writes for every created namespace; floe keeps it out of sight. */
export const NAMESPACE_EXISTS_PROPERTY = "exists";

/** Default value of the catalog_name column. */
export const DEFAULT_CATALOG_NAME = "floe";

/** Options of a SQL catalog. */
export interface SqlCatalogOptions {
  dialect: SqlDialect;
  /** Root location of default table locations. */
  warehouse: string;
  io: FileIO;
  /** The catalog_name scoping every row (default "floe"). */
  name?: string;
}

/** A Catalog stored in the JDBC catalog tables of a SQLite or PostgreSQL database. */
export class SqlCatalog implements Catalog {
  readonly name: string;
  private readonly dialect: SqlDialect;
  private readonly warehouse: string;
  private readonly io: FileIO;
  /** Appended to every statement over iceberg_tables rows that are tables (V1 databases also hold views). */
  private readonly tablesOnly: string;
  private readonly hasRecordType: boolean;
  private readonly cache = new MetadataCache();

  private constructor(options: SqlCatalogOptions, hasRecordType: boolean) {
    this.name = options.name ?? DEFAULT_CATALOG_NAME;
    this.dialect = options.dialect;
    this.warehouse = trimLocation(options.warehouse);
    this.io = options.io;
    this.hasRecordType = hasRecordType;
    this.tablesOnly = hasRecordType ? " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)" : "";
  }

  /** Opens the catalog, creating the catalog tables when the database has none yet. */
  static async open(options: SqlCatalogOptions): Promise<SqlCatalog> {
    if (!options.warehouse) throw badInput("a SQL catalog needs a warehouse location");
    if (options.name !== undefined && (options.name.length === 0 || options.name.length > 255))
      throw badInput(`catalog name "${options.name}" must be 1 to 255 characters`);
    const info = await ensureCatalogSchema(options.dialect);
    return new SqlCatalog(options, info.hasRecordType);
  }

  // ---- namespaces ----

  /** Every namespace string that has a table row or a property row in this catalog. */
  private async storedNamespaces(db: SqlExecutor): Promise<Namespace[]> {
    const rows = await db.query(
      `SELECT table_namespace AS ns FROM ${TABLES_TABLE} WHERE catalog_name = ? ` +
        `UNION SELECT namespace AS ns FROM ${NAMESPACE_PROPERTIES_TABLE} WHERE catalog_name = ?`,
      [this.name, this.name],
    );
    return rows.map((row) => String(row.ns).split("."));
  }

  /** True when the namespace itself has property rows or tables (not merely a descendant). */
  private async explicitlyExists(db: SqlExecutor, namespace: Namespace): Promise<boolean> {
    const ns = formatNamespace(namespace);
    const rows = await db.query(
      `SELECT 1 AS found FROM ${NAMESPACE_PROPERTIES_TABLE} WHERE catalog_name = ? AND namespace = ? ` +
        `UNION ALL SELECT 1 AS found FROM ${TABLES_TABLE} WHERE catalog_name = ? AND table_namespace = ?`,
      [this.name, ns, this.name, ns],
    );
    return rows.length > 0;
  }

  private async exists(db: SqlExecutor, namespace: Namespace): Promise<boolean> {
    // Compared with substr rather than LIKE: LIKE is case-insensitive in SQLite and needs escaping.
    const ns = formatNamespace(namespace);
    const prefix = `${ns}.`;
    const below = (column: string) => `(${column} = ? OR substr(${column}, 1, ${[...prefix].length}) = ?)`;
    const rows = await db.query(
      `SELECT 1 AS found FROM ${NAMESPACE_PROPERTIES_TABLE} WHERE catalog_name = ? AND ${below("namespace")} ` +
        `UNION ALL SELECT 1 AS found FROM ${TABLES_TABLE} WHERE catalog_name = ? AND ${below("table_namespace")}`,
      [this.name, ns, prefix, this.name, ns, prefix],
    );
    return rows.length > 0;
  }

  private async requireNamespace(db: SqlExecutor, namespace: Namespace): Promise<void> {
    if (!(await this.exists(db, namespace)))
      throw notFound(`namespace ${formatNamespace(namespace)} does not exist in catalog ${this.name}`);
  }

  private async insertProperties(db: SqlExecutor, namespace: Namespace, properties: Record<string, string>) {
    for (const [key, value] of Object.entries(properties)) {
      await db.execute(
        `INSERT INTO ${NAMESPACE_PROPERTIES_TABLE} (catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?)`,
        [this.name, formatNamespace(namespace), key, value],
      );
    }
  }

  async createNamespace(namespace: Namespace, properties: Record<string, string> = {}): Promise<void> {
    validateNamespace(namespace);
    const exists = () =>
      alreadyExists(`namespace ${formatNamespace(namespace)} already exists in catalog ${this.name}`);
    await this.dialect
      .transaction(async (tx) => {
        if (await this.explicitlyExists(tx, namespace)) throw exists();
        await this.insertProperties(tx, namespace, { ...properties, [NAMESPACE_EXISTS_PROPERTY]: "true" });
      })
      .catch((error: unknown) => {
        // A concurrent create won between the check and the insert.
        throw this.dialect.isUniqueViolation(error) ? exists() : error;
      });
  }

  async listNamespaces(parent: Namespace = []): Promise<Namespace[]> {
    if (parent.length > 0) {
      validateNamespace(parent);
      await this.requireNamespace(this.dialect, parent);
    }
    return directChildren(await this.storedNamespaces(this.dialect), parent);
  }

  async namespaceExists(namespace: Namespace): Promise<boolean> {
    validateNamespace(namespace);
    return this.exists(this.dialect, namespace);
  }

  /** Every stored property row of the namespace, the "exists" marker included. */
  private async storedProperties(db: SqlExecutor, namespace: Namespace): Promise<Record<string, string>> {
    const rows = await db.query(
      `SELECT property_key, property_value FROM ${NAMESPACE_PROPERTIES_TABLE} WHERE catalog_name = ? AND namespace = ?`,
      [this.name, formatNamespace(namespace)],
    );
    return Object.fromEntries(
      rows.map((row) => [String(row.property_key), row.property_value === null ? "" : String(row.property_value)]),
    );
  }

  /** The namespace's properties as users see them: without the "exists" marker. */
  private async readProperties(db: SqlExecutor, namespace: Namespace): Promise<Record<string, string>> {
    const { [NAMESPACE_EXISTS_PROPERTY]: _marker, ...properties } = await this.storedProperties(db, namespace);
    return properties;
  }

  async loadNamespaceProperties(namespace: Namespace): Promise<Record<string, string>> {
    validateNamespace(namespace);
    await this.requireNamespace(this.dialect, namespace);
    return this.readProperties(this.dialect, namespace);
  }

  async updateNamespaceProperties(
    namespace: Namespace,
    removals: string[],
    updates: Record<string, string>,
  ): Promise<PropertiesUpdateResult> {
    validateNamespace(namespace);
    const both = removals.filter((key) => key in updates);
    if (both.length > 0) throw badInput(`properties ${both.join(", ")} are both removed and updated`);
    const ns = formatNamespace(namespace);
    return this.dialect.transaction(async (tx) => {
      await this.requireNamespace(tx, namespace);
      const { [NAMESPACE_EXISTS_PROPERTY]: marker, ...existing } = await this.storedProperties(tx, namespace);
      const result: PropertiesUpdateResult = { updated: [], removed: [], missing: [] };
      for (const key of removals) {
        if (key in existing) {
          await tx.execute(
            `DELETE FROM ${NAMESPACE_PROPERTIES_TABLE} WHERE catalog_name = ? AND namespace = ? AND property_key = ?`,
            [this.name, ns, key],
          );
          result.removed.push(key);
        } else {
          result.missing.push(key);
        }
      }
      const fresh: Record<string, string> = {};
      for (const [key, value] of Object.entries(updates)) {
        if (key === NAMESPACE_EXISTS_PROPERTY) continue;
        if (key in existing) {
          await tx.execute(
            `UPDATE ${NAMESPACE_PROPERTIES_TABLE} SET property_value = ? WHERE catalog_name = ? AND namespace = ? AND property_key = ?`,
            [value, this.name, ns, key],
          );
        } else {
          fresh[key] = value;
        }
        result.updated.push(key);
      }
      // A namespace known only through a table or a descendant becomes an explicit one here.
      if (marker === undefined) fresh[NAMESPACE_EXISTS_PROPERTY] = "true";
      await this.insertProperties(tx, namespace, fresh);
      return result;
    });
  }

  async dropNamespace(namespace: Namespace): Promise<void> {
    validateNamespace(namespace);
    const ns = formatNamespace(namespace);
    await this.dialect.transaction(async (tx) => {
      await this.requireNamespace(tx, namespace);
      const tables = await tx.query(
        `SELECT table_name FROM ${TABLES_TABLE} WHERE catalog_name = ? AND table_namespace = ?`,
        [this.name, ns],
      );
      if (tables.length > 0)
        throw validation(
          `namespace ${ns} is not empty: it holds ${tables.length} table(s), e.g. ${tables[0].table_name}`,
        );
      const children = directChildren(await this.storedNamespaces(tx), namespace);
      if (children.length > 0)
        throw validation(`namespace ${ns} is not empty: it holds namespace ${formatNamespace(children[0])}`);
      await tx.execute(`DELETE FROM ${NAMESPACE_PROPERTIES_TABLE} WHERE catalog_name = ? AND namespace = ?`, [
        this.name,
        ns,
      ]);
    });
  }

  // ---- tables ----

  private async metadataLocation(db: SqlExecutor, identifier: TableIdentifier): Promise<string | null> {
    const rows = await db.query(
      `SELECT metadata_location FROM ${TABLES_TABLE} WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?${this.tablesOnly}`,
      [this.name, formatNamespace(identifier.namespace), identifier.name],
    );
    if (rows.length === 0) return null;
    const location = rows[0].metadata_location;
    if (typeof location !== "string" || location === "")
      throw notFound(`table ${formatTableIdentifier(identifier)} has no metadata location in catalog ${this.name}`);
    return location;
  }

  private async requireMetadataLocation(identifier: TableIdentifier): Promise<string> {
    const location = await this.metadataLocation(this.dialect, identifier);
    if (location === null)
      throw notFound(`table ${formatTableIdentifier(identifier)} does not exist in catalog ${this.name}`);
    return location;
  }

  async listTables(namespace: Namespace): Promise<TableIdentifier[]> {
    validateNamespace(namespace);
    await this.requireNamespace(this.dialect, namespace);
    const rows = await this.dialect.query(
      `SELECT table_name FROM ${TABLES_TABLE} WHERE catalog_name = ? AND table_namespace = ?${this.tablesOnly}`,
      [this.name, formatNamespace(namespace)],
    );
    return rows
      .map((row) => String(row.table_name))
      .sort()
      .map((name) => ({ namespace: [...namespace], name }));
  }

  /** Inserts the pointer row of a new table; already-exists when the name is taken. */
  private async insertTable(
    identifier: TableIdentifier,
    metadataLocation: string,
    db: SqlExecutor = this.dialect,
  ): Promise<void> {
    const columns = this.hasRecordType ? ", iceberg_type" : "";
    const values = this.hasRecordType ? ", 'TABLE'" : "";
    try {
      await db.execute(
        `INSERT INTO ${TABLES_TABLE} (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location${columns}) ` +
          `VALUES (?, ?, ?, ?, NULL${values})`,
        [this.name, formatNamespace(identifier.namespace), identifier.name, metadataLocation],
      );
    } catch (error) {
      if (this.dialect.isUniqueViolation(error))
        throw alreadyExists(`table ${formatTableIdentifier(identifier)} already exists in catalog ${this.name}`, error);
      throw error;
    }
  }

  /** The compare-and-swap of a commit: moves the pointer only if it is still where the commit started. */
  private async swapPointer(
    identifier: TableIdentifier,
    expected: string | null,
    next: string,
    db: SqlExecutor = this.dialect,
  ): Promise<boolean> {
    if (expected === null) {
      await this.insertTable(identifier, next, db);
      return true;
    }
    const changed = await db.execute(
      `UPDATE ${TABLES_TABLE} SET metadata_location = ?, previous_metadata_location = ? ` +
        `WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?${this.tablesOnly}`,
      [next, expected, this.name, formatNamespace(identifier.namespace), identifier.name, expected],
    );
    return changed === 1;
  }

  /** The table's location when its creator names none. */
  private async defaultLocation(identifier: TableIdentifier): Promise<string> {
    return trimLocation(
      defaultTableLocation(
        this.warehouse,
        identifier.namespace,
        identifier.name,
        await this.readProperties(this.dialect, identifier.namespace),
      ),
    );
  }

  /** The initial metadata of a table about to be created; checks the namespace exists and the name is free. */
  private async newMetadata(identifier: TableIdentifier, options: CreateTableOptions): Promise<TableMetadata> {
    validateTableIdentifier(identifier);
    await this.requireNamespace(this.dialect, identifier.namespace);
    if ((await this.metadataLocation(this.dialect, identifier)) !== null)
      throw alreadyExists(`table ${formatTableIdentifier(identifier)} already exists in catalog ${this.name}`);
    return newTableMetadata({
      schema: options.schema,
      partitionSpec: options.partitionSpec,
      sortOrder: options.sortOrder,
      location:
        options.location === undefined ? await this.defaultLocation(identifier) : trimLocation(options.location),
      properties: options.properties,
      formatVersion: options.formatVersion,
    });
  }

  async createTable(identifier: TableIdentifier, options: CreateTableOptions): Promise<LoadedTable> {
    const metadata = await this.newMetadata(identifier, options);
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
    const metadataLocation = await this.requireMetadataLocation(identifier);
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
    return (await this.metadataLocation(this.dialect, identifier)) !== null;
  }

  async renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void> {
    validateTableIdentifier(from);
    validateTableIdentifier(to);
    const fromName = formatTableIdentifier(from);
    const toName = formatTableIdentifier(to);
    const taken = () =>
      alreadyExists(`cannot rename ${fromName} to ${toName}: ${toName} already exists in catalog ${this.name}`);
    const rename = this.dialect.transaction(async (tx) => {
      if ((await this.metadataLocation(tx, from)) === null)
        throw notFound(`table ${fromName} does not exist in catalog ${this.name}`);
      await this.requireNamespace(tx, to.namespace);
      if (sameTable(from, to) || (await this.existsAnyRow(tx, to))) throw taken();
      await tx.execute(
        `UPDATE ${TABLES_TABLE} SET table_namespace = ?, table_name = ? ` +
          `WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?${this.tablesOnly}`,
        [formatNamespace(to.namespace), to.name, this.name, formatNamespace(from.namespace), from.name],
      );
    });
    await rename.catch((error: unknown) => {
      // A concurrent create or rename took the target name between the check and the update.
      throw this.dialect.isUniqueViolation(error) ? taken() : error;
    });
  }

  /** A row of any kind (table or, in V1 databases, view) under this name. */
  private async existsAnyRow(db: SqlExecutor, identifier: TableIdentifier): Promise<boolean> {
    const rows = await db.query(
      `SELECT table_name FROM ${TABLES_TABLE} WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?`,
      [this.name, formatNamespace(identifier.namespace), identifier.name],
    );
    return rows.length > 0;
  }

  async dropTable(identifier: TableIdentifier, options: { purge?: boolean } = {}): Promise<void> {
    validateTableIdentifier(identifier);
    const metadataLocation = await this.requireMetadataLocation(identifier);
    // Read what to purge before the row goes: afterwards nothing points at the metadata any more.
    const metadata = options.purge ? await this.cache.read(this.io, metadataLocation) : null;
    const deleted = await this.dialect.execute(
      `DELETE FROM ${TABLES_TABLE} WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?${this.tablesOnly}`,
      [this.name, formatNamespace(identifier.namespace), identifier.name],
    );
    if (deleted === 0)
      throw notFound(`table ${formatTableIdentifier(identifier)} does not exist in catalog ${this.name}`);
    if (metadata !== null) await purgeTableFiles(this.io, metadata, metadataLocation);
  }

  async registerTable(identifier: TableIdentifier, metadataLocation: string): Promise<LoadedTable> {
    validateTableIdentifier(identifier);
    await this.requireNamespace(this.dialect, identifier.namespace);
    if (await this.existsAnyRow(this.dialect, identifier))
      throw alreadyExists(`table ${formatTableIdentifier(identifier)} already exists in catalog ${this.name}`);
    const metadata = await readMetadataFile(this.io, metadataLocation);
    await this.insertTable(identifier, metadataLocation);
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
    if (isCreateCommit(requirements) && (await this.metadataLocation(this.dialect, identifier)) === null) {
      await this.requireNamespace(this.dialect, identifier.namespace);
      const location = await this.defaultLocation(identifier);
      return { ...base, current: null, createBase: emptyTableMetadata(location, updates) };
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

  /**
   * Prepares every commit (requirements checked, metadata files written), then moves all pointers in
   * one database transaction: one pointer that moved meanwhile rolls back every swap.
   */
  async commitTransaction(commits: TableCommit[]): Promise<LoadedTable[]> {
    rejectDuplicateTables(commits);
    const prepared: PreparedCommit[] = [];
    const abandonAll = async () => {
      for (const done of prepared) await abandonCommit(done);
    };
    try {
      for (const commit of commits) prepared.push(await prepareCommit(await this.commitBase(commit)));
    } catch (error) {
      await abandonAll();
      throw error;
    }
    try {
      await this.dialect.transaction(async (tx) => {
        for (const [i, done] of prepared.entries()) {
          if (done.newLocation === null) {
            // Unchanged tables must still be where their requirements were checked.
            const found = await this.metadataLocation(tx, commits[i].identifier);
            if (found === done.expectedLocation) continue;
          } else if (await this.swapPointer(commits[i].identifier, done.expectedLocation, done.newLocation, tx)) {
            continue;
          }
          throw commitConflict(
            `transaction: table ${formatTableIdentifier(commits[i].identifier)} changed concurrently; expected ${done.expectedLocation ?? "no table"}; no table was changed`,
          );
        }
      });
    } catch (error) {
      // The rollback means no pointer moved; for other failures the outcome is unknown and files stay.
      if (isFloeError(error, "commit-conflict") || isFloeError(error, "already-exists")) await abandonAll();
      throw error;
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

  async close(): Promise<void> {
    await this.dialect.close();
  }
}
