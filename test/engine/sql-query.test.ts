// SQL over catalog tables: table references rewritten into scans, time travel per reference with
// the AT clause (snapshot id, branch/tag, timestamp) or per query through options, and the
// references that must be left alone (CTEs, strings, DuckDB's own schemas).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { planSql, runSql } from "../../src/engine/sql-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";
import { tempDir } from "./read-fixtures.ts";

let engine: Engine;
let catalog: MemoryCatalog;
let table: Table;
let cleanup: () => void;
const snapshots: bigint[] = [];
const times: number[] = [];

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "page", required: false, type: "string" },
  ],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  engine = await Engine.create({ threads: 2 });
  const temp = tempDir("sql-query");
  cleanup = temp.cleanup;
  catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(temp.dir, "wh") });
  await catalog.createNamespace(["clicks"]);
  table = new Table(catalog, await catalog.createTable({ namespace: ["clicks"], name: "events" }, { schema: SCHEMA }));
  for (let i = 0; i < 3; i++) {
    await sleep(5);
    const result = await appendQuery(
      engine,
      table,
      `SELECT range + ${i * 10} AS id, 'p' || range AS page FROM range(10)`,
    );
    snapshots.push(result.snapshotId!);
    times.push(table.currentSnapshot()!["timestamp-ms"]);
  }
  await table.manageSnapshots().createTag("first", snapshots[0]).commit();
  // A later rename: old snapshots read with their own schema, the current one with the new name.
  await table.updateSchema().renameColumn("page", "url").commit();
});
after(() => {
  engine.close();
  cleanup();
});

const count = async (sql: string, options = {}): Promise<bigint> => {
  const [row] = await runSql(engine, catalog, sql, options);
  return row.n as bigint;
};

test("a catalog table reads its current snapshot with the current schema", async () => {
  assert.equal(await count("SELECT count(*) AS n FROM clicks.events"), 30n);
  const rows = await runSql(engine, catalog, "SELECT id, url FROM clicks.events WHERE id = 25");
  assert.deepEqual(rows, [{ id: 25n, url: "p5" }]);
  // Qualified column references through the table name or an alias still resolve.
  assert.equal(await count("SELECT count(events.id) AS n FROM clicks.events"), 30n);
  assert.equal(await count("SELECT count(e.id) AS n FROM clicks.events AS e JOIN clicks.events f ON e.id = f.id"), 30n);
});

test("AT (VERSION => id) reads a snapshot by id, with that snapshot's schema", async () => {
  assert.equal(await count(`SELECT count(*) AS n FROM clicks.events AT (VERSION => ${snapshots[0]})`), 10n);
  const rows = await runSql(
    engine,
    catalog,
    `SELECT page FROM clicks.events e AT (VERSION => ${snapshots[1]}) WHERE e.id = 12`,
  );
  assert.deepEqual(rows, [{ page: "p2" }]);
  // Two versions of the same table in one query.
  const [diff] = await runSql(
    engine,
    catalog,
    `SELECT (SELECT count(*) FROM clicks.events) - (SELECT count(*) FROM clicks.events AT (VERSION => ${snapshots[1]})) AS d`,
  );
  assert.equal(diff.d, 10n);
});

test("AT (VERSION => 'tag') reads a branch or tag; AT (TIMESTAMP => ...) the snapshot current then", async () => {
  assert.equal(await count("SELECT count(*) AS n FROM clicks.events AT (VERSION => 'first')"), 10n);
  const second = new Date(times[1]).toISOString().replace("T", " ").replace("Z", "");
  assert.equal(await count(`SELECT count(*) AS n FROM clicks.events AT (TIMESTAMP => '${second}')`), 20n);
  assert.equal(await count(`SELECT count(*) AS n FROM clicks.events AT (TIMESTAMP => ${times[2]})`), 30n);
  await assert.rejects(
    runSql(engine, catalog, "SELECT * FROM clicks.events AT (TIMESTAMP => '1990-01-01')"),
    (error: Error) => /no snapshot|before|not/i.test(error.message),
  );
});

test("query options time-travel every reference without its own AT clause", async () => {
  assert.equal(await count("SELECT count(*) AS n FROM clicks.events", { snapshotId: snapshots[1] }), 20n);
  assert.equal(await count("SELECT count(*) AS n FROM clicks.events", { ref: "first" }), 10n);
  assert.equal(await count("SELECT count(*) AS n FROM clicks.events", { asOfTimestampMs: times[0] }), 10n);
});

test("CTE names, strings, comments and DuckDB's own schemas are left alone", async () => {
  const rows = await runSql(
    engine,
    catalog,
    `WITH events AS (SELECT 1 AS x) -- clicks.events in a comment
     SELECT 'clicks.events' AS s, (SELECT count(*) FROM events) AS c, count(*) AS n FROM clicks.events /* clicks.events */`,
  );
  assert.deepEqual(rows, [{ s: "clicks.events", c: 1n, n: 30n }]);
  const [info] = await runSql(engine, catalog, "SELECT count(*) AS n FROM information_schema.schemata");
  assert.ok((info.n as bigint) > 0n);
  const planned = await planSql(engine, catalog, "SELECT 'é' AS a, id FROM clicks.events x AT (VERSION => 'first')");
  assert.match(planned, /^SELECT 'é' AS a, id FROM \(.*read_parquet/s);
  assert.doesNotMatch(planned, /AT \(VERSION/);
});

test("unknown tables and bad statements fail clearly", async () => {
  await assert.rejects(runSql(engine, catalog, "SELECT * FROM clicks.nope"), /table clicks\.nope does not exist/);
  await assert.rejects(
    runSql(engine, catalog, "SELECT * FROM clicks.events AT (VERSION => 1)"),
    /snapshot 1 does not exist/,
  );
  await assert.rejects(runSql(engine, catalog, "SELEC 1"), /cannot run this SQL/);
  await assert.rejects(runSql(engine, catalog, "SELECT 1; SELECT 2"), /one SELECT statement/);
});
