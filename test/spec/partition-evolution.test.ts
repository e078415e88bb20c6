import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { PartitionSpecUpdate } from "../../src/spec/partition-evolution.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";

const schema: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "ts", required: true, type: "timestamptz" },
    { id: 3, name: "category", required: false, type: "string" },
    { id: 4, name: "data", required: false, type: "string" },
  ],
};
const base: PartitionSpec = {
  "spec-id": 0,
  fields: [
    { "source-id": 2, "field-id": 1000, name: "ts_day", transform: "day" },
    { "source-id": 3, "field-id": 1001, name: "category", transform: "identity" },
  ],
};
const update = (options?: ConstructorParameters<typeof PartitionSpecUpdate>[3]) =>
  new PartitionSpecUpdate(base, schema, 1001, options);
const rejects = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e) => isFloeError(e, "validation") && pattern.test(e.message));

test("adding fields assigns new ids after the last partition id, with default names", () => {
  const { spec, lastPartitionId } = update().addField("id", "bucket[16]").addField("data", "truncate[4]", "d4").apply();
  assert.deepEqual(spec, {
    "spec-id": 1,
    fields: [
      ...base.fields,
      { "source-id": 1, "field-id": 1002, name: "id_bucket_16", transform: "bucket[16]" },
      { "source-id": 4, "field-id": 1003, name: "d4", transform: "truncate[4]" },
    ],
  });
  assert.equal(lastPartitionId, 1003);
  assert.equal(update().addField("data").apply().spec.fields[2].name, "data");
});

test("removing a field drops it in v2 and replaces it with void in v1", () => {
  const v2 = update().removeField("ts_day").apply();
  assert.deepEqual(v2.spec.fields, [base.fields[1]]);
  assert.equal(v2.lastPartitionId, 1001);
  const v1 = update({ formatVersion: 1 }).removeField("ts_day").apply();
  assert.deepEqual(v1.spec.fields, [
    { "source-id": 2, "field-id": 1000, name: "ts_day", transform: "void" },
    base.fields[1],
  ]);
});

test("renaming keeps the field id", () => {
  const { spec } = update().renameField("ts_day", "day").apply();
  assert.deepEqual(spec.fields[0], { "source-id": 2, "field-id": 1000, name: "day", transform: "day" });
});

test("v2 reuses the id of an equal field from a historical spec; v1 does not", () => {
  const historical: PartitionSpec = {
    "spec-id": 5,
    fields: [{ "source-id": 1, "field-id": 1007, name: "id_bucket_16", transform: "bucket[16]" }],
  };
  const reused = update({ historicalSpecs: [historical] })
    .addField("id", "bucket[16]")
    .apply();
  assert.deepEqual(reused.spec.fields[2], {
    "source-id": 1,
    "field-id": 1007,
    name: "id_bucket_16",
    transform: "bucket[16]",
  });
  assert.equal(reused.lastPartitionId, 1001);
  const sameName = update({ historicalSpecs: [historical] })
    .addField("id", "bucket[16]", "id_bucket_16")
    .apply();
  assert.equal(sameName.spec.fields[2]["field-id"], 1007);
  const otherName = update({ historicalSpecs: [historical] })
    .addField("id", "bucket[16]", "b")
    .apply();
  assert.deepEqual(otherName.spec.fields[2], { "source-id": 1, "field-id": 1002, name: "b", transform: "bucket[16]" });
  const v1 = update({ formatVersion: 1, historicalSpecs: [historical] })
    .addField("id", "bucket[16]")
    .apply();
  assert.equal(v1.spec.fields[2]["field-id"], 1002);
  const otherTransform = update({ historicalSpecs: [historical] })
    .addField("id", "bucket[8]")
    .apply();
  assert.equal(otherTransform.spec.fields[2]["field-id"], 1002);
});

test("removing and re-adding the same field in one change is a no-op or a rename", () => {
  assert.deepEqual(update().removeField("ts_day").addField("ts", "day").apply().spec.fields, base.fields);
  const renamed = update().removeField("ts_day").addField("ts", "day", "event_day").apply();
  assert.deepEqual(renamed.spec.fields[0], { "source-id": 2, "field-id": 1000, name: "event_day", transform: "day" });
});

test("replacing day with hour on the same column, and a v1 void field stepping aside for a new name", () => {
  const v2 = update().removeField("ts_day").addField("ts", "hour").apply();
  assert.deepEqual(v2.spec.fields, [
    base.fields[1],
    { "source-id": 2, "field-id": 1002, name: "ts_hour", transform: "hour" },
  ]);
  const v1 = update({ formatVersion: 1 }).removeField("ts_day").addField("ts", "hour", "ts_day").apply();
  assert.deepEqual(v1.spec.fields, [
    { "source-id": 2, "field-id": 1000, name: "ts_day_1000", transform: "void" },
    base.fields[1],
    { "source-id": 2, "field-id": 1002, name: "ts_day", transform: "hour" },
  ]);
  // a void field left by an earlier v1 change also steps aside
  const voided: PartitionSpec = {
    "spec-id": 1,
    fields: [{ "source-id": 2, "field-id": 1000, name: "ts_day", transform: "void" }],
  };
  const next = new PartitionSpecUpdate(voided, schema, 1000, { formatVersion: 1 })
    .addField("ts", "day", "ts_day")
    .apply();
  assert.deepEqual(next.spec.fields, [
    { "source-id": 2, "field-id": 1000, name: "ts_day_1000", transform: "void" },
    { "source-id": 2, "field-id": 1001, name: "ts_day", transform: "day" },
  ]);
});

test("invalid changes are refused with the field named", () => {
  rejects(() => update().addField("ts", "day"), /duplicate of existing field ts_day/);
  rejects(
    () => update().addField("id", "bucket[4]").addField("id", "bucket[4]", "b2"),
    /duplicate of added field id_bucket_4/,
  );
  rejects(() => update().addField("id", "bucket[4]", "x").addField("data", "identity", "x"), /name x already added/);
  rejects(
    () => update().removeField("ts_day").addField("ts", "hour").addField("ts", "month"),
    /redundant with added field ts_hour/,
  );
  rejects(() => update().addField("id", "identity", "ts_day"), /partition name ts_day already exists/);
  rejects(() => update().addField("nope", "identity"), /source column nope not found/);
  rejects(() => update().addField("data", "day"), /day cannot apply/);
  rejects(() => update().addField("data", "zorder"), /unknown transform zorder/);
  rejects(
    () => update().addField("id", "bucket[4]").removeField("id_bucket_4"),
    /newly added partition field: id_bucket_4/,
  );
  rejects(
    () => update().addField("id", "bucket[4]").renameField("id_bucket_4", "b"),
    /newly added partition field: id_bucket_4/,
  );
  rejects(() => update().removeField("nope"), /partition field to remove: nope/);
  rejects(() => update().renameField("nope", "x"), /partition field to rename: nope/);
  rejects(() => update().renameField("ts_day", "d").removeField("ts_day"), /rename and remove partition field: ts_day/);
  rejects(() => update().removeField("ts_day").renameField("ts_day", "d"), /remove and rename partition field: ts_day/);
  rejects(() => update().addField("id", "bucket[4]", "data").apply(), /conflicts with schema column data/);
  rejects(() => update().renameField("category", "ts_day").apply(), /used more than once/);
  rejects(() => update().renameField("ts_day", "category").apply(), /conflicts with schema column category/);
  const withUnknown: PartitionSpec = {
    "spec-id": 2,
    fields: [{ "source-id": 1, "field-id": 1000, name: "z", transform: "zorder" }],
  };
  rejects(() => new PartitionSpecUpdate(withUnknown, schema, 1000), /unknown transform zorder/);
});
