// Row-level commands racing other writers. The handle running the command is stale (another
// handle committed since it loaded), so its first commit attempt hits the catalog's conflict and
// the retry re-validates against what was committed meanwhile: changes outside the rows the
// command read are kept; changes to those rows fail the command with a clear conflict, and the
// files it wrote for the failed commit are removed.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { deleteWhere } from "../../src/engine/dml/delete-where.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { equal, lessThan } from "../../src/expr/expressions.ts";
import { Table } from "../../src/table/table.ts";
import { liveEntries, modelRows, newDmlTable, readRows, rowsSql, sortRows, tempWarehouse } from "./dml-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempWarehouse("dml-conflicts"));
});
after(() => {
  engine.close();
  cleanup();
});

/** Every Parquet file under a folder. */
function parquetFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".parquet"))
    .map((name) => path.join(folder, name))
    .sort();
}

test("copy-on-write delete: a concurrent append of matching rows fails it with a conflict", async () => {
  const warehouse = `${dir}/cow-conflict`;
  const { catalog, table: stale } = await newDmlTable(warehouse);
  await appendQuery(engine, stale, rowsSql(0, 30));
  const other = await Table.load(catalog, stale.identifier);
  await appendQuery(engine, other, rowsSql(30, 30)); // ids 30..59 match the filter below
  const filesBefore = parquetFiles(warehouse);

  const error = await deleteWhere(engine, stale, lessThan("id", 40)).then(
    () => assert.fail("the delete must conflict"),
    (e: unknown) => e,
  );
  assert.ok(isFloeError(error, "validation"), String(error));
  assert.match(
    (error as Error).message,
    /rewrite-files \(copy-on-write, conflict detection filter id < 40\) conflicts with snapshot \d+ \(append\) .*it added data file .*, which may hold rows matching id < 40/,
  );
  await stale.refresh();
  assert.deepEqual(await readRows(engine, stale), modelRows(0, 60), "nothing was deleted");
  assert.deepEqual(parquetFiles(warehouse), filesBefore, "the rewritten files of the failed commit were removed");
});

test("copy-on-write delete: a concurrent append outside the filter is kept by the retry", async () => {
  const { catalog, table: stale } = await newDmlTable(`${dir}/cow-retry`);
  await appendQuery(engine, stale, rowsSql(0, 30));
  const other = await Table.load(catalog, stale.identifier);
  await appendQuery(engine, other, rowsSql(100, 30)); // ids 100..129: metrics rule them out
  const concurrent = other.currentSnapshot()!["snapshot-id"];

  const result = await deleteWhere(engine, stale, lessThan("id", 40));
  assert.equal(result.rowsDeleted, 30n);
  const head = stale.currentSnapshot()!;
  assert.equal(head["parent-snapshot-id"], concurrent, "committed on top of the concurrent append");
  assert.match(head["manifest-list"]!, /snap-\d+-2-/, "on the second attempt");
  assert.deepEqual(await readRows(engine, stale), modelRows(100, 30));
});

test("snapshot isolation lets concurrent appends through, but never a concurrent delete of rewritten rows", async () => {
  const { catalog, table: stale } = await newDmlTable(`${dir}/isolation`, {
    properties: { "write.delete.isolation-level": "snapshot" },
  });
  await appendQuery(engine, stale, rowsSql(0, 30));
  const other = await Table.load(catalog, stale.identifier);
  await appendQuery(engine, other, rowsSql(30, 3));
  // Snapshot isolation: the appended ids 30..32 match but are not this delete's concern.
  const kept = await deleteWhere(engine, stale, lessThan("id", 100));
  assert.equal(kept.rowsDeleted, 30n);
  assert.deepEqual(await readRows(engine, stale), modelRows(30, 3));

  // A merge-on-read delete from another handle puts position deletes on a file the stale
  // copy-on-write delete rewrites: the rewrite would bring the row back, so it must fail.
  await appendQuery(engine, stale, rowsSql(40, 9));
  const staleAgain = await Table.load(catalog, stale.identifier);
  await deleteWhere(engine, stale, equal("id", 43), { mode: "merge-on-read" });
  await assert.rejects(
    deleteWhere(engine, staleAgain, equal("id", 46), { mode: "copy-on-write" }),
    (e: unknown) =>
      isFloeError(e, "validation") &&
      /it added position delete file .*-deletes\.parquet, which may delete rows of rewritten data file/.test(e.message),
  );
  await stale.refresh();
  const model = sortRows([...modelRows(30, 3), ...modelRows(40, 9)]).filter((r) => r.id !== 43n);
  assert.deepEqual(await readRows(engine, stale), model);
});

test("merge-on-read delete: a concurrent rewrite of a file its deletes name fails it", async () => {
  const { catalog, table: stale } = await newDmlTable(`${dir}/mor-conflict`, {
    properties: { "write.delete.mode": "merge-on-read", "write.delete.isolation-level": "snapshot" },
  });
  await appendQuery(engine, stale, rowsSql(0, 30));
  const other = await Table.load(catalog, stale.identifier);
  await deleteWhere(engine, other, equal("id", 3), { mode: "copy-on-write" }); // rewrites the g0 file
  const error = await deleteWhere(engine, stale, equal("id", 6)).then(
    () => assert.fail("the delete must conflict"),
    (e: unknown) => e,
  );
  assert.ok(isFloeError(error, "validation"), String(error));
  assert.match(
    (error as Error).message,
    /row-delta .* conflicts with snapshot \d+ \(overwrite\).*it removed data file .*, which this change's position deletes reference/,
  );
  await stale.refresh();
  assert.equal((await liveEntries(stale)).filter((e) => e.dataFile.content !== 0).length, 0, "no delete file landed");
  assert.deepEqual(
    await readRows(engine, stale),
    modelRows(0, 30).filter((r) => r.id !== 3n),
  );
});
