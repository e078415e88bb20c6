import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { dayRange } from "../../src/clicks/generate.ts";
import { clickGeneratorSql, dayNumber } from "../../src/clicks/generator-sql.ts";
import { GENERATED_DAY_SUMMARY, type LoadClicksResult, type LoadProgress, loadClicks } from "../../src/clicks/load.ts";
import { queryDay, queryElement } from "../../src/clicks/queries.ts";
import { CLICKS_TABLE, clickTableLayout, createClicksTable } from "../../src/clicks/schema.ts";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { localPathOf } from "../../src/engine/read/file-cache.ts";
import { PARQUET_ROW_GROUP_ROWS } from "../../src/engine/write/write-data-files.ts";
import { planScan } from "../../src/scan/plan.ts";
import type { Table } from "../../src/table/table.ts";

const LOAD = { days: 3, perDay: 20_000, start: "2024-03-01", seed: 11, elements: 2000 };
const DAYS = dayRange(LOAD.start, LOAD.days);

let engine: Engine;
let dir: string;
let catalog: Catalog;
let table: Table;
let loaded: LoadClicksResult;
const progress: [bigint, bigint, LoadProgress][] = [];

/** The generated clicks of every loaded day: the brute-force answer the queries must match. */
const generated = DAYS.map((day) => `SELECT * FROM (${clickGeneratorSql({ ...LOAD, day })})`).join(" UNION ALL ");

before(async () => {
  engine = await Engine.create({ threads: 2 });
  dir = await mkdtemp(path.join(tmpdir(), "floe-clicks-load-"));
  catalog = await openCatalog("memory:", { warehouse: dir });
  table = await createClicksTable(catalog);
  // Small row groups (2000 rows, ten per day) so element lookups can show row-group pruning.
  await table.updateProperties().set(PARQUET_ROW_GROUP_ROWS, "2000").commit();
  await engine.run(`CREATE TABLE brute AS ${generated}`);
  loaded = await loadClicks(engine, table, {
    ...LOAD,
    onProgress: (rows, bytes, p) => progress.push([rows, bytes, p]),
  });
});
after(async () => {
  engine.close();
  await catalog.close();
  await rm(dir, { recursive: true, force: true });
});

/** Rows in one relation and not the other, both ways (0 means the same multiset of rows). */
async function differences(actual: string, expected: string): Promise<bigint> {
  const [row] = await engine.all<{ n: bigint }>(
    `SELECT (SELECT count(*) FROM ((${expected}) EXCEPT ALL (${actual})))
          + (SELECT count(*) FROM ((${actual}) EXCEPT ALL (${expected}))) AS n`,
  );
  return row.n;
}

test("createClicksTable lays the table out by day, sorted by element and time, and is idempotent", async () => {
  const layout = clickTableLayout();
  assert.deepEqual(
    table.spec().fields.map((f) => [f.name, f.transform, f["source-id"]]),
    [["event_time_day", "day", 8]],
  );
  assert.deepEqual(
    table.sortOrder().fields.map((f) => [f["source-id"], f.direction]),
    [
      [4, "asc"],
      [8, "asc"],
    ],
  );
  assert.equal(table.properties()["write.target-file-size-bytes"], layout.properties["write.target-file-size-bytes"]);
  assert.equal(table.properties()["write.parquet.compression-codec"], "zstd");
  const again = await createClicksTable(catalog, CLICKS_TABLE);
  assert.equal(again.metadata["table-uuid"], table.metadata["table-uuid"]);

  const other = { namespace: ["clicks"], name: "not_clicks" };
  await catalog.createTable(other, {
    schema: { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "event_id", required: true, type: "long" }] },
  });
  await assert.rejects(createClicksTable(catalog, other), /clicks\.not_clicks.*event_id/);
});

test("load commits one append snapshot per day with the right totals and progress", () => {
  assert.equal(loaded.rows, 60_000n);
  assert.deepEqual(
    loaded.days.map((d) => [d.day, d.rows]),
    DAYS.map((day) => [day, 20_000n]),
  );
  assert.equal(
    loaded.bytes,
    loaded.days.reduce((sum, d) => sum + d.bytes, 0n),
  );
  const snapshots = table.snapshots();
  // Setting the row-group property made no snapshot: exactly one per loaded day.
  assert.equal(snapshots.length, 3);
  assert.deepEqual(
    snapshots.map((s) => [s.summary.operation, s.summary[GENERATED_DAY_SUMMARY], s.summary["added-records"]]),
    DAYS.map((day) => ["append", day, "20000"]),
  );
  assert.deepEqual(
    loaded.days.map((d) => d.snapshotId),
    snapshots.map((s) => s["snapshot-id"]),
  );
  assert.equal(table.currentSnapshot()?.summary["total-records"], "60000");
  assert.deepEqual(
    progress.map(([rows, , p]) => [rows, p.daysDone, p.rowsTotal]),
    [
      [20_000n, 1, 60_000n],
      [40_000n, 2, 60_000n],
      [60_000n, 3, 60_000n],
    ],
  );
  assert.equal(progress[2][1], loaded.bytes);
});

test("data files are partitioned by day and sorted by (element_id, event_time)", async () => {
  const plan = await planScan(table.io, table.metadata);
  const files = plan.tasks.map((t) => t.file);
  assert.equal(files.length, 3);
  assert.deepEqual(files.map((f) => f.partition[0]).sort(), DAYS.map(dayNumber));
  for (const file of files) {
    const day = DAYS[DAYS.map(dayNumber).indexOf(file.partition[0] as number)];
    assert.match(file.filePath, new RegExp(`/event_time_day=${day}/`));
    assert.equal(file.recordCount, 20_000n);
    assert.equal(file.sortOrderId, 1);
    const local = localPathOf(file.filePath)!;
    const [row] = await engine.all<{ unsorted: bigint; other_day: bigint; groups: bigint }>(
      `SELECT count(*) FILTER (WHERE element_id < prev_element OR (element_id = prev_element AND event_time < prev_time)) AS unsorted,
              count(*) FILTER (WHERE CAST(event_time AS DATE) <> DATE '${day}') AS other_day,
              (SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${local}')) AS groups
       FROM (SELECT element_id, event_time,
                    lag(element_id) OVER (ORDER BY file_row_number) AS prev_element,
                    lag(event_time) OVER (ORDER BY file_row_number) AS prev_time
             FROM read_parquet('${local}', file_row_number = true))`,
    );
    assert.deepEqual(row, { unsorted: 0n, other_day: 0n, groups: 10n });
  }
});

test("queryDay returns exactly the generated clicks of that day, reading one partition", async () => {
  const day = DAYS[1];
  const query = await queryDay(engine, table, day);
  assert.deepEqual(query.explain.files, { considered: 3, pruned: 2, read: 1 });
  assert.equal(query.explain.records, 20_000n);
  assert.deepEqual(query.explain.rowGroups, { considered: 10, pruned: 0, read: 10 });
  assert.equal(
    await differences(
      `SELECT * FROM (${query.sql})`,
      `SELECT * FROM brute WHERE CAST(event_time AS DATE) = DATE '${day}'`,
    ),
    0n,
  );
  const counted = await queryDay(engine, table, day, { count: true });
  const [row] = await engine.all<{ count: bigint }>(counted.sql);
  assert.equal(row.count, 20_000n);
  const empty = await queryDay(engine, table, "2024-04-01", { count: true });
  assert.deepEqual(empty.explain.files, { considered: 3, pruned: 3, read: 0 });
  assert.deepEqual(await engine.all(empty.sql), [{ count: 0n }]);
});

test("queryElement returns exactly the brute-force clicks of an element between two dates", async () => {
  const [popular] = await engine.all<{ element_id: bigint }>(
    "SELECT element_id FROM brute GROUP BY element_id ORDER BY count(*) DESC, element_id LIMIT 1",
  );
  const [rare] = await engine.all<{ element_id: bigint }>(
    "SELECT element_id FROM brute GROUP BY element_id HAVING count(*) = 1 ORDER BY element_id LIMIT 1",
  );
  for (const elementId of [popular.element_id, rare.element_id, 999_999n]) {
    const query = await queryElement(engine, table, elementId, { from: DAYS[1], to: DAYS[2] });
    const expected = `SELECT * FROM brute WHERE element_id = ${elementId}
      AND event_time >= TIMESTAMP '${DAYS[1]} 00:00:00' AND event_time < TIMESTAMP '${DAYS[2]} 00:00:00' + INTERVAL 1 DAY`;
    assert.equal(await differences(`SELECT * FROM (${query.sql})`, expected), 0n, `element ${elementId}`);
    const { files, rowGroups } = query.explain;
    assert.equal(files.considered, 3);
    assert.ok(files.read <= 2, `element ${elementId}: files read ${files.read}`);
    if (files.read > 0) {
      // Sorted element ids: a one-element lookup needs at most a couple of row groups per day.
      assert.ok(rowGroups !== null && rowGroups.considered === 10 * files.read, JSON.stringify(rowGroups));
      assert.ok(rowGroups.read <= 2 * files.read, `element ${elementId}: ${JSON.stringify(rowGroups)}`);
    }
    const [count] = await engine.all<{ count: bigint }>(
      (await queryElement(engine, table, elementId, { from: DAYS[1], to: DAYS[2], count: true })).sql,
    );
    const [brute] = await engine.all<{ n: bigint }>(`SELECT count(*) AS n FROM (${expected})`);
    assert.equal(count.count, brute.n);
  }
  // An element outside the id range is pruned by file statistics without reading any file.
  // Without the row-group explain nothing but the plan is done; the SQL is the same.
  const lean = await queryElement(engine, table, 7, { from: DAYS[1], to: DAYS[2], explainRowGroups: false });
  assert.equal(lean.explain.rowGroups, null);
  assert.equal(lean.sql, (await queryElement(engine, table, 7, { from: DAYS[1], to: DAYS[2] })).sql);

  const missing = await queryElement(engine, table, 999_999n, { from: DAYS[0], to: DAYS[2] });
  assert.equal(missing.explain.files.read, 0);
  await assert.rejects(queryElement(engine, table, 1, { from: DAYS[2], to: DAYS[0] }), /before/);
});
