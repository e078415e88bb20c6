/**
 * The tables of Iceberg's JDBC catalog, exactly as the reference implementations create them, so
 * Java's JdbcCatalog and PyIceberg's SqlCatalog can open a database floe created and vice versa.
 *
 * Both create the "V0" layout below. Java can optionally upgrade a database to "V1" by adding an
 * `iceberg_type` column (VARCHAR(5), 'TABLE' or 'VIEW', NULL on rows written before); floe never
 * adds it, but when it is present floe fills it for new tables and ignores VIEW rows, as Java does.
 */
import type { SqlDialect } from "./sql-dialect.ts";

/** Name of the table holding one row per table: its metadata pointer. */
export const TABLES_TABLE = "iceberg_tables";
/** Name of the table holding namespace properties, one row per key. */
export const NAMESPACE_PROPERTIES_TABLE = "iceberg_namespace_properties";
/** The optional V1 column that tells tables from views. */
export const RECORD_TYPE_COLUMN = "iceberg_type";

/** DDL of iceberg_tables (Java JdbcUtil V0_CREATE_CATALOG_SQL; same columns as PyIceberg). */
export const CREATE_TABLES_TABLE =
  `CREATE TABLE ${TABLES_TABLE} (` +
  "catalog_name VARCHAR(255) NOT NULL, " +
  "table_namespace VARCHAR(255) NOT NULL, " +
  "table_name VARCHAR(255) NOT NULL, " +
  "metadata_location VARCHAR(1000), " +
  "previous_metadata_location VARCHAR(1000), " +
  "PRIMARY KEY (catalog_name, table_namespace, table_name))";

/** DDL of iceberg_namespace_properties (Java JdbcUtil CREATE_NAMESPACE_PROPERTIES_TABLE_SQL). */
export const CREATE_NAMESPACE_PROPERTIES_TABLE =
  `CREATE TABLE ${NAMESPACE_PROPERTIES_TABLE} (` +
  "catalog_name VARCHAR(255) NOT NULL, " +
  "namespace VARCHAR(255) NOT NULL, " +
  "property_key VARCHAR(255), " +
  "property_value VARCHAR(1000), " +
  "PRIMARY KEY (catalog_name, namespace, property_key))";

/** What the catalog learnt about an existing database's layout. */
export interface CatalogSchemaInfo {
  /** True when iceberg_tables has the V1 iceberg_type column. */
  hasRecordType: boolean;
}

async function createIfMissing(dialect: SqlDialect, table: string, ddl: string): Promise<void> {
  if (await dialect.tableExists(table)) return;
  try {
    await dialect.execute(ddl);
  } catch (error) {
    // Another process may have created it between the check and the CREATE; that is success.
    if (!(await dialect.tableExists(table))) throw error;
  }
}

/** Creates the catalog tables when absent and reports the layout of iceberg_tables. */
export async function ensureCatalogSchema(dialect: SqlDialect): Promise<CatalogSchemaInfo> {
  await createIfMissing(dialect, TABLES_TABLE, CREATE_TABLES_TABLE);
  await createIfMissing(dialect, NAMESPACE_PROPERTIES_TABLE, CREATE_NAMESPACE_PROPERTIES_TABLE);
  const columns = await dialect.columns(TABLES_TABLE);
  return { hasRecordType: columns.includes(RECORD_TYPE_COLUMN) };
}
