import assert from "node:assert/strict";
import { test } from "node:test";
import { DataFileContent } from "../../src/manifest/types.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import { packFromEnd } from "../../src/table/manifest-merge.ts";
import { requirementsFor } from "../../src/table/commit-requirements.ts";
import { SummaryBuilder } from "../../src/table/summary.ts";
import { dataFile, newTable } from "./fixtures.ts";

const parent = (summary: Record<string, string>): Snapshot => ({
  "snapshot-id": 1n,
  "sequence-number": 1n,
  "timestamp-ms": 0,
  summary: { operation: "append", ...summary },
});

test("delete files are counted under the delete keys and move the delete totals", () => {
  const pos = { ...dataFile("pos.parquet", { records: 7n, size: 70n }), content: DataFileContent.PositionDeletes };
  const eq = {
    ...dataFile("eq.parquet", { records: 3n, size: 30n, day: "2025-01-02" }),
    content: DataFileContent.EqualityDeletes,
    equalityIds: [1],
  };
  const oldPos = {
    ...dataFile("old-pos.parquet", { records: 2n, size: 20n }),
    content: DataFileContent.PositionDeletes,
  };
  const summary = new SummaryBuilder()
    .addedFile(pos)
    .addedFile(eq)
    .removedFile(oldPos)
    .build(
      "overwrite",
      parent({
        "total-data-files": "5",
        "total-delete-files": "1",
        "total-records": "500",
        "total-files-size": "9000",
        "total-position-deletes": "2",
        "total-equality-deletes": "0",
      }),
    );
  assert.deepEqual(summary, {
    operation: "overwrite",
    "added-delete-files": "2",
    "added-position-delete-files": "1",
    "added-equality-delete-files": "1",
    "removed-delete-files": "1",
    "removed-position-delete-files": "1",
    "added-files-size": "100",
    "removed-files-size": "20",
    "added-position-deletes": "7",
    "added-equality-deletes": "3",
    "removed-position-deletes": "2",
    "changed-partition-count": "2",
    "total-data-files": "5",
    "total-delete-files": "2",
    "total-records": "500",
    "total-files-size": "9080",
    "total-position-deletes": "7",
    "total-equality-deletes": "3",
  });
});

test("a total the parent did not track is left out rather than guessed", () => {
  const summary = new SummaryBuilder()
    .addedFile(dataFile("a.parquet"))
    .build("append", parent({ "total-records": "10" }));
  assert.equal(summary["total-records"], "1010");
  assert.equal(summary["total-data-files"], undefined);
  assert.equal(new SummaryBuilder().build("append", null)["total-data-files"], "0");
});

test("bins are packed from the oldest end so the newest bin is the partial one", () => {
  const bins = packFromEnd([1n, 1n, 1n, 2n, 2n, 5n], (w) => w, 4n);
  // From the end: [5] alone (over target), [2, 2] fills a bin, the rest [1, 1, 1] is the partial bin at the front.
  assert.deepEqual(bins, [[1n, 1n, 1n], [2n, 2n], [5n]]);
});

test("requirements assert, once and against the base, every state the updates build on", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("a.parquet")).commit();
  const base = table.metadata;
  const head = base["current-snapshot-id"]!;
  const requirements = requirementsFor(base, [
    { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": 5n },
    { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": 6n },
    { action: "set-snapshot-ref", "ref-name": "dev", type: "branch", "snapshot-id": 6n },
    { action: "add-schema", schema: base.schemas[0] },
    { action: "set-current-schema", "schema-id": -1 },
    { action: "add-spec", spec: base["partition-specs"][0] },
    { action: "set-default-spec", "spec-id": -1 },
    { action: "set-default-sort-order", "sort-order-id": -1 },
    { action: "set-properties", updates: { a: "b" } },
  ]);
  assert.deepEqual(requirements, [
    { type: "assert-table-uuid", uuid: base["table-uuid"] },
    { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": head },
    { type: "assert-ref-snapshot-id", ref: "dev", "snapshot-id": null },
    { type: "assert-last-assigned-field-id", "last-assigned-field-id": 3 },
    { type: "assert-current-schema-id", "current-schema-id": 0 },
    { type: "assert-last-assigned-partition-id", "last-assigned-partition-id": 1000 },
    { type: "assert-default-spec-id", "default-spec-id": 0 },
    { type: "assert-default-sort-order-id", "default-sort-order-id": 0 },
  ]);
});
