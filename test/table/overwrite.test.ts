import assert from "node:assert/strict";
import { test } from "node:test";
import { and, equal, greaterThanOrEqual, lessThan } from "../../src/expr/expressions.ts";
import { dataFile, livePaths, newTable } from "./fixtures.ts";

const jan1 = and(
  greaterThanOrEqual("event_time", "2025-01-01T00:00:00"),
  lessThan("event_time", "2025-01-02T00:00:00"),
);

test("overwrite by filter replaces the matching files with the new ones in one snapshot", async () => {
  const { table } = await newTable();
  await table
    .newAppend()
    .appendFiles([
      dataFile("old-1.parquet"),
      dataFile("old-2.parquet"),
      dataFile("jan2.parquet", { day: "2025-01-02" }),
    ])
    .commit();
  await table
    .newOverwrite()
    .overwriteByFilter(jan1)
    .addFile(dataFile("new-1.parquet", { records: 1500n }))
    .commit();
  const snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "overwrite");
  assert.equal(snapshot.summary["added-data-files"], "1");
  assert.equal(snapshot.summary["deleted-data-files"], "2");
  assert.equal(snapshot.summary["added-records"], "1500");
  assert.equal(snapshot.summary["deleted-records"], "2000");
  assert.equal(snapshot.summary["total-records"], "2500");
  assert.equal(snapshot.summary["total-data-files"], "2");
  assert.equal(snapshot.summary["changed-partition-count"], "1");
  assert.deepEqual(await livePaths(table), ["jan2.parquet", "new-1.parquet"]);
});

test("overwrite refuses a partial match and leaves the table unchanged", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("ids-1-100.parquet")).commit();
  const before = table.currentSnapshot()!["snapshot-id"];
  await assert.rejects(
    table.newOverwrite().overwriteByFilter(equal("element_id", 7n)).addFile(dataFile("x.parquet")).commit(),
    /cannot delete data file ids-1-100\.parquet: some of its rows match element_id/,
  );
  await table.refresh();
  assert.equal(table.currentSnapshot()!["snapshot-id"], before);
});

test("overwrite with explicit deleteFile and operations follow what changed", async () => {
  const { table } = await newTable();
  await table
    .newAppend()
    .appendFiles([dataFile("a.parquet"), dataFile("b.parquet")])
    .commit();
  await table.newOverwrite().deleteFile("a.parquet").addFile(dataFile("a2.parquet")).commit();
  assert.equal(table.currentSnapshot()!.summary.operation, "overwrite");
  assert.deepEqual(await livePaths(table), ["a2.parquet", "b.parquet"]);
  await table.newOverwrite().deleteFile("b.parquet").commit();
  assert.equal(table.currentSnapshot()!.summary.operation, "delete");
  await table.newOverwrite().addFile(dataFile("c.parquet")).commit();
  assert.equal(table.currentSnapshot()!.summary.operation, "append");
  assert.deepEqual(await livePaths(table), ["a2.parquet", "c.parquet"]);
});

test("replace partitions swaps exactly the partitions of the new files", async () => {
  const { table } = await newTable();
  await table
    .newAppend()
    .appendFiles([
      dataFile("d1-a.parquet", { day: "2025-01-01" }),
      dataFile("d1-b.parquet", { day: "2025-01-01" }),
      dataFile("d2-a.parquet", { day: "2025-01-02" }),
      dataFile("d3-a.parquet", { day: "2025-01-03" }),
    ])
    .commit();
  await table
    .newReplacePartitions()
    .addFiles([dataFile("d1-new.parquet", { day: "2025-01-01" }), dataFile("d3-new.parquet", { day: "2025-01-03" })])
    .commit();
  const snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "overwrite");
  assert.equal(snapshot.summary["deleted-data-files"], "3");
  assert.equal(snapshot.summary["added-data-files"], "2");
  assert.equal(snapshot.summary["changed-partition-count"], "2");
  assert.deepEqual(await livePaths(table), ["d1-new.parquet", "d2-a.parquet", "d3-new.parquet"]);
});

test("replace partitions on an unpartitioned table replaces everything", async () => {
  const { table } = await newTable({ spec: { "spec-id": 0, fields: [] } });
  await table
    .newAppend()
    .appendFiles([dataFile("a.parquet", { partition: [] }), dataFile("b.parquet", { partition: [] })])
    .commit();
  await table
    .newReplacePartitions()
    .addFile(dataFile("c.parquet", { partition: [] }))
    .commit();
  assert.deepEqual(await livePaths(table), ["c.parquet"]);
});
