import assert from "node:assert/strict";
import { test } from "node:test";
import {
  and,
  equal,
  greaterThan,
  greaterThanOrEqual,
  isNaN as isNaNPredicate,
  isNull,
  lessThan,
  notNull,
  startsWith,
} from "../../src/expr/expressions.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import { parseTransform } from "../../src/spec/transforms.ts";
import { EXPLAIN_FILE_LIMIT, planScan } from "../../src/scan/index.ts";
import { UNPARTITIONED, dataFile, dayOf, newTable, taskPaths } from "./fixtures.ts";

/** Three fast appends, one day each (one manifest per day), plus one manifest holding two days. */
async function dailyTable() {
  const { table, io } = await newTable();
  for (const day of ["2025-01-01", "2025-01-02", "2025-01-03"])
    await table
      .newFastAppend()
      .appendFile(dataFile(`${day}.parquet`, { day }))
      .commit();
  await table
    .newFastAppend()
    .appendFiles([
      dataFile("mixed-01-10.parquet", { day: "2025-01-10" }),
      dataFile("mixed-01-20.parquet", { day: "2025-01-20" }),
    ])
    .commit();
  return { table, io };
}

test("day partitions: manifest summaries prune whole manifests, partition tuples prune entries", async () => {
  const { table, io } = await dailyTable();
  const plan = await planScan(io, table.metadata, {
    filter: and(greaterThanOrEqual("event_time", "2025-01-03T00:00:00"), lessThan("event_time", "2025-01-15")),
  });
  assert.deepEqual(taskPaths(plan.tasks), ["2025-01-03.parquet", "mixed-01-10.parquet"]);

  const { manifests, dataFiles } = plan.explain;
  assert.equal(manifests.total, 4);
  assert.equal(manifests.pruned, 2);
  assert.equal(manifests.scanned, 2);
  const pruned = manifests.details.filter((d) => !d.kept);
  assert.equal(pruned.length, 2);
  // The reason names the summary bounds, as dates.
  assert.ok(
    pruned.some((d) => d.reason.includes("event_time_day 2025-01-01..2025-01-01")),
    pruned[0].reason,
  );
  assert.ok(pruned.every((d) => d.reason.startsWith("partition summary") && d.content === "data"));
  // The mixed manifest was read; its 01-20 file fell to the partition tuple.
  assert.deepEqual(dataFiles, { considered: 3, prunedByPartition: 1, prunedByMetrics: 0, kept: 2 });
  const file = plan.explain.files.find((f) => f.path === "mixed-01-20.parquet")!;
  assert.equal(file.kept, false);
  assert.match(file.reason, /^partition event_time_day=2025-01-20 excludes/);
  assert.equal(plan.explain.files.filter((f) => f.kept).length, 2);
  // Pruned files' reasons are worded only when read, but serialize like any other field.
  assert.deepEqual(
    JSON.parse(JSON.stringify(plan.explain.files)),
    plan.explain.files.map((f) => ({ path: f.path, kept: f.kept, reason: f.reason })),
  );
});

test("no filter keeps every file and every manifest; residuals are true", async () => {
  const { table, io } = await dailyTable();
  const plan = await planScan(io, table.metadata);
  assert.equal(plan.tasks.length, 5);
  assert.equal(plan.explain.manifests.pruned, 0);
  assert.equal(plan.explain.filter, "true");
  assert.ok(plan.tasks.every((t) => t.residual.op === "true"));
  assert.ok(plan.tasks.every((t) => t.dataSequenceNumber >= 1n && t.spec["spec-id"] === 0));
});

test("identity, bucket and truncate partitions prune by their projections", async () => {
  const spec: PartitionSpec = {
    "spec-id": 0,
    fields: [
      { "source-id": 5, "field-id": 1000, name: "country", transform: "identity" },
      { "source-id": 1, "field-id": 1001, name: "element_bucket", transform: "bucket[8]" },
      { "source-id": 3, "field-id": 1002, name: "page_trunc", transform: "truncate[3]" },
    ],
  };
  const { table, io } = await newTable({ spec });
  const bucket = (id: bigint) => parseTransform("bucket[8]").apply("long", id) as number;
  const files = [
    ["us-42-home", "US", 42n, "/ho"],
    ["us-7-cart", "US", 7n, "/ca"],
    ["de-42-home", "DE", 42n, "/ho"],
    ["fr-9-home", "FR", 9n, "/ho"],
  ] as const;
  assert.notEqual(bucket(42n), bucket(7n), "test data needs distinct buckets");
  assert.notEqual(bucket(42n), bucket(9n), "test data needs distinct buckets");
  // One fast append per file: each manifest's summary describes one partition.
  for (const [name, country, id, page] of files)
    await table
      .newFastAppend()
      .appendFile(
        dataFile(`${name}.parquet`, {
          partition: [country, bucket(id), page],
          minId: id,
          maxId: id,
          countries: [country, country],
        }),
      )
      .commit();

  const byCountry = await planScan(io, table.metadata, { filter: equal("country", "US") });
  assert.deepEqual(taskPaths(byCountry.tasks), ["us-42-home.parquet", "us-7-cart.parquet"]);
  assert.equal(byCountry.explain.manifests.pruned, 2);

  const byBucket = await planScan(io, table.metadata, { filter: equal("element_id", 42n) });
  assert.deepEqual(taskPaths(byBucket.tasks), ["de-42-home.parquet", "us-42-home.parquet"]);

  const byTruncate = await planScan(io, table.metadata, { filter: startsWith("page", "/cart/") });
  assert.deepEqual(taskPaths(byTruncate.tasks), ["us-7-cart.parquet"]);

  const combined = await planScan(io, table.metadata, {
    filter: and(equal("country", "US"), equal("page", "/home/index")),
  });
  assert.deepEqual(taskPaths(combined.tasks), ["us-42-home.parquet"]);
});

test("metrics prune by element_id range on a sorted table and explain the bounds", async () => {
  const { table, io } = await newTable({ spec: UNPARTITIONED });
  await table
    .newAppend()
    .appendFiles([
      dataFile("ids-1-100.parquet", { partition: [], minId: 1n, maxId: 100n }),
      dataFile("ids-101-200.parquet", { partition: [], minId: 101n, maxId: 200n }),
      dataFile("ids-201-300.parquet", { partition: [], minId: 201n, maxId: 300n }),
    ])
    .commit();
  const plan = await planScan(io, table.metadata, { filter: equal("element_id", 150n) });
  assert.deepEqual(taskPaths(plan.tasks), ["ids-101-200.parquet"]);
  assert.deepEqual(plan.explain.dataFiles, { considered: 3, prunedByPartition: 0, prunedByMetrics: 2, kept: 1 });
  const reason = plan.explain.files.find((f) => f.path === "ids-1-100.parquet")!.reason;
  assert.match(reason, /^metrics \(element_id 1\.\.100, nulls 0\/1000; 1000 records\) exclude element_id = 150$/);

  const range = await planScan(io, table.metadata, { filter: greaterThan("element_id", 180n) });
  assert.deepEqual(taskPaths(range.tasks), ["ids-101-200.parquet", "ids-201-300.parquet"]);
});

test("null and NaN counts prune files that are all-null, null-free, all-NaN or NaN-free", async () => {
  const { table, io } = await newTable({ spec: UNPARTITIONED });
  await table
    .newAppend()
    .appendFiles([
      dataFile("no-nulls.parquet", { partition: [] }),
      dataFile("some-nulls.parquet", { partition: [], pageNulls: 10n }),
      dataFile("all-null.parquet", { partition: [], pageNulls: 1000n }),
      dataFile("some-nans.parquet", { partition: [], scoreNaNs: 5n }),
      dataFile("all-nan.parquet", { partition: [], scoreNaNs: 1000n }),
    ])
    .commit();
  const scan = async (filter: Parameters<typeof planScan>[2]) =>
    taskPaths((await planScan(io, table.metadata, filter)).tasks);

  assert.deepEqual(await scan({ filter: isNull("page") }), ["all-null.parquet", "some-nulls.parquet"]);
  assert.deepEqual(await scan({ filter: notNull("page") }), [
    "all-nan.parquet",
    "no-nulls.parquet",
    "some-nans.parquet",
    "some-nulls.parquet",
  ]);
  assert.deepEqual(await scan({ filter: isNaNPredicate("score") }), ["all-nan.parquet", "some-nans.parquet"]);
  // An all-NaN column has no value > 1.
  assert.deepEqual(await scan({ filter: greaterThan("score", 1.0) }), [
    "all-null.parquet",
    "no-nulls.parquet",
    "some-nans.parquet",
    "some-nulls.parquet",
  ]);
});

test("residuals drop what the partition proves and keep the rest", async () => {
  const { table, io } = await dailyTable();
  const plan = await planScan(io, table.metadata, {
    filter: and(greaterThanOrEqual("event_time", "2025-01-02T00:00:00"), equal("element_id", 5n)),
  });
  assert.deepEqual(taskPaths(plan.tasks), [
    "2025-01-02.parquet",
    "2025-01-03.parquet",
    "mixed-01-10.parquet",
    "mixed-01-20.parquet",
  ]);
  // Every kept day lies wholly after the bound: only the element predicate is left.
  for (const task of plan.tasks) assert.equal(expressionToString(task.residual), "element_id = 5");

  const partial = await planScan(io, table.metadata, {
    filter: greaterThanOrEqual("event_time", "2025-01-02T12:00:00"),
  });
  const residualOf = (path: string) =>
    expressionToString(partial.tasks.find((t) => t.file.filePath === path)!.residual);
  // On the boundary day rows must still be checked; later days pass whole.
  assert.match(residualOf("2025-01-02.parquet"), /^event_time >= "?2025-01-02T12:00/);
  assert.equal(residualOf("2025-01-03.parquet"), "true");
  assert.equal(partial.tasks.length, 4);
  assert.ok(partial.tasks.every((t) => (t.file.partition[0] as number) >= dayOf("2025-01-02")));
});

test("a case-insensitive scan binds differently spelled columns; case-sensitive rejects them", async () => {
  const { table, io } = await dailyTable();
  const plan = await planScan(io, table.metadata, { filter: equal("ELEMENT_ID", 5n), caseSensitive: false });
  assert.equal(plan.tasks.length, 5);
  await assert.rejects(planScan(io, table.metadata, { filter: equal("ELEMENT_ID", 5n) }), /ELEMENT_ID/);
});

test("explain counts add up and bytes and records follow the kept files", async () => {
  const { table, io } = await dailyTable();
  const plan = await planScan(io, table.metadata, { filter: equal("event_time", "2025-01-02T08:00:00") });
  const e = plan.explain;
  assert.equal(e.manifests.total, e.manifests.pruned + e.manifests.scanned);
  assert.equal(e.manifests.details.length, e.manifests.total);
  assert.equal(e.dataFiles.considered, e.dataFiles.prunedByPartition + e.dataFiles.prunedByMetrics + e.dataFiles.kept);
  assert.equal(e.dataFiles.kept, plan.tasks.length);
  assert.equal(plan.tasks.length, 1);
  assert.equal(e.bytes.kept, 40_000n);
  assert.equal(e.records.kept, 1000n);
  // Totals come from the snapshot summary: five files of 1000 records.
  assert.equal(e.totalsSource, "snapshot-summary");
  assert.equal(e.records.total, 5000n);
  assert.equal(e.bytes.total, 200_000n);
  assert.equal(e.snapshotId, table.currentSnapshot()!["snapshot-id"]);
  assert.match(e.filter, /^event_time = 2025-01-02T08:00/);
  assert.ok(e.planningMs >= 0);
});

test("explain lists at most EXPLAIN_FILE_LIMIT files, kept ones first, and counts the rest", async () => {
  const { table, io } = await newTable({ spec: UNPARTITIONED });
  const files = Array.from({ length: EXPLAIN_FILE_LIMIT + 5 }, (_, i) =>
    dataFile(`f${i}.parquet`, { partition: [], minId: BigInt(i * 10), maxId: BigInt(i * 10 + 9), records: 10n }),
  );
  await table.newFastAppend().appendFiles(files).commit();
  const plan = await planScan(io, table.metadata, {
    filter: greaterThanOrEqual("element_id", 10_000n),
    concurrency: 2,
  });
  assert.equal(plan.tasks.length, 5);
  assert.equal(plan.explain.dataFiles.prunedByMetrics, EXPLAIN_FILE_LIMIT);
  assert.equal(plan.explain.files.length, EXPLAIN_FILE_LIMIT);
  assert.equal(plan.explain.filesOmitted, 5);
  assert.ok(plan.explain.files.slice(0, 5).every((f) => f.kept));
});
