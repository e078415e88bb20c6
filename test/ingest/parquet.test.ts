// Parquet ingestion: columns by name with casts (strings through the text rules), dead letters with
// 1-based row numbers and the row as JSON, and nothing valid lost.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { quoteString } from "../../src/engine/sql/quoting.ts";
import { ingestFiles } from "../../src/ingest/index.ts";
import { DAY_SPEC, type IngestHarness, harness, readRows } from "./fixtures.ts";

let h: IngestHarness;
before(async () => {
  h = await harness();
});
after(() => h.close());

async function parquetFile(name: string, query: string): Promise<string> {
  const file = path.join(h.dir, name);
  await h.engine.run(`COPY (${query}) TO ${quoteString(file)} (FORMAT parquet)`);
  return file;
}

test("Parquet columns are matched by name and cast; typed and string timestamps both work", async () => {
  const table = await h.table({ spec: DAY_SPEC });
  const file = await parquetFile(
    "good.parquet",
    `SELECT CAST(i AS INTEGER) AS id, TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_hours(i * 12) AS ts, 'p' || i AS page,
       CAST(i AS FLOAT) / 2 AS score, 'ignored' AS other FROM range(1, 6) t(i)`,
  );
  const result = await ingestFiles(h.engine, table, [file]);
  assert.deepEqual(
    { read: result.read, committed: result.committed, rejected: result.rejected },
    { read: 5, committed: 5, rejected: 0 },
  );
  assert.deepEqual(await readRows(h.engine, table, "id, CAST(ts AS VARCHAR) AS ts, page, score"), [
    { id: 1n, ts: "2025-01-01 12:00:00", page: "p1", score: 0.5 },
    { id: 2n, ts: "2025-01-02 00:00:00", page: "p2", score: 1 },
    { id: 3n, ts: "2025-01-02 12:00:00", page: "p3", score: 1.5 },
    { id: 4n, ts: "2025-01-03 00:00:00", page: "p4", score: 2 },
    { id: 5n, ts: "2025-01-03 12:00:00", page: "p5", score: 2.5 },
  ]);
});

test("Parquet rows failing casts go to the dead letters with their row numbers", async () => {
  const table = await h.table();
  const file = await parquetFile(
    "bad.parquet",
    `SELECT * FROM (VALUES
       (1.0, '2025-01-01T00:00:00Z', '1.5', 1),
       (2.5, '2025-01-01T00:00:00Z', '1.5', 2),
       (3.0, 'soon', '1.5', 3),
       (NULL, '2025-01-01T00:00:00Z', '1.5', 4),
       (5.0, '2025-01-01T00:00:00+02:00', 'abc', 5),
       (6.0, '2025-01-01T00:00:00+02:00', NULL, 3000000000)
     ) AS v(id, ts, score, n)`,
  );
  const deadLetter = `${h.dir}/parquet-dead.ndjson`;
  const result = await ingestFiles(h.engine, table, [file], { deadLetter });
  assert.deepEqual(
    { read: result.read, committed: result.committed, rejected: result.rejected },
    { read: 6, committed: 1, rejected: 5 },
  );
  const letters = readFileSync(deadLetter, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { row: number; reason: string; record: string });
  assert.deepEqual(
    letters.map((l) => [l.row, l.reason]),
    [
      [2, "field id: expected long, got 2.5"],
      [3, 'field ts: expected timestamp, got "soon"'],
      [4, "missing required field id"],
      [5, 'field score: expected double, got "abc"'],
      [6, "field n: expected int, got 3000000000"],
    ],
  );
  assert.deepEqual(JSON.parse(letters[1].record), { id: 3, ts: "soon", score: "1.5", n: 3 });
  assert.deepEqual(await readRows(h.engine, table, "id, CAST(ts AS VARCHAR) AS ts, score, n"), [
    { id: 1n, ts: "2025-01-01 00:00:00", score: 1.5, n: 1 },
  ]);
});
