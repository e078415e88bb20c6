// iceberg_scan: reading a table on disk without a catalog, by table directory (newest metadata)
// or metadata file, at a snapshot, and after the table directory was moved.
import assert from "node:assert/strict";
import { cpSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { runSql } from "../../src/engine/sql-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";
import { tempDir } from "./read-fixtures.ts";

let engine: Engine;
let catalog: MemoryCatalog;
let dir: string;
let cleanup: () => void;
let table: Table;
let firstSnapshot: bigint;

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "v", required: false, type: "string" },
  ],
};

before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempDir("iceberg-scan"));
  catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(dir, "wh") });
  await catalog.createNamespace(["db"]);
  table = new Table(catalog, await catalog.createTable({ namespace: ["db"], name: "t" }, { schema: SCHEMA }));
  firstSnapshot = (await appendQuery(engine, table, "SELECT range AS id, 'a' AS v FROM range(4)")).snapshotId!;
  await appendQuery(engine, table, "SELECT range + 4 AS id, 'b' AS v FROM range(4)");
});
after(() => {
  engine.close();
  cleanup();
});

const count = async (sql: string): Promise<bigint> => {
  const [row] = await runSql(engine, catalog, sql);
  return row.n as bigint;
};

test("iceberg_scan of a table directory reads the newest metadata; of a metadata file, that version", async () => {
  const location = table.location();
  assert.equal(await count(`SELECT count(*) AS n FROM iceberg_scan('${location}')`), 8n);
  // The metadata file of the first append (version 1) knows only its rows.
  const metadataDir = path.join(location, "metadata");
  const first = readdirSync(metadataDir).find((name) => name.startsWith("00001-"))!;
  assert.equal(await count(`SELECT count(*) AS n FROM iceberg_scan('${path.join(metadataDir, first)}')`), 4n);
  assert.equal(
    await count(
      `SELECT count(*) AS n FROM iceberg_scan('${location}', snapshot_id => ${firstSnapshot}) AS s WHERE s.id < 100`,
    ),
    4n,
  );
});

test("iceberg_scan follows version-hint.text when the directory has one", async () => {
  const location = table.location();
  const metadataDir = path.join(location, "metadata");
  const copy = path.join(dir, "hinted");
  cpSync(location, copy, { recursive: true });
  writeFileSync(path.join(copy, "metadata", "version-hint.text"), "1\n");
  const rows = await runSql(
    engine,
    catalog,
    `SELECT count(*) AS n FROM iceberg_scan('${copy}', allow_moved_paths => true)`,
  );
  assert.equal(rows[0].n, 4n);
  assert.ok(readdirSync(metadataDir).length > 0);
});

test("a moved table reads with allow_moved_paths and fails clearly without", async () => {
  const location = table.location();
  const moved = path.join(dir, "moved-table");
  renameSync(location, moved);
  try {
    assert.equal(await count(`SELECT count(*) AS n FROM iceberg_scan('${moved}', allow_moved_paths => true)`), 8n);
    const rows = await runSql(
      engine,
      catalog,
      `SELECT v, count(*) AS n FROM iceberg_scan('${moved}', allow_moved_paths => true) GROUP BY v ORDER BY v`,
    );
    assert.deepEqual(rows, [
      { v: "a", n: 4n },
      { v: "b", n: 4n },
    ]);
    await assert.rejects(
      runSql(engine, catalog, `SELECT count(*) AS n FROM iceberg_scan('${moved}')`),
      (error: Error) => error.message.includes(location) && /allow_moved_paths/.test(error.message),
    );
  } finally {
    renameSync(moved, location);
  }
});

test("iceberg_scan rejects what it does not understand", async () => {
  await assert.rejects(
    runSql(engine, catalog, `SELECT * FROM iceberg_scan('${dir}/nothing-here')`),
    /no Iceberg metadata files/,
  );
  await assert.rejects(
    runSql(engine, catalog, `SELECT * FROM iceberg_scan('${table.location()}', version => 3)`),
    /unknown argument version/,
  );
});
