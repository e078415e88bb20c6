// Row-level deletes on read: position deletes by (file, row position), equality deletes by value
// with null equal to null, both limited to the data files the planner matched them to (sequence
// numbers and partitions), through real commits of a table in a catalog.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { FileCache } from "../../src/engine/read/file-cache.ts";
import { tableScanSql } from "../../src/engine/read/table-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";
import { AddDeleteFiles, positionsOf, tempDir, writeDeleteFile } from "./read-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempDir("read-deletes"));
});
after(() => {
  engine.close();
  cleanup();
});

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "k", required: false, type: "string" },
    { id: 3, name: "p", required: false, type: "int" },
  ],
};

let tableCount = 0;
async function newTable(io: LocalFileIO | MemoryFileIO, warehouse: string, spec?: PartitionSpec): Promise<Table> {
  const catalog = new MemoryCatalog({ io, warehouse });
  await catalog.createNamespace(["db"]);
  const loaded = await catalog.createTable(
    { namespace: ["db"], name: `t${tableCount++}` },
    { schema: SCHEMA, partitionSpec: spec },
  );
  return new Table(catalog, loaded);
}

async function ids(table: Table, options: { snapshotId?: bigint; cache?: FileCache } = {}): Promise<bigint[]> {
  const { sql } = await tableScanSql(engine, table.io, table.metadata, {
    snapshotId: options.snapshotId,
    fileCache: options.cache,
  });
  const rows = await engine.all<{ id: bigint }>(`SELECT id FROM (${sql}) ORDER BY id`);
  return rows.map((r) => r.id);
}

test("position deletes remove exactly the named rows of the named files", async () => {
  const table = await newTable(new LocalFileIO(), path.join(dir, "pos"));
  const a = await appendQuery(engine, table, "SELECT range AS id, 'a' AS k, 1 AS p FROM range(10)");
  const b = await appendQuery(engine, table, "SELECT range + 10 AS id, 'b' AS k, 1 AS p FROM range(10)");
  const fileA = a.files[0].filePath;
  const fileB = b.files[0].filePath;
  const posA = await positionsOf(engine, fileA, [1, 3]);
  const posB = await positionsOf(engine, fileB, [10]);
  const deletes = await writeDeleteFile(
    engine,
    table.io,
    path.join(dir, "pos", "pos-deletes.parquet"),
    `SELECT * FROM (VALUES ('${fileA}', ${posA[0]}::BIGINT), ('${fileA}', ${posA[1]}::BIGINT), ('${fileB}', ${posB[0]}::BIGINT)) AS v(file_path, pos)`,
    {},
  );
  const before = table.currentSnapshot()!["snapshot-id"];
  await table.commitAction(new AddDeleteFiles(table, [deletes]));
  const expected = [...Array(20).keys()].filter((i) => ![1, 3, 10].includes(i)).map(BigInt);
  assert.deepEqual(await ids(table), expected);
  // The snapshot before the delete still has every row.
  assert.equal((await ids(table, { snapshotId: before })).length, 20);
});

test("equality deletes remove older rows only, and match null to null", async () => {
  const table = await newTable(new LocalFileIO(), path.join(dir, "eq"));
  await appendQuery(
    engine,
    table,
    "SELECT * FROM (VALUES (1, 'x', 1), (2, 'y', 1), (3, NULL, 1), (4, 'z', 1)) AS v(id, k, p)",
  );
  const deletes = await writeDeleteFile(
    engine,
    table.io,
    path.join(dir, "eq", "eq-deletes.parquet"),
    "SELECT * FROM (VALUES ('y'), (NULL)) AS v(k)",
    { equalityIds: [2], fieldIds: "{k: 2}" },
  );
  await table.commitAction(new AddDeleteFiles(table, [deletes]));
  // Rows written after the delete are not deleted by it, even with a deleted value.
  await appendQuery(engine, table, "SELECT * FROM (VALUES (5, 'y', 1), (6, NULL, 1)) AS v(id, k, p)");
  assert.deepEqual(await ids(table), [1n, 4n, 5n, 6n]);
});

test("deletes of one partition leave other partitions alone", async () => {
  const spec: PartitionSpec = {
    "spec-id": 0,
    fields: [{ "source-id": 3, "field-id": 1000, name: "p", transform: "identity" }],
  };
  const table = await newTable(new LocalFileIO(), path.join(dir, "part"), spec);
  await appendQuery(engine, table, "SELECT * FROM (VALUES (1, 'x', 1), (2, 'x', 2), (3, 'w', 2)) AS v(id, k, p)");
  const deletes = await writeDeleteFile(engine, table.io, path.join(dir, "part", "eq-p1.parquet"), "SELECT 'x' AS k", {
    equalityIds: [2],
    fieldIds: "{k: 2}",
    partition: [1],
    specId: 0,
  });
  await table.commitAction(new AddDeleteFiles(table, [deletes]));
  assert.deepEqual(await ids(table), [2n, 3n]);
});

test("tables on non-local storage are read through the file cache, deletes included", async () => {
  const io = new MemoryFileIO();
  const table = await newTable(io, "memory://wh");
  const a = await appendQuery(engine, table, "SELECT range AS id, 'k' || range AS k, 1 AS p FROM range(5)");
  assert.ok(a.files[0].filePath.startsWith("memory://"));
  const local = path.join(dir, "memcopy.parquet");
  await new LocalFileIO().write(local, await io.read(a.files[0].filePath));
  const [pos] = await positionsOf(engine, local, [2]);
  const deletes = await writeDeleteFile(
    engine,
    io,
    "memory://wh/db/deletes/pos.parquet",
    `SELECT '${a.files[0].filePath}' AS file_path, ${pos}::BIGINT AS pos`,
    {},
  );
  await table.commitAction(new AddDeleteFiles(table, [deletes]));
  const cache = new FileCache({ directory: path.join(dir, "cache"), maxBytes: 1 });
  assert.deepEqual(await ids(table, { cache }), [0n, 1n, 3n, 4n]);
  // Over budget, yet the files of the read were kept until it was planned; the next read evicts
  // nothing it needs and still answers.
  assert.deepEqual(await ids(table, { cache }), [0n, 1n, 3n, 4n]);
});
