import assert from "node:assert/strict";
import { test } from "node:test";
import { and, greaterThanOrEqual, lessThan } from "../../src/expr/expressions.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { ManifestEntryStatus } from "../../src/manifest/types.ts";
import { dataFile, livePaths, newTable } from "./fixtures.ts";

const day = (iso: string) =>
  and(greaterThanOrEqual("event_time", `${iso}T00:00:00`), lessThan("event_time", nextDay(iso)));
const nextDay = (iso: string) =>
  `${new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00`;

/** A table with one fast-append commit per group of files (so each group has its own manifest). */
async function tableWith(groups: ReturnType<typeof dataFile>[][]) {
  const setup = await newTable();
  for (const files of groups) await setup.table.newFastAppend().appendFiles(files).commit();
  return setup;
}

test("delete by filter removes whole matching files and rewrites only the manifests holding them", async () => {
  const { table } = await tableWith([
    [dataFile("jan1-a.parquet", { day: "2025-01-01" }), dataFile("jan2-a.parquet", { day: "2025-01-02" })],
    [dataFile("jan3-a.parquet", { day: "2025-01-03" })],
  ]);
  const before = await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!);
  const untouched = before.find((m) => m.sequenceNumber === 2n)!;

  await table.newDelete().deleteFromFilter(day("2025-01-01")).commit();
  const snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary.operation, "delete");
  assert.equal(snapshot["sequence-number"], 3n);
  assert.deepEqual(await livePaths(table), ["jan2-a.parquet", "jan3-a.parquet"]);

  const after = await readManifestList(table.io, snapshot["manifest-list"]!);
  assert.equal(after.length, 2);
  assert.ok(
    after.some((m) => m.manifestPath === untouched.manifestPath),
    "the untouched manifest is reused as is",
  );
  const rewritten = after.find((m) => m.manifestPath !== untouched.manifestPath)!;
  assert.equal(rewritten.addedSnapshotId, snapshot["snapshot-id"]);
  assert.equal(rewritten.sequenceNumber, 3n);
  assert.equal(rewritten.deletedFilesCount, 1);
  assert.equal(rewritten.existingFilesCount, 1);
  const entries = await readManifest(table.io, rewritten);
  const byPath = new Map(entries.map((e) => [e.dataFile.filePath, e]));
  assert.equal(byPath.get("jan1-a.parquet")!.status, ManifestEntryStatus.Deleted);
  assert.equal(byPath.get("jan1-a.parquet")!.snapshotId, snapshot["snapshot-id"]);
  assert.equal(byPath.get("jan1-a.parquet")!.sequenceNumber, 1n, "a deleted entry keeps its data sequence number");
  assert.equal(byPath.get("jan2-a.parquet")!.status, ManifestEntryStatus.Existing);
  assert.equal(byPath.get("jan2-a.parquet")!.sequenceNumber, 1n);

  assert.equal(snapshot.summary["deleted-data-files"], "1");
  assert.equal(snapshot.summary["deleted-records"], "1000");
  assert.equal(snapshot.summary["removed-files-size"], "40000");
  assert.equal(snapshot.summary["total-data-files"], "2");
  assert.equal(snapshot.summary["total-records"], "2000");
  assert.equal(snapshot.summary["changed-partition-count"], "1");

  // The next rewrite of that manifest drops the DELETED entry: it belongs to an older snapshot.
  await table.newDelete().deleteFromFilter(day("2025-01-02")).commit();
  const latest = await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!);
  const paths = (await Promise.all(latest.map((m) => readManifest(table.io, m))))
    .flat()
    .map((e) => e.dataFile.filePath);
  assert.ok(!paths.includes("jan1-a.parquet"));
  assert.deepEqual(await livePaths(table), ["jan3-a.parquet"]);
});

test("a file matching the filter only in part is refused, naming the file", async () => {
  const { table } = await tableWith([[dataFile("whole-day.parquet", { day: "2025-01-01" })]]);
  await assert.rejects(
    table.newDelete().deleteFromFilter(lessThan("event_time", "2025-01-01T12:00:00")).commit(),
    (error: Error & { kind?: string }) => {
      assert.equal(error.kind, "validation");
      assert.match(error.message, /whole-day\.parquet/);
      assert.match(error.message, /only be removed whole/);
      return true;
    },
  );
  assert.deepEqual(await livePaths(table), ["whole-day.parquet"]);
  assert.equal(table.snapshots().length, 1);
});

test("strict metrics prove a whole-file match inside a partition", async () => {
  const { table } = await tableWith([
    [
      dataFile("low-ids.parquet", { minId: 1n, maxId: 40n }),
      dataFile("high-ids.parquet", { minId: 60n, maxId: 100n }),
      dataFile("morning.parquet", { day: "2025-01-02", fromHour: 0, toHour: 10, minId: 60n, maxId: 90n }),
    ],
  ]);
  await table.newDelete().deleteFromFilter(lessThan("element_id", 50n)).commit();
  assert.deepEqual(await livePaths(table), ["high-ids.parquet", "morning.parquet"]);
  await table.newDelete().deleteFromFilter(lessThan("event_time", "2025-01-02T12:00:00")).commit();
  assert.deepEqual(await livePaths(table), []);
  assert.equal(table.currentSnapshot()!.summary["total-data-files"], "0");
  assert.equal(table.currentSnapshot()!.summary["total-records"], "0");
});

test("delete by path removes exactly that file and fails for a file not in the table", async () => {
  const { table } = await tableWith([[dataFile("a.parquet"), dataFile("b.parquet")]]);
  await table.newDelete().deleteFile("a.parquet").commit();
  assert.deepEqual(await livePaths(table), ["b.parquet"]);
  await assert.rejects(
    table.newDelete().deleteFile("a.parquet").commit(),
    /cannot delete a\.parquet: not a live data file/,
  );
  await assert.rejects(table.newDelete().deleteFile("nope.parquet").commit(), /nope\.parquet/);
});

test("a filter matching nothing still commits a delete snapshot that changes nothing", async () => {
  const { table } = await tableWith([[dataFile("a.parquet")]]);
  const manifestsBefore = await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!);
  await table.newDelete().deleteFromFilter(day("2030-01-01")).commit();
  const manifestsAfter = await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!);
  assert.deepEqual(
    manifestsAfter.map((m) => m.manifestPath),
    manifestsBefore.map((m) => m.manifestPath),
  );
  assert.equal(table.currentSnapshot()!.summary["total-data-files"], "1");
});
