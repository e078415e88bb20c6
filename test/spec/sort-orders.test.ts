import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { UNSORTED_ORDER } from "../../src/spec/sort-order.ts";
import { buildSortOrder, isUnsorted, sortOrderSatisfies } from "../../src/spec/sort-orders.ts";
import type { Schema } from "../../src/spec/types.ts";

const schema: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "element_id", required: true, type: "string" },
    { id: 2, name: "event_time", required: true, type: "timestamptz" },
    { id: 3, name: "score", required: false, type: "double" },
    {
      id: 4,
      name: "attrs",
      required: false,
      type: { type: "map", "key-id": 5, key: "string", "value-id": 6, value: "string", "value-required": false },
    },
  ],
};

test("defaults: identity, asc, nulls first for asc and nulls last for desc, id 1", () => {
  const order = buildSortOrder(schema, [
    { source: "element_id" },
    { source: "event_time", direction: "desc" },
    { source: 3, transform: "identity", direction: "asc", nullOrder: "nulls-last" },
    { source: "event_time", transform: "day" },
  ]);
  assert.deepEqual(order, {
    "order-id": 1,
    fields: [
      { transform: "identity", "source-id": 1, direction: "asc", "null-order": "nulls-first" },
      { transform: "identity", "source-id": 2, direction: "desc", "null-order": "nulls-last" },
      { transform: "identity", "source-id": 3, direction: "asc", "null-order": "nulls-last" },
      { transform: "day", "source-id": 2, direction: "asc", "null-order": "nulls-first" },
    ],
  });
  assert.equal(buildSortOrder(schema, [{ source: "element_id", transform: "bucket[4]" }], 7)["order-id"], 7);
});

test("no fields is the unsorted order; id 0 is reserved for it", () => {
  assert.deepEqual(buildSortOrder(schema, []), UNSORTED_ORDER);
  assert.ok(isUnsorted(buildSortOrder(schema, [])));
  assert.ok(!isUnsorted(buildSortOrder(schema, [{ source: "element_id" }])));
  assert.throws(() => buildSortOrder(schema, [{ source: "element_id" }], 0), /reserved/);
  assert.throws(() => buildSortOrder(schema, [], 2), /unsorted/);
});

test("invalid sort fields are rejected with the column named", () => {
  const rejects = (fields: Parameters<typeof buildSortOrder>[1], pattern: RegExp) =>
    assert.throws(
      () => buildSortOrder(schema, fields),
      (e) => isFloeError(e, "validation") && pattern.test(e.message),
    );
  rejects([{ source: "missing" }], /missing not found/);
  rejects([{ source: "score", transform: "bucket[4]" }], /bucket\[4\] cannot apply/);
  rejects([{ source: "element_id", transform: "mystery" }], /unknown transform mystery/);
  rejects([{ source: "attrs" }], /not a primitive/);
  rejects([{ source: "attrs.value" }], /inside a list or map/);
  rejects([{ source: "element_id", direction: "up" as never }], /direction up/);
});

test("an order satisfies its prefixes and coarser transforms", () => {
  const fine = buildSortOrder(schema, [{ source: "element_id" }, { source: "event_time" }]);
  const prefix = buildSortOrder(schema, [{ source: "element_id" }]);
  const coarser = buildSortOrder(schema, [{ source: "element_id" }, { source: "event_time", transform: "day" }]);
  const desc = buildSortOrder(schema, [{ source: "element_id", direction: "desc" }]);
  assert.ok(sortOrderSatisfies(fine, prefix));
  assert.ok(sortOrderSatisfies(fine, coarser));
  assert.ok(!sortOrderSatisfies(coarser, fine));
  assert.ok(!sortOrderSatisfies(prefix, fine));
  assert.ok(!sortOrderSatisfies(fine, desc));
  assert.ok(sortOrderSatisfies(fine, UNSORTED_ORDER));
});
