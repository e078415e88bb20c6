import assert from "node:assert/strict";
import { test } from "node:test";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { Table } from "../../src/table/table.ts";
import { dataFile, newTable } from "./fixtures.ts";

test("schema evolution adds a schema, makes it current and records the last column id", async () => {
  const { table } = await newTable();
  await table.updateSchema().addColumn(null, "country", "string").renameColumn("page", "url").commit();
  const schema = table.schema();
  assert.equal(schema["schema-id"], 1);
  assert.deepEqual(
    schema.fields.map((f) => [f.id, f.name, f.type]),
    [
      [1, "element_id", "long"],
      [2, "event_time", "timestamp"],
      [3, "url", "string"],
      [4, "country", "string"],
    ],
  );
  assert.equal(table.metadata["last-column-id"], 4);
  assert.equal(table.metadata.schemas.length, 2);
  // The change is in the catalog, not just the handle.
  const reloaded = await Table.load(table.catalog, table.identifier);
  assert.equal(reloaded.schema()["schema-id"], 1);
});

test("a schema change back to an earlier structure reuses that schema id, a no-op commits nothing", async () => {
  const { table } = await newTable();
  await table.updateSchema().addColumn(null, "tmp", "int").commit();
  const location = table.metadataLocation;
  await table.updateSchema().commit();
  assert.equal(table.metadataLocation, location, "no updates, no new metadata file");
  await table.updateSchema().deleteColumn("tmp").commit();
  assert.equal(table.schema()["schema-id"], 0);
  assert.equal(table.metadata.schemas.length, 2);
});

test("invalid schema changes fail with a validation error and change nothing", async () => {
  const { table } = await newTable();
  await assert.rejects(table.updateSchema().addColumn(null, "page", "string").commit(), { kind: "validation" });
  await assert.rejects(table.updateSchema().deleteColumn("nope").commit(), /nope/);
  assert.equal(table.metadata.schemas.length, 1);
});

test("a schema update re-validates against a concurrent schema change", async () => {
  const { catalog, table: a } = await newTable({ properties: { "commit.retry.min-wait-ms": "1" } });
  const b = await Table.load(catalog, a.identifier);
  const update = a.updateSchema().addColumn(null, "country", "string");
  await b.updateSchema().addColumn(null, "country", "string").commit();
  await assert.rejects(update.commit(), /country/);
  const other = a.updateSchema().addColumn(null, "referrer", "string");
  await b.updateSchema().addColumn(null, "device", "string").commit();
  await other.commit();
  assert.deepEqual(
    a
      .schema()
      .fields.map((f) => [f.id, f.name])
      .slice(3),
    [
      [4, "country"],
      [5, "device"],
      [6, "referrer"],
    ],
  );
});

test("partition spec evolution adds a spec and makes it the default; old files keep their spec", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("old.parquet")).commit();
  await table.updateSpec().addField("element_id", "bucket[16]").commit();
  const spec = table.spec();
  assert.equal(spec["spec-id"], 1);
  assert.deepEqual(
    spec.fields.map((f) => [f["field-id"], f.name, f.transform]),
    [
      [1000, "event_time_day", "day"],
      [1001, "element_id_bucket_16", "bucket[16]"],
    ],
  );
  assert.equal(table.metadata["last-partition-id"], 1001);
  await table
    .newAppend()
    .appendFile(dataFile("new.parquet", { partition: [20089, 3] }))
    .commit();
  const manifests = await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!);
  assert.deepEqual(manifests.map((m) => m.partitionSpecId).sort(), [0, 1]);
});

test("sort order replacement adds an order and makes it default; the same order is reused", async () => {
  const { table } = await newTable();
  await table.replaceSortOrder().asc("element_id").desc("event_time", { nullOrder: "nulls-first" }).commit();
  const order = table.sortOrder();
  assert.equal(order["order-id"], 1);
  assert.deepEqual(
    order.fields.map((f) => [f["source-id"], f.direction, f["null-order"], f.transform]),
    [
      [1, "asc", "nulls-first", "identity"],
      [2, "desc", "nulls-first", "identity"],
    ],
  );
  await table.replaceSortOrder().commit();
  assert.equal(table.sortOrder()["order-id"], 0);
  await table.replaceSortOrder().asc("element_id").desc("event_time", { nullOrder: "nulls-first" }).commit();
  assert.equal(table.sortOrder()["order-id"], 1);
  assert.equal(table.metadata["sort-orders"].length, 2);
  await assert.rejects(table.replaceSortOrder().asc("missing").commit(), /missing/);
});

test("properties are set and removed; reserved names are refused", async () => {
  const { table } = await newTable({ properties: { x: "1" } });
  await table.updateProperties().set("k", "v").remove("x").commit();
  assert.equal(table.properties().k, "v");
  assert.equal(table.properties().x, undefined);
  assert.throws(() => table.updateProperties().set("format-version", "3"), /reserved/);
  assert.throws(() => table.updateProperties().set("a", "1").remove("a"), /both set and removed/);
});
