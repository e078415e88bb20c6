// Negative counts mean "unknown" (v1 manifest lists read missing file counts as -1, imported files
// may carry record count -1): planning must treat them as unknown, never as zero.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newSnapshotId } from "../../src/core/ids.ts";
import { equal } from "../../src/expr/expressions.ts";
import { readManifestList, writeManifestList } from "../../src/manifest/manifest-list.ts";
import type { ManifestFile } from "../../src/manifest/types.ts";
import { planScan } from "../../src/scan/index.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import { commitDeletes, dataFile, newTable, taskPaths } from "./fixtures.ts";

/** Commits a snapshot listing the current manifests with their counts rewritten by `edit`. */
async function relistWithCounts(
  table: Awaited<ReturnType<typeof newTable>>["table"],
  edit: (m: ManifestFile) => ManifestFile,
) {
  const parent = table.currentSnapshot()!;
  const manifests = (await readManifestList(table.io, parent["manifest-list"]!)).map(edit);
  const snapshotId = newSnapshotId();
  const sequenceNumber = table.metadata["last-sequence-number"] + 1n;
  const listPath = `${table.location()}/metadata/snap-${snapshotId}-relist.avro`;
  await writeManifestList(table.io, listPath, {
    snapshotId,
    parentSnapshotId: parent["snapshot-id"],
    sequenceNumber,
    manifests,
  });
  const snapshot: Snapshot = {
    "snapshot-id": snapshotId,
    "parent-snapshot-id": parent["snapshot-id"],
    "sequence-number": sequenceNumber,
    "timestamp-ms": Date.now(),
    "manifest-list": listPath,
    summary: { operation: "replace" },
    "schema-id": 0,
  };
  table.adopt(
    await table.catalog.commitTable(
      table.identifier,
      [],
      [
        { action: "add-snapshot", snapshot },
        { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": snapshotId },
      ],
    ),
  );
}

test("manifests with unknown (-1) file counts are read; only counts of exactly zero skip a manifest", async () => {
  const { table, io } = await newTable();
  await table.newFastAppend().appendFile(dataFile("unknown.parquet")).commit();
  await table.newFastAppend().appendFile(dataFile("claimed-empty.parquet")).commit();
  await relistWithCounts(table, (m) =>
    m.addedFilesCount === 1 && m.sequenceNumber === 1n
      ? { ...m, addedFilesCount: -1, existingFilesCount: -1, deletedFilesCount: -1, addedRowsCount: -1n }
      : { ...m, addedFilesCount: 0, existingFilesCount: 0 },
  );
  const listed = await readManifestList(io, table.currentSnapshot()!["manifest-list"]!);
  assert.deepEqual(listed.map((m) => [m.addedFilesCount, m.existingFilesCount]).sort(), [
    [-1, -1],
    [0, 0],
  ]);
  const plan = await planScan(io, table.metadata);
  assert.deepEqual(taskPaths(plan.tasks), ["unknown.parquet"]);
  const reasons = plan.explain.manifests.details.map((d) => [d.kept, d.reason]).sort();
  assert.deepEqual(reasons, [
    [false, "no live files (added 0, existing 0)"],
    [true, "no filter"],
  ]);
});

test("files with an unknown record count are never pruned by metrics and are counted apart", async () => {
  const { table, io } = await newTable();
  const unknown = dataFile("imported.parquet", { minId: 1n, maxId: 10n });
  unknown.recordCount = -1n;
  await commitDeletes(table, [{ files: [unknown, dataFile("known.parquet", { minId: 1n, maxId: 10n, records: 7n })] }]);
  // Bounds exclude element 50, but with an unknown record count nothing about the file is certain.
  const plan = await planScan(io, table.metadata, { filter: equal("element_id", 50n) });
  assert.deepEqual(taskPaths(plan.tasks), ["imported.parquet"]);
  assert.equal(plan.explain.records.unknownKeptFiles, 1);
  assert.equal(plan.explain.records.kept, 0n);
  // This snapshot's summary has no totals: they are summed over the files read, unknown counts left out.
  assert.equal(plan.explain.totalsSource, "scanned-manifests");
  assert.equal(plan.explain.records.total, 7n);
  assert.equal(plan.explain.bytes.total, unknown.fileSizeInBytes + 280n);
});

test("v1 snapshots that list manifests inline are planned, their counts unknown rather than zero", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFiles([dataFile("a.parquet"), dataFile("b.parquet", { day: "2025-01-02" })])
    .commit();
  const current = table.currentSnapshot()!;
  const manifests = await readManifestList(io, current["manifest-list"]!);
  // The same snapshot as an old writer would have recorded it: manifest paths inline, no list.
  const { "manifest-list": _list, ...rest } = current;
  const inline: Snapshot = { ...rest, manifests: manifests.map((m) => m.manifestPath) };
  const metadata = { ...table.metadata, snapshots: [inline] };
  const plan = await planScan(io, metadata, { filter: equal("event_time", "2025-01-02T01:00:00") });
  assert.deepEqual(taskPaths(plan.tasks), ["b.parquet"]);
  assert.deepEqual(
    plan.explain.manifests.details.map((d) => [d.kept, d.reason]),
    [[true, "no partition summary to prune by"]],
  );
  assert.equal(plan.tasks[0].spec["spec-id"], 0);
});
