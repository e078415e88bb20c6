// appendQuery: rows of a query become data files of the table's layout and one append snapshot
// whose summary totals add up, with the metrics surviving the trip through the manifests.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { appendQuery, dataLocation } from "../../src/engine/write/append-query.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import type { ManifestEntry } from "../../src/manifest/types.ts";
import { Table } from "../../src/table/table.ts";
import { DAY_SPEC, SCHEMA, SORT_ORDER, clickSource } from "./write-fixtures.ts";

let engine: Engine;
let dir: string;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  dir = mkdtempSync(path.join(tmpdir(), "floe-append-test-"));
});
after(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newTable(warehouse: string): Promise<Table> {
  const catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(dir, warehouse) });
  await catalog.createNamespace(["clicks"]);
  const loaded = await catalog.createTable(
    { namespace: ["clicks"], name: "events" },
    { schema: SCHEMA, partitionSpec: DAY_SPEC, sortOrder: SORT_ORDER },
  );
  return new Table(catalog, loaded);
}

test("appendQuery writes the table's layout and commits one append with matching totals", async () => {
  const table = await newTable("one");
  const first = await appendQuery(engine, table, clickSource(5_000));
  assert.equal(first.recordCount, 5_000n);
  assert.equal(first.files.length, 4);
  const snapshot = table.currentSnapshot();
  assert.ok(snapshot);
  assert.equal(snapshot["snapshot-id"], first.snapshotId);
  const size = first.files.reduce((n, f) => n + f.fileSizeInBytes, 0n);
  assert.equal(snapshot.summary.operation, "append");
  assert.equal(snapshot.summary["added-data-files"], "4");
  assert.equal(snapshot.summary["added-records"], "5000");
  assert.equal(snapshot.summary["total-records"], "5000");
  assert.equal(snapshot.summary["total-data-files"], "4");
  assert.equal(snapshot.summary["total-files-size"], String(size));
  assert.equal(snapshot.summary["changed-partition-count"], "4");
  for (const file of first.files) assert.ok(file.filePath.startsWith(`${dataLocation(table)}/event_time_day=`));

  // The manifests hold the files with their metrics intact.
  const entries: ManifestEntry[] = [];
  for (const manifest of await readManifestList(table.io, snapshot["manifest-list"]!))
    entries.push(...(await readManifest(table.io, manifest)));
  assert.equal(entries.length, 4);
  for (const written of first.files) {
    const entry = entries.find((e) => e.dataFile.filePath === written.filePath);
    assert.ok(entry, `${written.filePath} is in the manifests`);
    assert.deepEqual(entry.dataFile.partition, written.partition);
    assert.equal(entry.dataFile.recordCount, written.recordCount);
    assert.deepEqual(entry.dataFile.lowerBounds, written.lowerBounds);
    assert.deepEqual(entry.dataFile.upperBounds, written.upperBounds);
    assert.deepEqual(entry.dataFile.nanValueCounts, written.nanValueCounts);
    assert.deepEqual(entry.dataFile.splitOffsets, written.splitOffsets);
    assert.equal(entry.dataFile.sortOrderId, 1);
  }

  const second = await appendQuery(
    engine,
    table,
    `SELECT * FROM (${clickSource(1_000)}) WHERE event_time < TIMESTAMP '1970-01-01'`,
  );
  const after = table.currentSnapshot();
  assert.ok(after && after["snapshot-id"] === second.snapshotId);
  assert.equal(after["parent-snapshot-id"], first.snapshotId);
  assert.equal(after.summary["total-records"], String(5_000n + second.recordCount));
  assert.equal(after.summary["total-data-files"], String(4 + second.files.length));
  assert.equal(second.files.length, 1);
});

test("an empty query commits nothing", async () => {
  const table = await newTable("two");
  const before = table.currentSnapshot()?.["snapshot-id"] ?? null;
  const result = await appendQuery(engine, table, `SELECT * FROM (${clickSource(10)}) WHERE false`);
  assert.deepEqual(result, { files: [], recordCount: 0n, snapshotId: null });
  assert.equal(table.currentSnapshot()?.["snapshot-id"] ?? null, before);
});
