// deleteWhere in both modes: the rows read back match an independently computed model, whole
// files matched by the filter are dropped unread, merge-on-read writes position delete files with
// the spec's columns, sort order and bounds, summaries count the deletes, and time travel to the
// snapshot before a delete still sees the deleted rows.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { deleteWhere } from "../../src/engine/dml/delete-where.ts";
import { updateWhere } from "../../src/engine/dml/update-where.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { FileCache } from "../../src/engine/read/file-cache.ts";
import { tableScanSql } from "../../src/engine/read/table-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { and, equal, greaterThanOrEqual, lessThan } from "../../src/expr/expressions.ts";
import { DataFileContent, ManifestContent } from "../../src/manifest/types.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { fromBytes } from "../../src/spec/conversions.ts";
import { Table } from "../../src/table/table.ts";
import {
  GRP_SPEC,
  type Row,
  SCHEMA,
  liveEntries,
  modelRows,
  newDmlTable,
  readRows,
  rowsSql,
  sortRows,
  tempWarehouse,
} from "./dml-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempWarehouse("dml-delete"));
});
after(() => {
  engine.close();
  cleanup();
});

const FILE_PATH_ID = 2147483546;
const POS_ID = 2147483545;

for (const mode of ["copy-on-write", "merge-on-read"] as const) {
  test(`${mode}: delete by expression and by SQL text leaves exactly the other rows`, async () => {
    const { table } = await newDmlTable(`${dir}/${mode}-basic`, { properties: { "write.delete.mode": mode } });
    await appendQuery(engine, table, rowsSql(0, 60));
    await appendQuery(engine, table, rowsSql(60, 60));
    let model = modelRows(0, 120);
    const before = table.currentSnapshot()!["snapshot-id"];

    const first = await deleteWhere(engine, table, and(greaterThanOrEqual("id", 10), lessThan("id", 25)));
    model = model.filter((r) => !(r.id >= 10n && r.id < 25n));
    assert.equal(first.mode, mode);
    assert.equal(first.rowsDeleted, 15n);
    assert.deepEqual(await readRows(engine, table), model);
    // Files of the second append hold ids 60..119: their metrics rule them out, so they stay.
    if (mode === "copy-on-write") {
      assert.equal(first.dataFilesRewritten, 3);
      assert.equal(first.deleteFilesAdded, 0);
      assert.equal(first.dataFilesAdded, 3);
    } else {
      assert.equal(first.dataFilesRewritten, 0);
      assert.equal(first.deleteFilesAdded, 3);
      assert.equal(first.dataFilesAdded, 0);
    }

    const second = await deleteWhere(engine, table, "val % 7 = 0 AND id > 50");
    model = model.filter((r) => !(r.val! % 7n === 0n && r.id > 50n));
    assert.equal(second.rowsDeleted, BigInt(120 - 15 - model.length));
    assert.deepEqual(await readRows(engine, table), model);

    const summary = table.currentSnapshot()!.summary;
    assert.equal(summary.operation, mode === "copy-on-write" ? "overwrite" : "delete");
    assert.equal(summary["total-records"] !== undefined, true);
    if (mode === "merge-on-read") {
      assert.equal(summary["added-position-deletes"], String(second.rowsDeleted));
      assert.equal(summary["added-delete-files"], String(second.deleteFilesAdded));
      assert.equal(summary["added-position-delete-files"], String(second.deleteFilesAdded));
      assert.equal(summary["total-position-deletes"], String(first.rowsDeleted + second.rowsDeleted));
    } else {
      // Rewritten files: removed and added records differ by exactly the deleted rows.
      assert.equal(BigInt(summary["deleted-records"]) - BigInt(summary["added-records"]), second.rowsDeleted);
      assert.equal(summary["total-records"], String(model.length));
    }

    // Time travel to before the deletes still returns every row.
    assert.deepEqual(await readRows(engine, table, before), modelRows(0, 120));
    // A filter matching nothing commits nothing.
    const none = await deleteWhere(engine, table, equal("id", 100000));
    assert.equal(none.snapshotId, null);
    assert.equal(none.rowsDeleted, 0n);
  });

  test(`${mode}: files the filter matches whole are dropped without reading, with their position deletes`, async () => {
    const { table } = await newDmlTable(`${dir}/${mode}-whole`, { properties: { "write.delete.mode": mode } });
    await appendQuery(engine, table, rowsSql(0, 30));
    // First a row-level delete in g1, so the g1 file carries deletes when it is dropped whole.
    await deleteWhere(engine, table, equal("id", 4), { mode: "merge-on-read" });
    const g1Deletes = (await liveEntries(table)).filter((e) => e.dataFile.content === DataFileContent.PositionDeletes);
    assert.equal(g1Deletes.length, 1);
    const result = await deleteWhere(engine, table, equal("grp", "g1"));
    assert.equal(result.dataFilesRemoved, 1);
    assert.equal(result.dataFilesRewritten, 0);
    assert.equal(result.dataFilesAdded, 0);
    assert.equal(result.deleteFilesAdded, 0);
    assert.equal(result.deleteFilesRemoved, 1);
    assert.equal(result.rowsDeleted, 9n, "10 rows of g1 minus the one already deleted");
    const model = modelRows(0, 30).filter((r) => r.grp !== "g1");
    assert.deepEqual(await readRows(engine, table), model);
    const live = await liveEntries(table);
    assert.equal(live.filter((e) => e.dataFile.content !== DataFileContent.Data).length, 0);
    assert.equal(table.currentSnapshot()!.summary.operation, "delete");
    assert.equal(table.currentSnapshot()!.summary["removed-position-deletes"], "1");
  });
}

test("merge-on-read position delete files: reserved columns, sorted, one data file each with exact bounds", async () => {
  const { table } = await newDmlTable(`${dir}/posfiles`, { properties: { "write.delete.mode": "merge-on-read" } });
  const appended = await appendQuery(engine, table, rowsSql(0, 90));
  const result = await deleteWhere(engine, table, "id % 4 = 1");
  assert.equal(result.rowsDeleted, 23n);
  const snapshot = table.currentSnapshot()!;
  const manifests = await readManifestList(table.io, snapshot["manifest-list"]!);
  assert.equal(manifests.filter((m) => m.content === ManifestContent.Deletes).length, 1);
  const deletes = (await liveEntries(table)).filter((e) => e.dataFile.content === DataFileContent.PositionDeletes);
  assert.equal(deletes.length, 3);
  let total = 0n;
  for (const { dataFile } of deletes) {
    const target = appended.files.find(
      (f) => f.filePath === fromBytes("string", dataFile.lowerBounds!.get(FILE_PATH_ID)!),
    );
    assert.ok(target, "the file_path lower bound names a data file of the table");
    assert.deepEqual(dataFile.upperBounds!.get(FILE_PATH_ID), dataFile.lowerBounds!.get(FILE_PATH_ID));
    assert.deepEqual(dataFile.partition, target.partition, "written in the data file's partition");
    assert.match(dataFile.filePath, new RegExp(`/data/grp=${String(target.partition[0])}/[^/]+-deletes\\.parquet$`));
    assert.equal(dataFile.valueCounts!.get(FILE_PATH_ID), dataFile.recordCount);
    assert.equal(dataFile.nullValueCounts!.get(POS_ID), 0n);
    assert.ok(dataFile.columnSizes!.get(POS_ID)! > 0n);
    total += dataFile.recordCount;

    // The file itself: reserved field ids, rows sorted by (file_path, pos), pos bounds as recorded.
    const schema = await engine.all<{ name: string; field_id: bigint | null }>(
      `SELECT name, field_id FROM parquet_schema('${dataFile.filePath}') WHERE name IN ('file_path', 'pos') ORDER BY name`,
    );
    assert.deepEqual(
      schema.map((c) => [c.name, c.field_id]),
      [
        ["file_path", BigInt(FILE_PATH_ID)],
        ["pos", BigInt(POS_ID)],
      ],
    );
    const rows = await engine.all<{ file_path: string; pos: bigint }>(
      `SELECT file_path, pos FROM read_parquet('${dataFile.filePath}')`,
    );
    const positions = rows.map((r) => r.pos);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => (a < b ? -1 : 1)),
    );
    assert.ok(rows.every((r) => r.file_path === target.filePath));
    assert.equal(fromBytes("long", dataFile.lowerBounds!.get(POS_ID)!), positions[0]);
    assert.equal(fromBytes("long", dataFile.upperBounds!.get(POS_ID)!), positions[positions.length - 1]);
    // The deleted positions are exactly those of rows with id % 4 = 1 in that file.
    const expected = await engine.all<{ p: bigint }>(
      `SELECT file_row_number AS p FROM read_parquet('${target.filePath}', file_row_number = true) WHERE id % 4 = 1 ORDER BY p`,
    );
    assert.deepEqual(
      positions,
      expected.map((r) => r.p),
    );
  }
  assert.equal(total, 23n);
  assert.deepEqual(await readRows(engine, table), sortRows(modelRows(0, 90).filter((r) => r.id % 4n !== 1n)));
});

test("tables on non-local storage: delete files and rewritten files go through FileIO", async () => {
  const io = new MemoryFileIO();
  const catalog = new MemoryCatalog({ io, warehouse: "memory://wh" });
  await catalog.createNamespace(["db"]);
  const loaded = await catalog.createTable(
    { namespace: ["db"], name: "remote" },
    { schema: SCHEMA, partitionSpec: GRP_SPEC },
  );
  const table = new Table(catalog, loaded);
  await appendQuery(engine, table, rowsSql(0, 20));
  const cache = new FileCache({ directory: `${dir}/cache` });
  const mor = await deleteWhere(engine, table, "id IN (1, 2, 3)", { mode: "merge-on-read", fileCache: cache });
  assert.equal(mor.deleteFilesAdded, 3);
  const deletes = (await liveEntries(table)).filter((e) => e.dataFile.content === DataFileContent.PositionDeletes);
  for (const { dataFile } of deletes) {
    assert.ok(dataFile.filePath.startsWith("memory://wh/"));
    assert.equal(BigInt((await io.read(dataFile.filePath)).byteLength), dataFile.fileSizeInBytes);
  }
  await updateWhere(engine, table, { val: "0" }, "id < 10", { mode: "copy-on-write", fileCache: cache });
  const { sql } = await tableScanSql(engine, io, table.metadata, { fileCache: cache });
  const rows = await engine.all<Row>(`SELECT id, grp, val FROM (${sql}) ORDER BY id`);
  const model = modelRows(0, 20)
    .filter((r) => r.id < 1n || r.id > 3n)
    .map((r) => (r.id < 10n ? { ...r, val: 0n } : r));
  assert.deepEqual(rows, model);
});
