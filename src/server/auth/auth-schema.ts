/**
 * floe's own auth tables, created next to the JDBC catalog tables in the catalog database. They
 * use only VARCHAR columns and string values so the same DDL and statements run on SQLite and
 * PostgreSQL through the catalog's SqlDialect.
 */
import type { SqlDialect } from "../../catalog/sql-dialect.ts";

/** One row per principal: its unique name, its client id and the scrypt hash of its secret. */
export const PRINCIPALS_TABLE = "floe_principals";
/** One row per (principal, object, privilege) granted. */
export const GRANTS_TABLE = "floe_grants";
/** One row per audited request. */
export const AUDIT_TABLE = "floe_audit_log";
/** Server-wide auth settings, e.g. the generated token signing secret. */
export const AUTH_SETTINGS_TABLE = "floe_auth_settings";

const DDL: [string, string][] = [
  [
    PRINCIPALS_TABLE,
    `CREATE TABLE ${PRINCIPALS_TABLE} (` +
      "name VARCHAR(255) NOT NULL PRIMARY KEY, " +
      "client_id VARCHAR(64) NOT NULL UNIQUE, " +
      "secret_hash VARCHAR(255) NOT NULL, " +
      "created_at VARCHAR(40) NOT NULL)",
  ],
  [
    GRANTS_TABLE,
    `CREATE TABLE ${GRANTS_TABLE} (` +
      "principal_name VARCHAR(255) NOT NULL, " +
      "object_path VARCHAR(1000) NOT NULL, " +
      "privilege VARCHAR(10) NOT NULL, " +
      "granted_at VARCHAR(40) NOT NULL, " +
      "PRIMARY KEY (principal_name, object_path, privilege))",
  ],
  [
    AUDIT_TABLE,
    `CREATE TABLE ${AUDIT_TABLE} (` +
      "event_id VARCHAR(64) NOT NULL PRIMARY KEY, " +
      "event_time VARCHAR(40) NOT NULL, " +
      "request_id VARCHAR(128), " +
      "principal VARCHAR(255), " +
      "operation VARCHAR(64) NOT NULL, " +
      "privilege VARCHAR(10), " +
      "objects VARCHAR(4000) NOT NULL, " +
      "outcome VARCHAR(10) NOT NULL, " +
      "status VARCHAR(5) NOT NULL, " +
      "error_kind VARCHAR(32), " +
      "error_message VARCHAR(4000))",
  ],
  [
    AUTH_SETTINGS_TABLE,
    `CREATE TABLE ${AUTH_SETTINGS_TABLE} (` +
      "setting_key VARCHAR(255) NOT NULL PRIMARY KEY, " +
      "setting_value VARCHAR(1000) NOT NULL)",
  ],
];

/** Creates the auth tables that are missing; safe to run from several processes at once. */
export async function ensureAuthSchema(dialect: SqlDialect): Promise<void> {
  for (const [table, ddl] of DDL) {
    if (await dialect.tableExists(table)) continue;
    try {
      await dialect.execute(ddl);
    } catch (error) {
      // Another process may have created it between the check and the CREATE; that is success.
      if (!(await dialect.tableExists(table))) throw error;
    }
  }
}
