// Reads of files written under older schemas: columns resolve by field id, so renames, adds (with
// and without initial-default), drops, reorders, promotions and nested struct changes read right.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { type ReadTask, scanRelationSql } from "../../src/engine/read/scan-relation.ts";
import { tableScanSql } from "../../src/engine/read/table-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import type { DataFile } from "../../src/manifest/types.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";
import { UNPARTITIONED, rowsOf, tempDir, writeParquet } from "./read-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempDir("read-evolution"));
});
after(() => {
  engine.close();
  cleanup();
});

const task = (file: DataFile, spec: PartitionSpec = UNPARTITIONED): ReadTask => ({ file, spec, deletes: [] });

// Schema 0 as written to the old file.
const OLD_FIELD_IDS = `{id: 1, name: 2, score: 3, amount: 4, legacy: 5, info: {__duckdb_field_id: 6, a: 7, b: 8}, tags: {__duckdb_field_id: 12, element: {__duckdb_field_id: 13, k: 14}}}`;
const OLD_SELECT = `SELECT range::INT AS id, 'n' || range AS name, (range + 0.5)::FLOAT AS score,
  (range + 0.25)::DECIMAL(5,2) AS amount, 'gone' AS legacy, {'a': range::INT, 'b': 'b' || range} AS info,
  [{'k': range::INT}] AS tags FROM range(3)`;

// The current schema: score moved first, id int→long, name renamed, float→double, decimal widened,
// legacy dropped, info.a renamed and info.b dropped, info.c added, and two new top-level columns.
const CURRENT: Schema = {
  type: "struct",
  "schema-id": 3,
  fields: [
    { id: 3, name: "score", required: false, type: "double" },
    { id: 1, name: "id", required: false, type: "long" },
    { id: 2, name: "full_name", required: false, type: "string" },
    { id: 4, name: "amount", required: false, type: "decimal(12,2)" },
    {
      id: 6,
      name: "info",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 7, name: "alpha", required: false, type: "long" },
          { id: 9, name: "c", required: false, type: "string", "initial-default": "dflt" },
        ],
      },
    },
    {
      id: 12,
      name: "tags",
      required: false,
      type: {
        type: "list",
        "element-id": 13,
        "element-required": false,
        element: { type: "struct", fields: [{ id: 14, name: "key", required: false, type: "long" }] },
      },
    },
    { id: 10, name: "level", required: false, type: "int", "initial-default": 42 },
    { id: 11, name: "note", required: false, type: "string" },
  ],
};

const NEW_FIELD_IDS = `{score: 3, id: 1, full_name: 2, amount: 4, info: {__duckdb_field_id: 6, alpha: 7, c: 9}, tags: {__duckdb_field_id: 12, element: {__duckdb_field_id: 13, key: 14}}, level: 10, note: 11}`;
const NEW_SELECT = `SELECT 9.5::DOUBLE AS score, 9::BIGINT AS id, 'new' AS full_name, 1234567.89::DECIMAL(12,2) AS amount,
  {'alpha': 90::BIGINT, 'c': 'set'} AS info, [{'key': 99::BIGINT}] AS tags, 7::INT AS level, 'hello' AS note`;

test("files of an old schema read into the current one by field id", async () => {
  const old = await writeParquet(engine, path.join(dir, "old.parquet"), OLD_SELECT, OLD_FIELD_IDS);
  const current = await writeParquet(engine, path.join(dir, "new.parquet"), NEW_SELECT, NEW_FIELD_IDS);
  const sql = await scanRelationSql(engine, [task(old), task(current)], CURRENT);
  const rows = await rowsOf(engine, sql, "id");
  assert.deepEqual(Object.keys(rows[0]), ["score", "id", "full_name", "amount", "info", "tags", "level", "note"]);
  assert.deepEqual(rows[0], {
    score: 0.5,
    id: 0n,
    full_name: "n0",
    amount: 25n, // unscaled at scale 2: 0.25
    info: { alpha: 0n, c: "dflt" },
    tags: [{ key: 0n }],
    level: 42,
    note: null,
  });
  assert.equal(rows[2].full_name, "n2");
  assert.deepEqual(rows[3], {
    score: 9.5,
    id: 9n,
    full_name: "new",
    amount: 123456789n,
    info: { alpha: 90n, c: "set" },
    tags: [{ key: 99n }],
    level: 7,
    note: "hello",
  });
  const types = await engine.all<{ column_name: string; column_type: string }>(`DESCRIBE (${sql})`);
  assert.deepEqual(
    types.map((t) => t.column_type),
    [
      "DOUBLE",
      "BIGINT",
      "VARCHAR",
      "DECIMAL(12,2)",
      "STRUCT(alpha BIGINT, c VARCHAR)",
      'STRUCT("key" BIGINT)[]',
      "INTEGER",
      "VARCHAR",
    ],
  );
});

test("a column dropped and re-added under the same name reads as the new column, not the old data", async () => {
  const file = await writeParquet(
    engine,
    path.join(dir, "reuse.parquet"),
    `SELECT 1::BIGINT AS id, 'old' AS v, {'x': 'old-x'} AS s`,
    `{id: 1, v: 2, s: {__duckdb_field_id: 3, x: 4}}`,
  );
  const schema: Schema = {
    type: "struct",
    "schema-id": 1,
    fields: [
      { id: 1, name: "id", required: true, type: "long" },
      { id: 5, name: "v", required: false, type: "string" },
      {
        id: 3,
        name: "s",
        required: false,
        type: { type: "struct", fields: [{ id: 6, name: "x", required: false, type: "string" }] },
      },
    ],
  };
  const rows = await rowsOf(engine, await scanRelationSql(engine, [task(file)], schema), "id");
  assert.deepEqual(rows, [{ id: 1n, v: null, s: { x: null } }]);
});

test("a null struct stays null after a nested rebuild, and column selection narrows the output", async () => {
  const file = await writeParquet(
    engine,
    path.join(dir, "nullstruct.parquet"),
    `SELECT 1::INT AS id, NULL::STRUCT(a INT, b VARCHAR) AS info UNION ALL SELECT 2, {'a': 5, 'b': 'x'}`,
    `{id: 1, info: {__duckdb_field_id: 6, a: 7, b: 8}}`,
  );
  const sql = await scanRelationSql(engine, [task(file)], CURRENT, { columns: ["info", "id"] });
  const rows = await rowsOf(engine, sql, "id");
  assert.deepEqual(rows, [
    { info: null, id: 1n },
    { info: { alpha: 5n, c: "dflt" }, id: 2n },
  ]);
  await assert.rejects(scanRelationSql(engine, [task(file)], CURRENT, { columns: ["nope"] }), /no column named nope/);
});

test("identity partition values fill columns missing from the file (Hive-migrated files)", async () => {
  const schema: Schema = {
    type: "struct",
    "schema-id": 0,
    fields: [
      { id: 1, name: "id", required: true, type: "long" },
      { id: 2, name: "country", required: false, type: "string" },
      { id: 3, name: "day", required: false, type: "date" },
    ],
  };
  const spec: PartitionSpec = {
    "spec-id": 1,
    fields: [
      { "source-id": 2, "field-id": 1000, name: "country", transform: "identity" },
      { "source-id": 3, "field-id": 1001, name: "day", transform: "identity" },
    ],
  };
  const missing = await writeParquet(engine, path.join(dir, "hive.parquet"), "SELECT 1::BIGINT AS id", "{id: 1}", {
    partition: ["NL", 19000],
  });
  const present = await writeParquet(
    engine,
    path.join(dir, "present.parquet"),
    "SELECT 2::BIGINT AS id, 'DE' AS country, DATE '2022-01-01' AS day",
    "{id: 1, country: 2, day: 3}",
    { partition: ["DE", 18993] },
  );
  const rows = await rowsOf(
    engine,
    await scanRelationSql(engine, [task(missing, spec), task(present, spec)], schema),
    "id",
  );
  assert.deepEqual(rows, [
    { id: 1n, country: "NL", day: 19000 },
    { id: 2n, country: "DE", day: 18993 },
  ]);
});

test("an empty task list gives an empty relation with the projection's columns and types", async () => {
  const sql = await scanRelationSql(engine, [], CURRENT, { columns: ["id", "amount"] });
  assert.deepEqual(await engine.all(sql), []);
  const types = await engine.all<{ column_name: string; column_type: string }>(`DESCRIBE (${sql})`);
  assert.deepEqual(
    types.map((t) => [t.column_name, t.column_type]),
    [
      ["id", "BIGINT"],
      ["amount", "DECIMAL(12,2)"],
    ],
  );
});

test("a table evolved through the table API reads every file into its current schema", async () => {
  const catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(dir, "wh") });
  await catalog.createNamespace(["db"]);
  const schema: Schema = {
    type: "struct",
    "schema-id": 0,
    fields: [
      { id: 1, name: "id", required: true, type: "int" },
      { id: 2, name: "name", required: false, type: "string" },
      { id: 3, name: "score", required: false, type: "float" },
      { id: 4, name: "amount", required: false, type: "decimal(5,2)" },
      { id: 5, name: "legacy", required: false, type: "string" },
      {
        id: 6,
        name: "info",
        required: false,
        type: { type: "struct", fields: [{ id: 7, name: "a", required: false, type: "int" }] },
      },
    ],
  };
  const table = new Table(catalog, await catalog.createTable({ namespace: ["db"], name: "evolving" }, { schema }));
  await appendQuery(
    engine,
    table,
    "SELECT 1 AS id, 'one' AS name, 1.5 AS score, 1.25 AS amount, 'x' AS legacy, {'a': 10} AS info",
  );
  await table
    .updateSchema()
    .updateColumn("id", "long")
    .updateColumn("score", "double")
    .updateColumn("amount", "decimal(10,2)")
    .renameColumn("name", "full_name")
    .renameColumn("info.a", "alpha")
    .addColumn("info", "c", "string")
    .deleteColumn("legacy")
    .addColumn(null, "note", "string")
    .moveFirst("note")
    .commit();
  await appendQuery(
    engine,
    table,
    "SELECT 'n' AS note, 2 AS id, 'two' AS full_name, 2.5 AS score, 12345678.91 AS amount, {'alpha': 20, 'c': 'cc'} AS info",
  );
  const { sql } = await tableScanSql(engine, table.io, table.metadata);
  assert.deepEqual(await rowsOf(engine, sql, "id"), [
    { note: null, id: 1n, full_name: "one", score: 1.5, amount: 125n, info: { alpha: 10, c: null } },
    { note: "n", id: 2n, full_name: "two", score: 2.5, amount: 1234567891n, info: { alpha: 20, c: "cc" } },
  ]);
});
