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
  notEqual,
  notIn,
  notNaN,
  notNull,
  notStartsWith,
  or,
  startsWith,
  isNaN as isNaNPredicate,
} from "../../src/expr/expressions.ts";
import {
  type FileMetricsLike,
  inclusiveMetricsEvaluator,
  strictMetricsEvaluator,
} from "../../src/expr/metrics-evaluator.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import type { Schema } from "../../src/spec/types.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "int" },
    { id: 2, name: "name", required: false, type: "string" },
    { id: 3, name: "score", required: false, type: "double" },
    { id: 4, name: "all_nulls", required: false, type: "long" },
    { id: 5, name: "no_stats", required: false, type: "int" },
    {
      id: 6,
      name: "loc",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 7, name: "zip", required: true, type: "int" },
          { id: 8, name: "city", required: false, type: "string" },
        ],
      },
    },
    { id: 9, name: "some_nulls", required: false, type: "int" },
  ],
};

const bounds = (entries: [number, string, unknown][]) =>
  new Map(entries.map(([id, type, v]) => [id, toBytes(type, v as never)]));

/**
 * 50 rows: id 30..79; name "abc".."abz" with the upper bound truncated to "ac"; score 1.5..9.0 plus
 * 10 NaN; all_nulls only nulls; no_stats without metrics; loc.zip 10000..10010; some_nulls 1..5
 * with 10 nulls; loc.city without bounds.
 */
const FILE: FileMetricsLike = {
  recordCount: 50n,
  valueCounts: new Map([
    [1, 50n],
    [2, 50n],
    [3, 50n],
    [4, 50n],
    [7, 50n],
    [8, 50n],
    [9, 50n],
  ]),
  nullValueCounts: new Map([
    [1, 0n],
    [2, 0n],
    [3, 0n],
    [4, 50n],
    [7, 0n],
    [8, 5n],
    [9, 10n],
  ]),
  nanValueCounts: new Map([[3, 10n]]),
  lowerBounds: bounds([
    [1, "int", 30],
    [2, "string", "abc"],
    [3, "double", 1.5],
    [7, "int", 10000],
    [9, "int", 1],
  ]),
  upperBounds: bounds([
    [1, "int", 79],
    [2, "string", "ac"],
    [3, "double", 9],
    [7, "int", 10010],
    [9, "int", 5],
  ]),
};

const might = (expr: Expression, file = FILE) => inclusiveMetricsEvaluator(SCHEMA, expr)(file);
const must = (expr: Expression, file = FILE) => strictMetricsEvaluator(SCHEMA, expr)(file);

test("inclusive: comparisons against bounds", () => {
  assert.equal(might(lessThan("id", 30)), false);
  assert.equal(might(lessThan("id", 31)), true);
  assert.equal(might(lessThanOrEqual("id", 29)), false);
  assert.equal(might(lessThanOrEqual("id", 30)), true);
  assert.equal(might(greaterThan("id", 79)), false);
  assert.equal(might(greaterThanOrEqual("id", 79)), true);
  assert.equal(might(equal("id", 80)), false);
  assert.equal(might(equal("id", 29)), false);
  assert.equal(might(equal("id", 50)), true);
  assert.equal(might(notEqual("id", 50)), true);
  assert.equal(might(notEqual("id", 30)), true, "bounds do not show every row equals 30");
  assert.equal(might(isIn("id", [1, 2, 80, 100])), false);
  assert.equal(might(isIn("id", [1, 79])), true);
  assert.equal(might(notIn("id", [30, 79])), true);
  assert.equal(
    might(
      isIn(
        "id",
        Array.from({ length: 500 }, (_, i) => i + 100),
      ),
    ),
    false,
    "large lists prune too",
  );
});

test("inclusive: nulls, NaN and missing metrics", () => {
  assert.equal(might(isNull("id")), false, "id is required: is-null folds to false");
  assert.equal(might(isNull("name")), false, "null count 0");
  assert.equal(might(isNull("some_nulls")), true);
  assert.equal(might(notNull("all_nulls")), false);
  assert.equal(might(equal("all_nulls", 1)), false);
  assert.equal(might(lessThan("all_nulls", 1)), false);
  assert.equal(might(notEqual("all_nulls", 1)), true, "null satisfies not-eq");
  assert.equal(might(isNaNPredicate("score")), true);
  assert.equal(might(notNaN("score")), true);
  assert.equal(might(equal("no_stats", 5)), true);
  assert.equal(might(lessThan("no_stats", -(2 ** 31) + 1)), true);
  const noNans = { ...FILE, nanValueCounts: new Map([[3, 0n]]) };
  assert.equal(might(isNaNPredicate("score"), noNans), false);
  const onlyNans = { ...FILE, nanValueCounts: new Map([[3, 50n]]) };
  assert.equal(might(notNaN("score"), onlyNans), false);
  assert.equal(might(greaterThan("score", 0), onlyNans), false, "NaN satisfies no comparison");
  assert.equal(might(notEqual("score", 0), onlyNans), true);
});

test("inclusive: a NaN bound is unreliable and never prunes", () => {
  const nanUpper = { ...FILE, upperBounds: bounds([[3, "double", Number.NaN]]) };
  assert.equal(might(greaterThan("score", 100), nanUpper), true);
  const nanLower = { ...FILE, lowerBounds: bounds([[3, "double", Number.NaN]]) };
  assert.equal(might(lessThan("score", -100), nanLower), true);
  assert.equal(might(lessThan("score", 1)), false);
});

test("inclusive: prefixes against truncated string bounds", () => {
  assert.equal(might(startsWith("name", "ab")), true);
  assert.equal(might(startsWith("name", "abzzz")), true, "upper bound ac was truncated from longer values");
  assert.equal(might(startsWith("name", "aa")), false);
  assert.equal(might(startsWith("name", "ad")), false);
  assert.equal(might(startsWith("name", "ac")), true, "ac is only an upper bound; values may start with ab");
  assert.equal(might(equal("name", "abzzz")), true);
  assert.equal(might(greaterThan("name", "ac")), false);
  assert.equal(might(notStartsWith("name", "a")), false, "both bounds start with a");
  assert.equal(might(notStartsWith("name", "ab")), true, "upper bound ac does not start with ab");
  assert.equal(might(notStartsWith("loc.city", "a")), true, "nulls satisfy not-starts-with");
});

test("inclusive: nested struct fields use their own field id's metrics", () => {
  assert.equal(might(equal("loc.zip", 10011)), false);
  assert.equal(might(equal("loc.zip", 10005)), true);
  assert.equal(might(isNull("loc.zip")), false);
  assert.equal(might(equal("loc.city", "x")), true, "no bounds");
});

test("inclusive: empty files never match, unknown record counts always might", () => {
  assert.equal(might(equal("id", 50), { ...FILE, recordCount: 0n }), false);
  assert.equal(might(equal("id", 500), { ...FILE, recordCount: -1n }), true);
  assert.equal(might(equal("id", 500), { recordCount: 10n }), true, "no metrics at all");
  assert.equal(might(or(equal("id", 500), equal("id", 50))), true);
  assert.equal(might(and(equal("id", 50), equal("all_nulls", 3))), false);
});

test("strict: comparisons hold for every row only when the bounds prove it", () => {
  assert.equal(must(lessThan("id", 80)), true);
  assert.equal(must(lessThan("id", 79)), false);
  assert.equal(must(lessThanOrEqual("id", 79)), true);
  assert.equal(must(greaterThan("id", 29)), true);
  assert.equal(must(greaterThan("id", 30)), false);
  assert.equal(must(greaterThanOrEqual("id", 30)), true);
  assert.equal(must(equal("id", 30)), false);
  assert.equal(must(notEqual("id", 29)), true);
  assert.equal(must(notEqual("id", 80)), true);
  assert.equal(must(notEqual("id", 50)), false);
  assert.equal(must(notIn("id", [1, 2, 80])), true);
  assert.equal(must(notIn("id", [1, 50])), false);
  assert.equal(must(isIn("id", [30, 79])), false);
  const single = { ...FILE, lowerBounds: bounds([[1, "int", 42]]), upperBounds: bounds([[1, "int", 42]]) };
  assert.equal(must(equal("id", 42), single), true);
  assert.equal(must(isIn("id", [1, 42]), single), true);
  assert.equal(must(lessThan("some_nulls", 100)), false, "null rows do not satisfy lt");
  assert.equal(must(notEqual("some_nulls", 100)), true, "null rows satisfy not-eq");
  assert.equal(must(lessThan("score", 100)), false, "NaN rows do not satisfy lt");
});

test("strict: null, NaN and prefix predicates", () => {
  assert.equal(must(isNull("all_nulls")), true);
  assert.equal(must(notNull("name")), true);
  assert.equal(must(notNull("some_nulls")), false);
  assert.equal(must(notEqual("all_nulls", 3)), true);
  assert.equal(must(notNaN("score"), { ...FILE, nanValueCounts: new Map([[3, 0n]]) }), true);
  assert.equal(must(notNaN("score")), false);
  assert.equal(must(isNaNPredicate("score"), { ...FILE, nanValueCounts: new Map([[3, 50n]]) }), true);
  const noNanCounts = { ...FILE, nanValueCounts: undefined };
  assert.equal(must(lessThan("score", 100), noNanCounts), false, "unknown NaN counts prove nothing for doubles");
  assert.equal(must(startsWith("name", "a")), true, "both bounds start with a");
  assert.equal(must(startsWith("name", "ab")), false);
  assert.equal(must(notStartsWith("name", "b")), true, "every value sorts before b");
  assert.equal(must(notStartsWith("name", "ab")), false);
  assert.equal(must(equal("no_stats", 1)), false);
  assert.equal(must(equal("id", 1), { ...FILE, recordCount: 0n }), true, "vacuously true for no rows");
});
