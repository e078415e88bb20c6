// Needs a PostgreSQL server (see test/support/postgres-database.ts); fails, never skips, without one.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { openPostgresDialect } from "../../src/catalog/postgres-dialect.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.ts";
import { runCatalogConformance } from "./conformance.ts";
import { runSqlCatalogChecks } from "./sql-checks.ts";

const tempDir = () => mkdtemp(path.join(tmpdir(), "floe-postgres-catalog-"));

// One database for the conformance cases; each case is its own catalog name in it.
let shared: TestDatabase | undefined;
const extra: TestDatabase[] = [];
before(async () => {
  shared = await createTestDatabase("catalog");
});
after(async () => {
  await shared?.drop();
  await Promise.all(extra.map((database) => database.drop()));
});

let cases = 0;
runCatalogConformance("postgres", async () => {
  if (!shared) throw new Error("the test database was not created");
  cases += 1;
  const warehouse = await tempDir();
  const catalog = await openCatalog(shared.url, { warehouse, io: new LocalFileIO(), name: `conformance-${cases}` });
  return { catalog, warehouse, cleanup: () => rm(warehouse, { recursive: true, force: true }) };
});

// The SQL checks need an empty database each.
runSqlCatalogChecks("postgres", async () => {
  const database = await createTestDatabase("sql_checks");
  extra.push(database);
  const dialect = openPostgresDialect({ connectionString: database.url });
  const warehouse = await tempDir();
  return {
    uri: database.url,
    warehouse,
    dialect,
    describeColumns: async (table) => {
      const columns = await dialect.query(
        "SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns " +
          "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        [table],
      );
      const keys = await dialect.query(
        "SELECT k.column_name FROM information_schema.table_constraints c " +
          "JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema " +
          "WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() AND c.table_name = ?",
        [table],
      );
      const primary = new Set(keys.map((row) => String(row.column_name)));
      return columns.map((column) => ({
        name: String(column.column_name),
        type:
          column.data_type === "character varying"
            ? `VARCHAR(${column.character_maximum_length})`
            : String(column.data_type).toUpperCase(),
        nullable: column.is_nullable === "YES",
        primaryKey: primary.has(String(column.column_name)),
      }));
    },
    cleanup: async () => {
      await rm(warehouse, { recursive: true, force: true });
      await database.drop();
      extra.splice(extra.indexOf(database), 1);
    },
  };
});
