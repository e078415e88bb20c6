import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Expression,
  and,
  equal,
  greaterThan,
  greaterThanOrEqual,
  isIn,
  isNull,
  lessThan,
  lessThanOrEqual,
  not,
  notEqual,
  notIn,
  notNaN,
  notNull,
  notStartsWith,
  or,
  startsWith,
  isNaN as isNaNPredicate,
} from "../../src/expr/expressions.ts";
import { rowEvaluator } from "../../src/expr/row-evaluator.ts";
import type { Schema } from "../../src/spec/types.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "x", required: false, type: "int" },
    { id: 2, name: "f", required: false, type: "double" },
    { id: 3, name: "s", required: false, type: "string" },
    {
      id: 4,
      name: "loc",
      required: false,
      type: { type: "struct", fields: [{ id: 5, name: "city", required: true, type: "string" }] },
    },
    { id: 6, name: "b", required: false, type: "binary" },
    { id: 7, name: "u", required: false, type: "uuid" },
  ],
};

const matches = (expr: Expression, row: unknown[]) => rowEvaluator(SCHEMA, expr)(row as never);

test("comparisons on ordinary values", () => {
  const row = [5, 1.5, "abc", ["Paris"], Uint8Array.of(1, 2), "f79c3e09-677c-4bbd-a479-3f349cb785e7"];
  assert.equal(matches(equal("x", 5), row), true);
  assert.equal(matches(notEqual("x", 5), row), false);
  assert.equal(matches(lessThan("x", 5), row), false);
  assert.equal(matches(lessThanOrEqual("x", 5), row), true);
  assert.equal(matches(greaterThan("x", 4), row), true);
  assert.equal(matches(greaterThanOrEqual("x", 6), row), false);
  assert.equal(matches(isIn("x", [1, 5, 9]), row), true);
  assert.equal(matches(notIn("x", [1, 5, 9]), row), false);
  assert.equal(matches(startsWith("s", "ab"), row), true);
  assert.equal(matches(notStartsWith("s", "ab"), row), false);
  assert.equal(matches(startsWith("s", "abcd"), row), false);
  assert.equal(matches(equal("loc.city", "Paris"), row), true);
  assert.equal(matches(greaterThan("b", Uint8Array.of(1)), row), true);
  assert.equal(matches(equal("u", "F79C3E09-677C-4BBD-A479-3F349CB785E7"), row), true);
});

test("null satisfies no comparison, but satisfies the negated forms", () => {
  const row = [null, null, null, null, null, null];
  for (const e of [
    equal("x", 5),
    lessThan("x", 5),
    greaterThanOrEqual("x", 5),
    isIn("x", [5, 6]),
    startsWith("s", "a"),
  ])
    assert.equal(matches(e, row), false);
  for (const e of [notEqual("x", 5), notIn("x", [5, 6]), notStartsWith("s", "a"), notNaN("f"), isNull("x")])
    assert.equal(matches(e, row), true);
  // NOT is pushed down: NOT (x < 5) is x >= 5, which null does not satisfy.
  assert.equal(matches(not(lessThan("x", 5)), row), false);
  assert.equal(matches(not(equal("x", 5)), row), true);
});

test("a null struct makes its fields null", () => {
  assert.equal(matches(isNull("loc.city"), [1, 1, "a", null]), true);
  assert.equal(matches(equal("loc.city", "Paris"), [1, 1, "a", null]), false);
  assert.equal(matches(notNull("loc.city"), [1, 1, "a", ["Oslo"]]), true);
});

test("NaN is only matched by is-nan and the negated forms", () => {
  const row = [1, Number.NaN, "a", null];
  assert.equal(matches(isNaNPredicate("f"), row), true);
  assert.equal(matches(notNaN("f"), row), false);
  assert.equal(matches(notNull("f"), row), true);
  for (const e of [equal("f", 1), lessThan("f", 1), greaterThan("f", 1), isIn("f", [1, 2])])
    assert.equal(matches(e, row), false);
  assert.equal(matches(notEqual("f", 1), row), true);
  assert.equal(matches(notIn("f", [1, 2]), row), true);
  assert.equal(matches(greaterThan("f", 1), [1, Number.POSITIVE_INFINITY]), true);
});

test("connectives", () => {
  const row = [5, 1.5, "abc", null];
  assert.equal(matches(and(equal("x", 5), startsWith("s", "a")), row), true);
  assert.equal(matches(and(equal("x", 5), startsWith("s", "b")), row), false);
  assert.equal(matches(or(equal("x", 4), startsWith("s", "a")), row), true);
  assert.equal(matches(not(or(equal("x", 4), startsWith("s", "b"))), row), true);
});
