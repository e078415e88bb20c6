import assert from "node:assert/strict";
import { test } from "node:test";
import { equal } from "../../src/expr/expressions.ts";
import { type DataFile, DataFileContent } from "../../src/manifest/types.ts";
import { type FileScanTask, planScan } from "../../src/scan/index.ts";
import { UNPARTITIONED, commitDeletes, dataFile, equalityDeletes, newTable, positionDeletes } from "./fixtures.ts";

const deletesOf = (tasks: FileScanTask[]): Record<string, string[]> =>
  Object.fromEntries(tasks.map((t) => [t.file.filePath, t.deletes.map((d: DataFile) => d.filePath).sort()]));

test("position deletes apply at <= sequence number, equality deletes at <, both within the partition", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFiles([dataFile("a.parquet", { day: "2025-01-01" }), dataFile("b.parquet", { day: "2025-01-02" })])
    .commit(); // seq 1
  await commitDeletes(table, [
    { files: [positionDeletes("pos-0101.parquet", { day: "2025-01-01" })] },
    { files: [equalityDeletes("eq-0101.parquet", { day: "2025-01-01" })] },
  ]); // seq 2
  // Seq 3: a data file and deletes committed together, as a row delta writes them.
  await commitDeletes(table, [
    { files: [dataFile("c.parquet", { day: "2025-01-01" })] },
    { files: [positionDeletes("pos-same.parquet", { day: "2025-01-01" })] },
    { files: [equalityDeletes("eq-same.parquet", { day: "2025-01-01" })] },
  ]);
  await table
    .newFastAppend()
    .appendFile(dataFile("d.parquet", { day: "2025-01-01" }))
    .commit(); // seq 4

  const plan = await planScan(io, table.metadata);
  assert.deepEqual(Object.fromEntries(plan.tasks.map((t) => [t.file.filePath, t.dataSequenceNumber])), {
    "a.parquet": 1n,
    "b.parquet": 1n,
    "c.parquet": 3n,
    "d.parquet": 4n,
  });
  assert.deepEqual(deletesOf(plan.tasks), {
    // Older than every delete: all four apply.
    "a.parquet": ["eq-0101.parquet", "eq-same.parquet", "pos-0101.parquet", "pos-same.parquet"],
    // Another partition: none.
    "b.parquet": [],
    // Same sequence number: the position delete applies, the equality delete does not.
    "c.parquet": ["pos-same.parquet"],
    // Newer than every delete: none.
    "d.parquet": [],
  });
  assert.deepEqual(plan.explain.deleteFiles, { considered: 4, kept: 4 });
  const eqSame = plan.explain.files.find((f) => f.path === "eq-same.parquet")!;
  assert.match(eqSame.reason, /^equality deletes \(sequence number 3\) apply to 1 kept data file/);
});

test("deletes of an unpartitioned spec apply to data files of every spec and partition", async () => {
  const { table, io } = await newTable({ spec: UNPARTITIONED });
  await table
    .newFastAppend()
    .appendFile(dataFile("unpart.parquet", { partition: [] }))
    .commit();
  await table.updateSpec().addField("event_time", "day").commit();
  const specId = table.spec()["spec-id"];
  assert.equal(specId, 1);
  await table
    .newFastAppend()
    .appendFiles([dataFile("day1.parquet", { day: "2025-01-01" }), dataFile("day2.parquet", { day: "2025-01-02" })])
    .commit();
  await commitDeletes(table, [
    { specId: 0, files: [equalityDeletes("global-eq.parquet", { partition: [] })] },
    { specId: 0, files: [positionDeletes("global-pos.parquet", { partition: [] })] },
    { specId, files: [positionDeletes("pos-day1.parquet", { day: "2025-01-01" })] },
  ]);
  const plan = await planScan(io, table.metadata);
  assert.deepEqual(deletesOf(plan.tasks), {
    "unpart.parquet": ["global-eq.parquet", "global-pos.parquet"],
    "day1.parquet": ["global-eq.parquet", "global-pos.parquet", "pos-day1.parquet"],
    "day2.parquet": ["global-eq.parquet", "global-pos.parquet"],
  });
});

test("position deletes naming one data file apply to that file only", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFiles([dataFile("s3://b/a.parquet"), dataFile("s3://b/b.parquet"), dataFile("s3://b/c.parquet")])
    .commit();
  const ranged = positionDeletes("ranged.parquet");
  const enc = new TextEncoder();
  ranged.lowerBounds = new Map([[2147483546, enc.encode("s3://b/b.parquet")]]);
  ranged.upperBounds = new Map([[2147483546, enc.encode("s3://b/c.parquet")]]);
  await commitDeletes(table, [
    {
      files: [
        positionDeletes("by-bounds.parquet", { forPath: "s3://b/a.parquet" }),
        positionDeletes("by-reference.parquet", { referencedDataFile: "s3://b/b.parquet" }),
        ranged,
      ],
    },
  ]);
  const plan = await planScan(io, table.metadata);
  assert.deepEqual(deletesOf(plan.tasks), {
    "s3://b/a.parquet": ["by-bounds.parquet"],
    "s3://b/b.parquet": ["by-reference.parquet", "ranged.parquet"],
    "s3://b/c.parquet": ["ranged.parquet"],
  });
});

test("equality deletes skip data files whose equality-column range they cannot touch", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFiles([
      dataFile("ids-1-100.parquet", { minId: 1n, maxId: 100n }),
      dataFile("ids-500-600.parquet", { minId: 500n, maxId: 600n }),
    ])
    .commit();
  await commitDeletes(table, [{ files: [equalityDeletes("eq-550.parquet", { minId: 550n, maxId: 560n })] }]);
  const plan = await planScan(io, table.metadata);
  assert.deepEqual(deletesOf(plan.tasks), { "ids-1-100.parquet": [], "ids-500-600.parquet": ["eq-550.parquet"] });
});

test("the filter prunes equality deletes by their equality columns only, and data-less plans skip delete manifests", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFile(dataFile("ids-1-100.parquet", { minId: 1n, maxId: 100n }))
    .commit();
  await commitDeletes(table, [
    {
      files: [
        // Deletes element ids 1..10, so it cannot matter to a scan of element 50.
        equalityDeletes("eq-1-10.parquet", { minId: 1n, maxId: 10n }),
        // Its country metrics (ZZ) say nothing: the equality column is element_id, any country matches.
        equalityDeletes("eq-40-60-zz.parquet", { minId: 40n, maxId: 60n, countries: ["ZZ", "ZZ"] }),
      ],
    },
  ]);
  const unfiltered = await planScan(io, table.metadata);
  assert.deepEqual(deletesOf(unfiltered.tasks), { "ids-1-100.parquet": ["eq-1-10.parquet", "eq-40-60-zz.parquet"] });

  const plan = await planScan(io, table.metadata, { filter: equal("element_id", 50n) });
  assert.deepEqual(deletesOf(plan.tasks), { "ids-1-100.parquet": ["eq-40-60-zz.parquet"] });
  const pruned = plan.explain.files.find((f) => f.path === "eq-1-10.parquet")!;
  assert.equal(pruned.kept, false);
  assert.match(pruned.reason, /^equality deletes: metrics of the equality columns \(element_id 1\.\.10/);
  assert.deepEqual(plan.explain.deleteFiles, { considered: 2, kept: 1 });

  const byCountry = await planScan(io, table.metadata, { filter: equal("country", "US") });
  assert.deepEqual(deletesOf(byCountry.tasks), { "ids-1-100.parquet": ["eq-1-10.parquet", "eq-40-60-zz.parquet"] });

  // No data file survives: the delete manifest is not even read.
  const none = await planScan(io, table.metadata, { filter: equal("element_id", 5000n) });
  assert.equal(none.tasks.length, 0);
  assert.equal(none.explain.manifests.skippedDeleteManifests, 1);
  assert.equal(none.explain.deleteFiles.considered, 0);
  const skipped = none.explain.manifests.details.find((d) => d.content === "deletes")!;
  assert.deepEqual([skipped.kept, skipped.reason], [false, "no data file kept to apply deletes to"]);
  assert.equal(none.explain.manifests.total, none.explain.manifests.pruned + none.explain.manifests.scanned);
});

test("delete manifests older than every kept data file are skipped unread", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFile(dataFile("old.parquet", { day: "2025-01-01" }))
    .commit(); // seq 1
  await commitDeletes(table, [{ files: [positionDeletes("pos.parquet", { day: "2025-01-01" })] }]); // seq 2
  await table
    .newFastAppend()
    .appendFile(dataFile("new.parquet", { day: "2025-01-05" }))
    .commit(); // seq 3
  const plan = await planScan(io, table.metadata, { filter: equal("event_time", "2025-01-05T10:00:00") });
  assert.deepEqual(
    plan.tasks.map((t) => [t.file.filePath, t.deletes.length]),
    [["new.parquet", 0]],
  );
  const detail = plan.explain.manifests.details.find((d) => d.content === "deletes")!;
  assert.equal(detail.kept, false);
  assert.match(detail.reason, /older than every kept data file \(>= 3\)/);
  assert.equal(plan.explain.manifests.skippedDeleteManifests, 1);
  // Without the filter the old file is kept and the delete applies to it.
  const all = await planScan(io, table.metadata);
  assert.deepEqual(deletesOf(all.tasks), { "old.parquet": ["pos.parquet"], "new.parquet": [] });
  assert.equal(
    all.tasks.find((t) => t.file.filePath === "old.parquet")!.deletes[0].content,
    DataFileContent.PositionDeletes,
  );
});
