// RowDelta and RewriteFiles at the metadata level: delete files go into delete manifests with the
// delete counters in the summary, whole files are removed by path, and commits from stale handles
// are validated against what was committed since (referenced files, conflicting data and deletes).
import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { and, greaterThanOrEqual, lessThan } from "../../src/expr/expressions.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { type DataFile, DataFileContent, ManifestContent } from "../../src/manifest/types.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import { Table } from "../../src/table/table.ts";
import { dataFile, dayOf, livePaths, newTable } from "./fixtures.ts";

const FAST_RETRY = { "commit.retry.min-wait-ms": "1", "commit.retry.max-wait-ms": "10" };
const FILE_PATH_ID = 2147483546;
const jan1 = and(
  greaterThanOrEqual("event_time", "2025-01-01T00:00:00"),
  lessThan("event_time", "2025-01-02T00:00:00"),
);

/** A position delete file naming only `target` (equal file_path bounds), in its partition. */
function positionDeletes(path: string, target: string, records = 5n, day = "2025-01-01"): DataFile {
  const bound = toBytes("string", target);
  return {
    content: DataFileContent.PositionDeletes,
    filePath: path,
    fileFormat: "PARQUET",
    partition: [dayOf(day)],
    recordCount: records,
    fileSizeInBytes: 100n,
    lowerBounds: new Map([[FILE_PATH_ID, bound]]),
    upperBounds: new Map([[FILE_PATH_ID, bound]]),
  };
}

const isConflict = (pattern: RegExp) => (e: unknown) => isFloeError(e, "validation") && pattern.test(e.message);

test("row delta: delete files land in a delete manifest and the summary counts them", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("a.parquet")).commit();

  await table
    .newRowDelta()
    .addDeletes(positionDeletes("d1.parquet", "a.parquet", 7n))
    .commit();
  let snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "delete");
  assert.equal(snapshot.summary["added-delete-files"], "1");
  assert.equal(snapshot.summary["added-position-delete-files"], "1");
  assert.equal(snapshot.summary["added-position-deletes"], "7");
  assert.equal(snapshot.summary["total-delete-files"], "1");
  assert.equal(snapshot.summary["total-position-deletes"], "7");
  assert.equal(snapshot.summary["total-data-files"], "1");
  assert.equal(snapshot.summary["manifests-created"], "1");
  const manifests = await readManifestList(table.io, snapshot["manifest-list"]!);
  const deleteManifest = manifests.find((m) => m.content === ManifestContent.Deletes)!;
  assert.equal(deleteManifest.addedSnapshotId, snapshot["snapshot-id"]);
  const [entry] = await readManifest(table.io, deleteManifest);
  assert.equal(entry.dataFile.filePath, "d1.parquet");
  assert.equal(entry.dataFile.content, DataFileContent.PositionDeletes);
  assert.deepEqual(entry.dataFile.lowerBounds?.get(FILE_PATH_ID), toBytes("string", "a.parquet"));

  // Deletes plus new rows: an overwrite with a data and a delete manifest; rows only: an append.
  const equality: DataFile = {
    ...dataFile("eq.parquet", { records: 3n }),
    content: DataFileContent.EqualityDeletes,
    equalityIds: [1],
  };
  await table.newRowDelta().addRows(dataFile("b.parquet")).addDeletes(equality).commit();
  snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "overwrite");
  assert.equal(snapshot.summary["added-equality-delete-files"], "1");
  assert.equal(snapshot.summary["added-equality-deletes"], "3");
  assert.equal(snapshot.summary["total-delete-files"], "2");
  assert.equal(snapshot.summary["manifests-created"], "2");
  await table.newRowDelta().addRows(dataFile("c.parquet")).commit();
  assert.equal(table.currentSnapshot()!.summary.operation, "append");
  assert.deepEqual(await livePaths(table), ["a.parquet", "b.parquet", "c.parquet", "d1.parquet", "eq.parquet"]);

  assert.throws(() => table.newRowDelta().addDeletes(dataFile("x.parquet")), /is a data file/);
  assert.throws(() => table.newRowDelta().addRows(equality), /is a delete file/);
  assert.throws(() => table.newRowDelta().addDeletes({ ...equality, equalityIds: [] }), /lists no equality field ids/);
});

test("row delta: removes whole data files and delete files by path, and only live ones", async () => {
  const { table } = await newTable();
  await table
    .newAppend()
    .appendFiles([dataFile("a.parquet"), dataFile("b.parquet")])
    .commit();
  await table
    .newRowDelta()
    .addDeletes(positionDeletes("d.parquet", "a.parquet", 4n))
    .commit();
  await table.newRowDelta().removeRows("a.parquet").removeDeletes("d.parquet").commit();
  const snapshot = table.currentSnapshot()!;
  assert.deepEqual(await livePaths(table), ["b.parquet"]);
  assert.equal(snapshot.summary.operation, "delete");
  assert.equal(snapshot.summary["deleted-data-files"], "1");
  assert.equal(snapshot.summary["removed-position-deletes"], "4");
  assert.equal(snapshot.summary["total-delete-files"], "0");
  await assert.rejects(
    table.newRowDelta().removeRows("a.parquet").commit(),
    isConflict(/cannot remove a\.parquet: not a live file/),
  );
});

test("row delta: deletes naming a file removed concurrently fail; unrelated concurrent commits are kept", async () => {
  const { catalog, table } = await newTable({ properties: FAST_RETRY });
  await table
    .newAppend()
    .appendFiles([dataFile("a.parquet"), dataFile("b.parquet")])
    .commit();
  const start = table.currentSnapshot()!["snapshot-id"];
  const other = await Table.load(catalog, table.identifier);
  await other.newDelete().deleteFile("a.parquet").commit();

  await assert.rejects(
    table
      .newRowDelta()
      .addDeletes(positionDeletes("d.parquet", "a.parquet"))
      .validateFromSnapshot(start)
      .validateDataFilesExist(["a.parquet"])
      .commit(),
    isConflict(
      /row-delta .*conflicts with snapshot \d+ \(delete\).*removed data file a\.parquet, which this change's position deletes reference/,
    ),
  );
  // Deletes of b are fine: the concurrent commit did not touch b.
  await table
    .newRowDelta()
    .addDeletes(positionDeletes("d.parquet", "b.parquet"))
    .validateFromSnapshot(start)
    .validateDataFilesExist(["b.parquet"])
    .commit();
  assert.deepEqual(await livePaths(table), ["b.parquet", "d.parquet"]);
});

test("row delta: conflicting data and delete files are judged by the conflict detection filter", async () => {
  const { catalog, table } = await newTable({ properties: FAST_RETRY });
  await table.newAppend().appendFile(dataFile("a.parquet")).commit();
  const start = table.currentSnapshot()!["snapshot-id"];
  const other = await Table.load(catalog, table.identifier);
  await other
    .newAppend()
    .appendFile(dataFile("jan2.parquet", { day: "2025-01-02" }))
    .commit();

  // The concurrent file is in another day: no conflict for a change that read Jan 1 only.
  await table
    .newRowDelta()
    .addDeletes(positionDeletes("d1.parquet", "a.parquet"))
    .validateFromSnapshot(start)
    .conflictDetectionFilter(jan1)
    .validateNoConflictingDataFiles()
    .validateNoConflictingDeleteFiles()
    .commit();

  await other.refresh();
  const mid = other.currentSnapshot()!["snapshot-id"];
  await other.newAppend().appendFile(dataFile("jan1-late.parquet")).commit();
  await assert.rejects(
    table
      .newRowDelta()
      .addDeletes(positionDeletes("d2.parquet", "a.parquet"))
      .validateFromSnapshot(mid)
      .conflictDetectionFilter(jan1)
      .validateNoConflictingDataFiles()
      .commit(),
    isConflict(/added data file jan1-late\.parquet, which may hold rows matching/),
  );
  await other.refresh();
  const late = other.currentSnapshot()!["snapshot-id"];
  await other.newRowDelta().addDeletes(positionDeletes("d3.parquet", "jan1-late.parquet")).commit();
  await assert.rejects(
    table
      .newRowDelta()
      .addRows(dataFile("new.parquet"))
      .validateFromSnapshot(late)
      .conflictDetectionFilter(jan1)
      .validateNoConflictingDeleteFiles()
      .commit(),
    isConflict(/added position delete file d3\.parquet, which may delete rows matching/),
  );
});

test("rewrite files: replaces files in one snapshot and fails when a concurrent commit touched them", async () => {
  const { catalog, table } = await newTable({ properties: FAST_RETRY });
  const a = dataFile("a.parquet");
  const b = dataFile("b.parquet");
  await table.newAppend().appendFiles([a, b]).commit();
  await table
    .newRewriteFiles()
    .rewriteFiles([a, b], [dataFile("ab.parquet", { records: 2000n })])
    .commit();
  let snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "replace");
  assert.equal(snapshot.summary["deleted-data-files"], "2");
  assert.equal(snapshot.summary["added-data-files"], "1");
  assert.equal(snapshot.summary["total-records"], "2000");
  assert.deepEqual(await livePaths(table), ["ab.parquet"]);

  // A concurrent position delete on the file being rewritten would be undone by the rewrite.
  const ab = dataFile("ab.parquet", { records: 2000n });
  const start = snapshot["snapshot-id"];
  const other = await Table.load(catalog, table.identifier);
  await other.newRowDelta().addDeletes(positionDeletes("d.parquet", "ab.parquet")).commit();
  await assert.rejects(
    table
      .newRewriteFiles()
      .validateFromSnapshot(start)
      .rewriteFiles([ab], [dataFile("ab2.parquet")])
      .commit(),
    isConflict(/added position delete file d\.parquet, which may delete rows of rewritten data file ab\.parquet/),
  );
  // A delete naming another file (bounds exclude ab.parquet) is no conflict.
  await other.newAppend().appendFile(dataFile("c.parquet")).commit();
  const beforeD2 = other.currentSnapshot()!["snapshot-id"];
  await other.newRowDelta().addDeletes(positionDeletes("d2.parquet", "c.parquet")).commit();
  await table.refresh();
  await table
    .newRewriteFiles()
    .validateFromSnapshot(beforeD2)
    .rewriteFiles([dataFile("c.parquet")], [dataFile("c2.parquet")])
    .deleteFile(positionDeletes("d2.parquet", "c.parquet"))
    .commit()
    .then(
      () => assert.fail("d2 was added after beforeD2 and names c.parquet"),
      (e: unknown) =>
        assert.ok(
          isConflict(/added position delete file d2\.parquet, .* rewritten data file c\.parquet/)(e),
          String(e),
        ),
    );

  // Copy-on-write flavour: an overwrite that refuses concurrent matching data.
  await table.refresh();
  snapshot = table.currentSnapshot()!;
  await other.refresh();
  await other.newAppend().appendFile(dataFile("jan1.parquet")).commit();
  await assert.rejects(
    table
      .newRewriteFiles()
      .asOverwrite()
      .validateFromSnapshot(snapshot["snapshot-id"])
      .conflictDetectionFilter(jan1)
      .validateNoConflictingData()
      .rewriteFiles([dataFile("c.parquet")], [dataFile("c3.parquet", { records: 10n })])
      .commit(),
    isConflict(/rewrite-files \(copy-on-write, .*added data file jan1\.parquet/),
  );
  await table.refresh();
  await table
    .newRewriteFiles()
    .asOverwrite()
    .rewriteFiles([dataFile("c.parquet")], [dataFile("c3.parquet", { records: 10n })])
    .deleteFile(positionDeletes("d2.parquet", "c.parquet"))
    .commit();
  snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "overwrite");
  assert.equal(snapshot.summary["removed-position-deletes"], "5");
  assert.ok(!(await livePaths(table)).includes("c.parquet"));
  // Removing a file that is not live fails.
  await assert.rejects(
    table
      .newRewriteFiles()
      .rewriteFiles(["c.parquet"], [dataFile("c4.parquet")])
      .commit(),
    isConflict(/cannot remove c\.parquet: not a live file/),
  );
});

test("row delta in a transaction commits with the other staged actions", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("a.parquet")).commit();
  const tx = table.newTransaction();
  await tx.newRowDelta().addDeletes(positionDeletes("d.parquet", "a.parquet")).commit();
  await tx.newAppend().appendFile(dataFile("b.parquet")).commit();
  await tx.commit();
  assert.deepEqual(await livePaths(table), ["a.parquet", "b.parquet", "d.parquet"]);
  assert.equal(table.snapshots().length, 3);
});
