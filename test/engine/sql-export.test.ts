// Query results: rows with exact 64-bit integers, and exports straight from DuckDB to Parquet,
// CSV and JSON that keep them exact too (9007199254740993 is 2^53 + 1: a double would round it).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { parseJson } from "../../src/core/json.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { exportQuery, planSql, runSql } from "../../src/engine/sql-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";
import { tempDir } from "./read-fixtures.ts";

const BIG = 9007199254740993n;
let engine: Engine;
let catalog: MemoryCatalog;
let dir: string;
let cleanup: () => void;

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "label", required: false, type: "string" },
  ],
};

before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempDir("sql-export"));
  catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(dir, "wh") });
  await catalog.createNamespace(["db"]);
  const table = new Table(catalog, await catalog.createTable({ namespace: ["db"], name: "big" }, { schema: SCHEMA }));
  await appendQuery(
    engine,
    table,
    `SELECT * FROM (VALUES (${BIG}, 'big'), (-${BIG}, 'neg'), (1, 'one')) AS v(id, label)`,
  );
});
after(() => {
  engine.close();
  cleanup();
});

const QUERY = "SELECT id, label FROM db.big ORDER BY id";

test("rows come back with exact bigints", async () => {
  const rows = await runSql(engine, catalog, QUERY);
  assert.deepEqual(rows, [
    { id: -BIG, label: "neg" },
    { id: 1n, label: "one" },
    { id: BIG, label: "big" },
  ]);
});

test("JSON export is one array of row objects with exact 64-bit integers", async () => {
  const output = path.join(dir, "out.json");
  const written = await exportQuery(engine, await planSql(engine, catalog, QUERY), { format: "json", output });
  assert.equal(written, 3n);
  const text = readFileSync(output, "utf8");
  assert.match(text, /9007199254740993/);
  assert.deepEqual(parseJson(text), [
    { id: -BIG, label: "neg" },
    { id: 1, label: "one" },
    { id: BIG, label: "big" },
  ]);
});

test("CSV export has a header and exact integers", async () => {
  const output = path.join(dir, "out.csv");
  await exportQuery(engine, await planSql(engine, catalog, QUERY), { format: "csv", output });
  assert.deepEqual(readFileSync(output, "utf8").trim().split("\n"), ["id,label", `-${BIG},neg`, "1,one", `${BIG},big`]);
});

test("Parquet export reads back exactly, and non-local outputs go through FileIO", async () => {
  const output = path.join(dir, "out.parquet");
  await exportQuery(engine, await planSql(engine, catalog, QUERY), { format: "parquet", output });
  const back = await engine.all(`SELECT id FROM read_parquet('${output}') ORDER BY id`);
  assert.deepEqual(back, [{ id: -BIG }, { id: 1n }, { id: BIG }]);

  const io = new MemoryFileIO();
  await exportQuery(engine, await planSql(engine, catalog, QUERY), {
    format: "csv",
    output: "memory://exports/x.csv",
    io,
  });
  assert.match(new TextDecoder().decode(await io.read("memory://exports/x.csv")), /^id,label\n/);
  await assert.rejects(
    exportQuery(engine, "SELECT 1", { format: "csv", output: "memory://exports/y.csv" }),
    /needs a FileIO/,
  );
});
