/**
 * Checks specific to the SQL catalog, run against SQLite and PostgreSQL: the database holds exactly
 * the JDBC catalog schema and rows Java's JdbcCatalog and PyIceberg's SqlCatalog expect, catalog
 * names scope rows, rows written by other implementations are understood, and V1 databases (with
 * iceberg_type) work.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import type { SqlDialect } from "../../src/catalog/sql-dialect.ts";
import { CREATE_NAMESPACE_PROPERTIES_TABLE, CREATE_TABLES_TABLE } from "../../src/catalog/sql-schema.ts";
import { assertRejectsKind, EVENTS_SCHEMA } from "./conformance.ts";

/** One column as the database describes it, normalized across databases. */
export interface ColumnInfo {
  name: string;
  /** "VARCHAR(255)" style. */
  type: string;
  nullable: boolean;
  primaryKey: boolean;
}

/** A fresh, empty database to run the checks on. */
export interface SqlTarget {
  /** Catalog URI of the database. */
  uri: string;
  warehouse: string;
  /** A separate connection for preparing and inspecting the database. */
  dialect: SqlDialect;
  /** Columns of a table, in declaration order. */
  describeColumns(table: string): Promise<ColumnInfo[]>;
  cleanup(): Promise<void>;
}

const varchar = (length: number) => `VARCHAR(${length})`;

/** Registers the SQL-level checks under `describe(name)`. */
export function runSqlCatalogChecks(name: string, setup: () => Promise<SqlTarget>): void {
  describe(`SQL catalog checks: ${name}`, () => {
    let target: SqlTarget;
    beforeEach(async () => {
      target = await setup();
    });
    afterEach(async () => {
      await target.dialect.close();
      await target.cleanup();
    });
    const open = (catalogName?: string) => openCatalog(target.uri, { warehouse: target.warehouse, name: catalogName });

    test("the catalog creates exactly the JDBC catalog tables", async () => {
      const catalog = await open();
      await catalog.close();
      assert.deepEqual(await target.describeColumns("iceberg_tables"), [
        { name: "catalog_name", type: varchar(255), nullable: false, primaryKey: true },
        { name: "table_namespace", type: varchar(255), nullable: false, primaryKey: true },
        { name: "table_name", type: varchar(255), nullable: false, primaryKey: true },
        { name: "metadata_location", type: varchar(1000), nullable: true, primaryKey: false },
        { name: "previous_metadata_location", type: varchar(1000), nullable: true, primaryKey: false },
      ]);
      const properties = await target.describeColumns("iceberg_namespace_properties");
      assert.deepEqual(
        properties.map(({ name, type, primaryKey }) => ({ name, type, primaryKey })),
        [
          { name: "catalog_name", type: varchar(255), primaryKey: true },
          { name: "namespace", type: varchar(255), primaryKey: true },
          { name: "property_key", type: varchar(255), primaryKey: true },
          { name: "property_value", type: varchar(1000), primaryKey: false },
        ],
      );
      // Opening again finds the tables and leaves them alone.
      const again = await open();
      await again.close();
      assert.equal((await target.describeColumns("iceberg_tables")).length, 5);
    });

    test("rows are what Java's JdbcCatalog writes: dot-joined namespaces, an exists marker, pointer columns", async () => {
      const catalog = await open("rows");
      await catalog.createNamespace(["web", "clicks"], { owner: "web-team" });
      const created = await catalog.createTable(
        { namespace: ["web", "clicks"], name: "events" },
        { schema: EVENTS_SCHEMA },
      );
      const properties = await target.dialect.query(
        "SELECT catalog_name, namespace, property_key, property_value FROM iceberg_namespace_properties ORDER BY property_key",
      );
      assert.deepEqual(properties, [
        { catalog_name: "rows", namespace: "web.clicks", property_key: "exists", property_value: "true" },
        { catalog_name: "rows", namespace: "web.clicks", property_key: "owner", property_value: "web-team" },
      ]);
      const select =
        "SELECT catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location FROM iceberg_tables";
      assert.deepEqual(await target.dialect.query(select), [
        {
          catalog_name: "rows",
          table_namespace: "web.clicks",
          table_name: "events",
          metadata_location: created.metadataLocation,
          previous_metadata_location: null,
        },
      ]);
      const committed = await catalog.commitTable(
        created.identifier,
        [],
        [{ action: "set-properties", updates: { a: "b" } }],
      );
      const [row] = await target.dialect.query(select);
      assert.equal(row.metadata_location, committed.metadataLocation);
      assert.equal(row.previous_metadata_location, created.metadataLocation);
      await catalog.close();
    });

    test("the catalog name scopes namespaces and tables; the default name is floe", async () => {
      const one = await open("one");
      const two = await open("two");
      const fallback = await open();
      assert.equal(fallback.name, "floe");
      await one.createNamespace(["web"]);
      await one.createTable({ namespace: ["web"], name: "events" }, { schema: EVENTS_SCHEMA });
      assert.equal(await two.namespaceExists(["web"]), false);
      assert.deepEqual(await two.listNamespaces(), []);
      await two.createNamespace(["web"]);
      assert.deepEqual(await two.listTables(["web"]), []);
      await two.createTable(
        { namespace: ["web"], name: "events" },
        { schema: EVENTS_SCHEMA, location: `${target.warehouse}/two/events` },
      );
      await two.dropTable({ namespace: ["web"], name: "events" });
      assert.equal(await one.tableExists({ namespace: ["web"], name: "events" }), true);
      assert.deepEqual(await fallback.listNamespaces(), []);
      const names = await target.dialect.query(
        "SELECT DISTINCT catalog_name FROM iceberg_namespace_properties ORDER BY catalog_name",
      );
      assert.deepEqual(
        names.map((row) => row.catalog_name),
        ["one", "two"],
      );
      await Promise.all([one.close(), two.close(), fallback.close()]);
    });

    test("rows written by other implementations are understood", async () => {
      const catalog = await open("interop");
      await catalog.createNamespace(["source"]);
      const created = await catalog.createTable({ namespace: ["source"], name: "events" }, { schema: EVENTS_SCHEMA });
      // A table row in a namespace that has no property rows (written by a catalog in strict-mode off).
      await target.dialect.execute(
        "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location) VALUES (?, ?, ?, ?, NULL)",
        ["interop", "legacy.deep", "events", created.metadataLocation],
      );
      assert.equal(await catalog.namespaceExists(["legacy", "deep"]), true);
      assert.equal(await catalog.namespaceExists(["legacy"]), true);
      assert.deepEqual(await catalog.listNamespaces(), [["legacy"], ["source"]]);
      assert.deepEqual(await catalog.listTables(["legacy", "deep"]), [
        { namespace: ["legacy", "deep"], name: "events" },
      ]);
      const loaded = await catalog.loadTable({ namespace: ["legacy", "deep"], name: "events" });
      assert.equal(loaded.metadata["table-uuid"], created.metadata["table-uuid"]);
      assert.deepEqual(await catalog.loadNamespaceProperties(["legacy", "deep"]), {});
      await catalog.close();
    });

    test("a V1 database (iceberg_type column) is used as Java uses it: views are not tables", async () => {
      await target.dialect.execute(CREATE_TABLES_TABLE);
      await target.dialect.execute(CREATE_NAMESPACE_PROPERTIES_TABLE);
      await target.dialect.execute("ALTER TABLE iceberg_tables ADD COLUMN iceberg_type VARCHAR(5)");
      await target.dialect.execute(
        "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES ('v1', 'web', 'daily_view', 'file:///nowhere/view.metadata.json', NULL, 'VIEW')",
      );
      await target.dialect.execute(
        "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES ('v1', 'web', 'exists', 'true')",
      );
      const catalog = await open("v1");
      await catalog.createTable({ namespace: ["web"], name: "events" }, { schema: EVENTS_SCHEMA });
      assert.deepEqual(await catalog.listTables(["web"]), [{ namespace: ["web"], name: "events" }]);
      assert.equal(await catalog.tableExists({ namespace: ["web"], name: "daily_view" }), false);
      await assertRejectsKind(catalog.loadTable({ namespace: ["web"], name: "daily_view" }), "not-found", "daily_view");
      await assertRejectsKind(
        catalog.createTable({ namespace: ["web"], name: "daily_view" }, { schema: EVENTS_SCHEMA }),
        "already-exists",
        "daily_view",
      );
      const types = await target.dialect.query(
        "SELECT table_name, iceberg_type FROM iceberg_tables WHERE catalog_name = 'v1' ORDER BY table_name",
      );
      assert.deepEqual(types, [
        { table_name: "daily_view", iceberg_type: "VIEW" },
        { table_name: "events", iceberg_type: "TABLE" },
      ]);
      await assertRejectsKind(catalog.dropNamespace(["web"]), "validation", "web");
      await catalog.close();
    });
  });
}
