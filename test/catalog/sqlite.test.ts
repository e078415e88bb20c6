import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { openSqliteDialect } from "../../src/catalog/sqlite-dialect.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { runCatalogConformance } from "./conformance.ts";
import { runSqlCatalogChecks } from "./sql-checks.ts";

const tempDir = () => mkdtemp(path.join(tmpdir(), "floe-sqlite-catalog-"));

// Each case gets its own database file at the default place, <warehouse>/catalog.db.
runCatalogConformance("sqlite", async () => {
  const warehouse = await tempDir();
  const catalog = await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() });
  return { catalog, warehouse, cleanup: () => rm(warehouse, { recursive: true, force: true }) };
});

runSqlCatalogChecks("sqlite", async () => {
  const dir = await tempDir();
  const file = path.join(dir, "catalog.db");
  const dialect = openSqliteDialect({ path: file });
  return {
    uri: `sqlite:${file}`,
    warehouse: path.join(dir, "warehouse"),
    dialect,
    describeColumns: async (table) =>
      (await dialect.query(`PRAGMA table_info(${table})`)).map((column) => ({
        name: String(column.name),
        type: String(column.type).toUpperCase(),
        nullable: column.notnull === 0,
        primaryKey: Number(column.pk) > 0,
      })),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

let root: string;
before(async () => {
  root = await tempDir();
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test("the default SQLite database is <warehouse>/catalog.db in WAL mode, parent folders created", async () => {
  const warehouse = path.join(root, "nested", "deeper", "warehouse");
  const catalog = await openCatalog("sqlite:", { warehouse });
  await catalog.createNamespace(["web"]);
  await catalog.close();
  const file = path.join(warehouse, "catalog.db");
  assert.equal(existsSync(file), true);
  const db = new Database(file, { readonly: true });
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  db.close();
});

test("sqlite:PATH and sqlite://PATH open the named file", async () => {
  const file = path.join(root, "explicit", "named.db");
  const warehouse = path.join(root, "wh-explicit");
  const first = await openCatalog(`sqlite:${file}`, { warehouse });
  await first.createNamespace(["shared"]);
  await first.close();
  assert.equal(existsSync(file), true);
  const second = await openCatalog(`sqlite://${file}`, { warehouse });
  assert.deepEqual(await second.listNamespaces(), [["shared"]]);
  await second.close();
});

test("two catalogs on one SQLite file see each other's commits", async () => {
  const warehouse = path.join(root, "wh-shared");
  const writer = await openCatalog("sqlite:", { warehouse });
  const reader = await openCatalog("sqlite:", { warehouse });
  await writer.createNamespace(["web"]);
  const created = await writer.createTable(
    { namespace: ["web"], name: "events" },
    { schema: { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "id", required: true, type: "long" }] } },
  );
  assert.equal((await reader.loadTable(created.identifier)).metadataLocation, created.metadataLocation);
  const committed = await writer.commitTable(
    created.identifier,
    [],
    [{ action: "set-properties", updates: { a: "1" } }],
  );
  assert.equal((await reader.loadTable(created.identifier)).metadataLocation, committed.metadataLocation);
  await Promise.all([writer.close(), reader.close()]);
});
