import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import {
  UNPARTITIONED_SPEC,
  buildPartitionSpec,
  isUnpartitioned,
  partitionPath,
  partitionType,
  partitionValuesFor,
  specsCompatible,
  urlEncodeJava,
} from "../../src/spec/partitioning.ts";
import type { Schema, Value } from "../../src/spec/types.ts";

const schema: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "event_time", required: true, type: "timestamptz" },
    { id: 3, name: "category", required: false, type: "string" },
    { id: 4, name: "price", required: false, type: "decimal(9,2)" },
    {
      id: 5,
      name: "location",
      required: false,
      type: { type: "struct", fields: [{ id: 6, name: "city", required: false, type: "string" }] },
    },
    {
      id: 7,
      name: "tags",
      required: false,
      type: { type: "list", "element-id": 8, element: "string", "element-required": true },
    },
    { id: 9, name: "payload", required: false, type: { type: "struct", fields: [] } },
  ],
};
// 2025-01-01T13:00:00Z
const T = 1735736400000000n;

test("buildPartitionSpec assigns ids from 1000 and Java's default names", () => {
  const spec = buildPartitionSpec(schema, [
    { source: "event_time", transform: "day" },
    { source: "id", transform: "bucket[16]" },
    { source: "category", transform: "identity" },
    { source: "category", transform: "truncate[4]" },
    { source: 4, transform: "void" },
    { source: "location.city", transform: "identity" },
  ]);
  assert.deepEqual(spec, {
    "spec-id": 0,
    fields: [
      { "source-id": 2, "field-id": 1000, name: "event_time_day", transform: "day" },
      { "source-id": 1, "field-id": 1001, name: "id_bucket_16", transform: "bucket[16]" },
      { "source-id": 3, "field-id": 1002, name: "category", transform: "identity" },
      { "source-id": 3, "field-id": 1003, name: "category_trunc_4", transform: "truncate[4]" },
      { "source-id": 4, "field-id": 1004, name: "price_null", transform: "void" },
      { "source-id": 6, "field-id": 1005, name: "location.city", transform: "identity" },
    ],
  });
  const more = buildPartitionSpec(schema, [{ source: "event_time", transform: "hour", name: "h" }], {
    specId: 3,
    lastPartitionId: 1010,
  });
  assert.deepEqual(more.fields[0], { "source-id": 2, "field-id": 1011, name: "h", transform: "hour" });
  assert.equal(more["spec-id"], 3);
});

test("buildPartitionSpec rejects invalid fields, naming them", () => {
  const rejects = (fields: Parameters<typeof buildPartitionSpec>[1], pattern: RegExp) =>
    assert.throws(
      () => buildPartitionSpec(schema, fields),
      (e) => isFloeError(e, "validation") && pattern.test(e.message),
    );
  rejects([{ source: "nope", transform: "identity" }], /nope not found/);
  rejects([{ source: "category", transform: "day" }], /day cannot apply/);
  rejects([{ source: "category", transform: "zorder" }], /unknown transform zorder/);
  rejects([{ source: "tags.element", transform: "identity" }], /inside a list or map/);
  rejects([{ source: "payload", transform: "identity" }], /not a primitive/);
  rejects(
    [
      { source: "id", transform: "bucket[4]" },
      { source: "id", transform: "bucket[4]", name: "b2" },
    ],
    /redundant/,
  );
  rejects(
    [
      { source: "event_time", transform: "day" },
      { source: "event_time", transform: "hour" },
    ],
    /redundant/,
  );
  rejects(
    [
      { source: "id", transform: "bucket[4]", name: "x" },
      { source: "category", transform: "identity", name: "x" },
    ],
    /more than once/,
  );
  rejects([{ source: "id", transform: "bucket[4]", name: "category" }], /conflicts with schema column category/);
  rejects([{ source: "id", transform: "identity", name: "category" }], /conflicts with schema column category/);
  rejects([{ source: "id", transform: "bucket[4]", name: "" }], /empty/);
  // different buckets of one column are fine
  assert.equal(
    buildPartitionSpec(schema, [
      { source: "id", transform: "bucket[4]" },
      { source: "id", transform: "bucket[8]" },
    ]).fields.length,
    2,
  );
});

test("partitionType types each field by its transform", () => {
  const spec = buildPartitionSpec(schema, [
    { source: "event_time", transform: "day" },
    { source: "event_time", transform: "bucket[4]" },
    { source: "price", transform: "truncate[10]" },
    { source: "category", transform: "void" },
    { source: "event_time", transform: "identity", name: "ts" },
  ]);
  assert.deepEqual(partitionType(spec, schema), {
    type: "struct",
    fields: [
      { id: 1000, name: "event_time_day", required: false, type: "date" },
      { id: 1001, name: "event_time_bucket_4", required: false, type: "int" },
      { id: 1002, name: "price_trunc_10", required: false, type: "decimal(9,2)" },
      { id: 1003, name: "category_null", required: false, type: "string" },
      { id: 1004, name: "ts", required: false, type: "timestamptz" },
    ],
  });
});

test("partitionType of a spec whose source column was dropped", () => {
  const spec: PartitionSpec = {
    "spec-id": 1,
    fields: [
      { "source-id": 99, "field-id": 1000, name: "gone_null", transform: "void" },
      { "source-id": 99, "field-id": 1001, name: "gone_bucket", transform: "bucket[8]" },
      { "source-id": 99, "field-id": 1002, name: "gone_day", transform: "day" },
      { "source-id": 99, "field-id": 1003, name: "gone", transform: "identity" },
      { "source-id": 1, "field-id": 1004, name: "z", transform: "zorder" },
    ],
  };
  assert.deepEqual(
    partitionType(spec, schema).fields.map((f) => f.type),
    ["unknown", "int", "date", "unknown", "string"],
  );
});

test("partitionValuesFor transforms a row and partitionPath renders it like Java", () => {
  const spec = buildPartitionSpec(schema, [
    { source: "event_time", transform: "hour", name: "event_hour" },
    { source: "id", transform: "bucket[16]" },
    { source: "category", transform: "identity" },
    { source: "price", transform: "truncate[100]" },
  ]);
  const row: Record<number, Value> = { 1: 34n, 2: T, 3: "shoes & socks/100%", 4: 1999n };
  const values = partitionValuesFor(spec, schema, (id) => row[id]);
  assert.deepEqual(values, [20089 * 24 + 13, (2017239379 & 0x7fffffff) % 16, "shoes & socks/100%", 1900n]);
  assert.equal(
    partitionPath(spec, schema, values),
    "event_hour=2025-01-01-13/id_bucket_16=3/category=shoes+%26+socks%2F100%25/price_trunc_100=19.00",
  );
  const nulls = partitionValuesFor(spec, schema, () => null);
  assert.deepEqual(nulls, [null, null, null, null]);
  assert.equal(
    partitionPath(spec, schema, nulls),
    "event_hour=null/id_bucket_16=null/category=null/price_trunc_100=null",
  );
  assert.throws(() => partitionPath(spec, schema, [1]), /4 fields/);
  const daily = buildPartitionSpec(schema, [{ source: "event_time", transform: "day" }]);
  const day = partitionValuesFor(daily, schema, (id) => row[id]);
  assert.deepEqual(day, [20089]);
  assert.equal(partitionPath(daily, schema, day), "event_time_day=2025-01-01");
});

test("partition names are escaped too, and month/year render as Java does", () => {
  const spec = buildPartitionSpec(schema, [
    { source: "event_time", transform: "month", name: "mon th" },
    { source: "category", transform: "bucket[2]", name: "ü" },
  ]);
  assert.equal(partitionPath(spec, schema, [-1, 1]), "mon+th=1969-12/%C3%BC=1");
  assert.equal(urlEncodeJava("a-b_c.d*e~f"), "a-b_c.d*e%7Ef");
});

test("a row cannot be partitioned by an unknown transform", () => {
  const spec: PartitionSpec = {
    "spec-id": 1,
    fields: [{ "source-id": 1, "field-id": 1000, name: "z", transform: "zorder" }],
  };
  assert.throws(
    () => partitionValuesFor(spec, schema, () => 1n),
    (e) => isFloeError(e, "unsupported"),
  );
});

test("unpartitioned specs and spec equivalence", () => {
  assert.deepEqual(UNPARTITIONED_SPEC, { "spec-id": 0, fields: [] });
  assert.ok(isUnpartitioned(UNPARTITIONED_SPEC));
  const voidOnly = buildPartitionSpec(schema, [{ source: "category", transform: "void" }]);
  assert.ok(isUnpartitioned(voidOnly));
  const byDay = buildPartitionSpec(schema, [{ source: "event_time", transform: "day" }]);
  assert.ok(!isUnpartitioned(byDay));
  const sameOtherIds = buildPartitionSpec(schema, [{ source: "event_time", transform: "day" }], {
    specId: 4,
    lastPartitionId: 1500,
  });
  assert.ok(specsCompatible(byDay, sameOtherIds));
  const renamed = buildPartitionSpec(schema, [{ source: "event_time", transform: "day", name: "d" }]);
  assert.ok(!specsCompatible(byDay, renamed));
  const hourly = buildPartitionSpec(schema, [{ source: "event_time", transform: "hour", name: "event_time_day" }]);
  assert.ok(!specsCompatible(byDay, hourly));
  assert.ok(!specsCompatible(byDay, UNPARTITIONED_SPEC));
});
