import assert from "node:assert/strict";
import { test } from "node:test";
import { and, greaterThanOrEqual, lessThan } from "../../src/expr/expressions.ts";
import { Table } from "../../src/table/table.ts";
import { dataFile, livePaths, newTable } from "./fixtures.ts";

test("a transaction commits schema change, appends and properties as one metadata version", async () => {
  const { table } = await newTable();
  const locationsBefore = table.metadata["metadata-log"].length;
  const tx = table.newTransaction();
  await tx.updateSchema().addColumn(null, "country", "string").commit();
  await tx.newAppend().appendFile(dataFile("a.parquet")).commit();
  await tx.newFastAppend().appendFile(dataFile("b.parquet")).commit();
  await tx.updateProperties().set("owner", "clicks-team").commit();
  assert.equal(table.currentSnapshot(), null, "nothing is visible before the transaction commits");

  await tx.commit();
  assert.equal(table.metadata["metadata-log"].length, locationsBefore + 1, "exactly one new metadata file");
  assert.equal(table.schema().fields.at(-1)!.name, "country");
  assert.equal(table.properties().owner, "clicks-team");
  const [first, second] = table.snapshots();
  assert.equal(first["sequence-number"], 1n);
  assert.equal(second["sequence-number"], 2n);
  assert.equal(second["parent-snapshot-id"], first["snapshot-id"]);
  assert.equal(first["schema-id"], 1, "the append sees the schema staged before it");
  assert.deepEqual(await livePaths(table), ["a.parquet", "b.parquet"]);
  await assert.rejects(tx.commit(), /already committed/);
});

test("a transaction's delete does not conflict with its own earlier append", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("old.parquet")).commit();
  const tx = table.newTransaction();
  await tx
    .newAppend()
    .appendFile(dataFile("jan2.parquet", { day: "2025-01-02" }))
    .commit();
  await tx
    .newDelete()
    .deleteFromFilter(
      and(greaterThanOrEqual("event_time", "2025-01-02T00:00:00"), lessThan("event_time", "2025-01-03T00:00:00")),
    )
    .commit();
  await tx.commit();
  assert.deepEqual(await livePaths(table), ["old.parquet"]);
  assert.deepEqual(
    table.snapshots().map((s) => s.summary.operation),
    ["append", "append", "delete"],
  );
});

test("a transaction retries as a whole after a concurrent commit", async () => {
  const { catalog, table } = await newTable({ properties: { "commit.retry.min-wait-ms": "1" } });
  const tx = table.newTransaction();
  await tx.newAppend().appendFile(dataFile("tx.parquet")).commit();
  await tx.updateProperties().set("k", "v").commit();
  const other = await Table.load(catalog, table.identifier);
  await other.newAppend().appendFile(dataFile("other.parquet")).commit();
  await tx.commit();
  assert.deepEqual(await livePaths(table), ["other.parquet", "tx.parquet"]);
  assert.equal(table.currentSnapshot()!["parent-snapshot-id"], other.currentSnapshot()!["snapshot-id"]);
  assert.equal(table.properties().k, "v");
});

test("a failing action fails the whole transaction and nothing is committed", async () => {
  const { table } = await newTable();
  const tx = table.newTransaction();
  await tx.newAppend().appendFile(dataFile("a.parquet")).commit();
  await tx.updateSchema().deleteColumn("does_not_exist").commit();
  await assert.rejects(tx.commit(), /does_not_exist/);
  await table.refresh();
  assert.equal(table.currentSnapshot(), null);
  const files: string[] = [];
  for await (const info of table.io.list(`${table.location()}/metadata/`)) files.push(info.path);
  assert.deepEqual(
    files.filter((p) => p.endsWith(".avro")),
    [],
    "the append's manifests were cleaned up",
  );
});
