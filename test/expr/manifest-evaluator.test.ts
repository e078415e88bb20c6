import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Expression,
  equal,
  greaterThan,
  greaterThanOrEqual,
  isIn,
  isNull,
  lessThan,
  lessThanOrEqual,
  notEqual,
  notNaN,
  notNull,
  notStartsWith,
  startsWith,
  isNaN as isNaNPredicate,
} from "../../src/expr/expressions.ts";
import { type PartitionFieldSummaryLike, manifestEvaluator } from "../../src/expr/manifest-evaluator.ts";
import { partitionEvaluator } from "../../src/expr/partition-evaluator.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "i", required: false, type: "int" },
    { id: 2, name: "s", required: false, type: "string" },
    { id: 3, name: "f", required: false, type: "double" },
    { id: 4, name: "ts", required: false, type: "timestamptz" },
  ],
};

const SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [
    { "source-id": 1, "field-id": 1000, name: "i", transform: "identity" },
    { "source-id": 2, "field-id": 1001, name: "s", transform: "identity" },
    { "source-id": 3, "field-id": 1002, name: "f", transform: "identity" },
    { "source-id": 4, "field-id": 1003, name: "ts_day", transform: "day" },
  ],
};

const summary = (type: string, lower?: unknown, upper?: unknown, extra: Partial<PartitionFieldSummaryLike> = {}) => ({
  containsNull: false,
  lowerBound: lower === undefined ? undefined : toBytes(type, lower as never),
  upperBound: upper === undefined ? undefined : toBytes(type, upper as never),
  ...extra,
});

/** i in [10, 20], s in ["b", "bz"], f in [1, 2] with nulls, ts_day 2024-01-01..2024-01-31. */
const SUMMARIES: PartitionFieldSummaryLike[] = [
  summary("int", 10, 20),
  summary("string", "b", "bz"),
  summary("double", 1, 2, { containsNull: true, containsNan: false }),
  summary("date", 19723, 19753),
];

const might = (expr: Expression, summaries = SUMMARIES) => manifestEvaluator(SPEC, SCHEMA, expr)(summaries);

test("range predicates use the partition bounds", () => {
  assert.equal(might(lessThan("i", 10)), false);
  assert.equal(might(lessThan("i", 11)), true);
  assert.equal(might(lessThanOrEqual("i", 10)), true);
  assert.equal(might(lessThanOrEqual("i", 9)), false);
  assert.equal(might(greaterThan("i", 20)), false);
  assert.equal(might(greaterThanOrEqual("i", 20)), true);
  assert.equal(might(equal("i", 21)), false);
  assert.equal(might(equal("i", 15)), true);
  assert.equal(might(notEqual("i", 15)), true);
  assert.equal(might(isIn("i", [1, 2, 30])), false);
  assert.equal(might(isIn("i", [1, 2, 20])), true);
  assert.equal(might(greaterThanOrEqual("ts", "2024-02-01T00:00:00Z")), false);
  assert.equal(might(lessThan("ts", "2024-01-01T00:00:01Z")), true);
});

test("null and NaN flags", () => {
  assert.equal(might(isNull("i")), false, "containsNull is false");
  assert.equal(might(isNull("f")), true);
  assert.equal(might(isNaNPredicate("f")), false, "containsNan is false");
  const allNull = [SUMMARIES[0], SUMMARIES[1], { containsNull: true, containsNan: false }, SUMMARIES[3]];
  assert.equal(might(notNull("f"), allNull), false);
  assert.equal(might(equal("f", 1), allNull), false, "no bounds: every value is null or NaN");
  const nanUnknown = [SUMMARIES[0], SUMMARIES[1], { containsNull: true }, SUMMARIES[3]];
  assert.equal(might(notNull("f"), nanUnknown), true, "without containsNan the values may be NaN");
  const allNaN = [SUMMARIES[0], SUMMARIES[1], { containsNull: false, containsNan: true }, SUMMARIES[3]];
  assert.equal(might(notNaN("f"), allNaN), false);
  assert.equal(might(isNaNPredicate("f"), allNaN), true);
  assert.equal(might(notNull("f"), allNaN), true);
});

test("prefix predicates compare bounds only up to the prefix length", () => {
  assert.equal(might(startsWith("s", "a")), false);
  assert.equal(might(startsWith("s", "c")), false);
  assert.equal(might(startsWith("s", "b")), true);
  assert.equal(might(startsWith("s", "bzz")), false, "upper bound bz < bzz");
  assert.equal(might(startsWith("s", "bm")), true);
  assert.equal(might(notStartsWith("s", "b")), false, "both bounds start with b and no nulls");
  assert.equal(might(notStartsWith("s", "bz")), true);
});

test("missing summaries cannot prune", () => {
  assert.equal(manifestEvaluator(SPEC, SCHEMA, equal("i", 99))(undefined), true);
  assert.equal(might(equal("ts", "2030-01-01T00:00:00Z"), SUMMARIES.slice(0, 3)), true);
});

test("partitionEvaluator tests one file's partition tuple", () => {
  const evaluator = partitionEvaluator(SPEC, SCHEMA, greaterThanOrEqual("ts", "2024-01-02T12:00:00Z"));
  assert.equal(evaluator([1, "a", 1.0, 19724]), true);
  assert.equal(evaluator([1, "a", 1.0, 19723]), false);
  assert.equal(evaluator([1, "a", 1.0, null]), false);
  assert.equal(partitionEvaluator(SPEC, SCHEMA, isNull("i"))([null, "a", 1.0, 19724]), true);
});
