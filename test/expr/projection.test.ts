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
  notNull,
  notStartsWith,
  startsWith,
  isNaN as isNaNPredicate,
} from "../../src/expr/expressions.ts";
import { inclusiveProjection, strictProjection } from "../../src/expr/projection.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "i", required: false, type: "int" },
    { id: 2, name: "l", required: false, type: "long" },
    { id: 3, name: "dec", required: false, type: "decimal(9,2)" },
    { id: 4, name: "s", required: false, type: "string" },
    { id: 5, name: "d", required: false, type: "date" },
    { id: 6, name: "ts", required: false, type: "timestamp" },
    { id: 7, name: "f", required: false, type: "float" },
    { id: 8, name: "b", required: false, type: "binary" },
  ],
};

const IDS: Record<string, number> = { i: 1, l: 2, dec: 3, s: 4, d: 5, ts: 6, f: 7, b: 8 };

const spec = (...fields: [string, string][]): PartitionSpec => ({
  "spec-id": 1,
  fields: fields.map(([source, transform], n) => ({
    "source-id": IDS[source],
    "field-id": 1000 + n,
    name: `${source}_${transform.replace(/\W+/g, "")}`,
    transform,
  })),
});

const inclusive = (s: PartitionSpec, e: Expression) => expressionToString(inclusiveProjection(s, SCHEMA, e));
const strict = (s: PartitionSpec, e: Expression) => expressionToString(strictProjection(s, SCHEMA, e));

test("identity projects every predicate unchanged, both ways", () => {
  const s = spec(["f", "identity"], ["dec", "identity"]);
  for (const e of [lessThan("f", 1.5), isNaNPredicate("f"), notIn("f", [1, 2]), isNull("f")]) {
    assert.equal(inclusive(s, e), expressionToString(e).replace("f ", "f_identity "));
    assert.equal(strict(s, e), expressionToString(e).replace("f ", "f_identity "));
  }
  assert.equal(inclusive(s, equal("dec", 1.5)), 'dec_identity = "1.50"');
});

test("bucket projects equality and in (inclusive), inequality and not-in (strict)", () => {
  const s = spec(["i", "bucket[16]"]);
  assert.equal(inclusive(s, equal("i", 34)), "i_bucket16 = 3", "the spec's hash example: 34 → 2017239379");
  assert.equal(inclusive(s, isIn("i", [34, 34])), "i_bucket16 = 3");
  assert.equal(inclusive(s, lessThan("i", 34)), "true");
  assert.equal(inclusive(s, notEqual("i", 34)), "true");
  assert.equal(inclusive(s, notNull("i")), "i_bucket16 is not null");
  assert.equal(strict(s, notEqual("i", 34)), "i_bucket16 != 3");
  assert.equal(strict(s, equal("i", 34)), "false");
  assert.equal(strict(s, isNull("i")), "i_bucket16 is null");
});

test("truncate of integers closes open bounds before truncating", () => {
  const s = spec(["i", "truncate[10]"]);
  assert.equal(inclusive(s, lessThan("i", 25)), "i_truncate10 <= 20");
  assert.equal(inclusive(s, lessThan("i", 20)), "i_truncate10 <= 10");
  assert.equal(inclusive(s, lessThanOrEqual("i", 25)), "i_truncate10 <= 20");
  assert.equal(inclusive(s, greaterThan("i", 29)), "i_truncate10 >= 30");
  assert.equal(inclusive(s, greaterThanOrEqual("i", 25)), "i_truncate10 >= 20");
  assert.equal(inclusive(s, equal("i", -5)), "i_truncate10 = -10");
  assert.equal(inclusive(s, isIn("i", [1, 5, 12])), "i_truncate10 in (0, 10)");
  assert.equal(inclusive(s, notEqual("i", 5)), "true");
  assert.equal(strict(s, lessThan("i", 25)), "i_truncate10 < 20");
  assert.equal(strict(s, lessThanOrEqual("i", 29)), "i_truncate10 < 30");
  assert.equal(strict(s, greaterThan("i", 25)), "i_truncate10 > 20");
  assert.equal(strict(s, greaterThanOrEqual("i", 20)), "i_truncate10 > 10");
  assert.equal(strict(s, notEqual("i", 25)), "i_truncate10 != 20");
  assert.equal(strict(s, notIn("i", [25, 27, 31])), "i_truncate10 not in (20, 30)");
  assert.equal(strict(s, equal("i", 25)), "false");
});

test("truncate of longs and decimals works on the unscaled value", () => {
  assert.equal(inclusive(spec(["l", "truncate[100]"]), lessThan("l", 2n ** 40n)), "l_truncate100 <= 1099511627700");
  const d = spec(["dec", "truncate[50]"]);
  assert.equal(inclusive(d, lessThan("dec", "12.34")), 'dec_truncate50 <= "12.00"');
  assert.equal(inclusive(d, equal("dec", "-0.01")), 'dec_truncate50 = "-0.50"');
  assert.equal(strict(d, greaterThanOrEqual("dec", "12.50")), 'dec_truncate50 > "12.00"');
});

test("truncate of strings projects comparisons and prefixes", () => {
  const s = spec(["s", "truncate[2]"]);
  assert.equal(inclusive(s, lessThan("s", "abc")), 's_truncate2 <= "ab"');
  assert.equal(inclusive(s, greaterThan("s", "abc")), 's_truncate2 >= "ab"');
  assert.equal(inclusive(s, equal("s", "😀é😀")), 's_truncate2 = "😀é"', "truncation counts code points");
  assert.equal(inclusive(s, startsWith("s", "a")), 's_truncate2 starts with "a"');
  assert.equal(inclusive(s, startsWith("s", "ab")), 's_truncate2 = "ab"');
  assert.equal(inclusive(s, startsWith("s", "abc")), 's_truncate2 starts with "ab"');
  assert.equal(inclusive(s, notStartsWith("s", "a")), 's_truncate2 not starts with "a"');
  assert.equal(inclusive(s, notStartsWith("s", "ab")), 's_truncate2 != "ab"');
  assert.equal(inclusive(s, notStartsWith("s", "abc")), "true");
  assert.equal(strict(s, lessThan("s", "abc")), 's_truncate2 < "ab"');
  assert.equal(strict(s, greaterThanOrEqual("s", "abc")), 's_truncate2 > "ab"');
  assert.equal(strict(s, notEqual("s", "abc")), 's_truncate2 != "ab"');
  assert.equal(strict(s, startsWith("s", "a")), 's_truncate2 starts with "a"');
  assert.equal(strict(s, startsWith("s", "ab")), 's_truncate2 = "ab"');
  assert.equal(strict(s, startsWith("s", "abc")), "false");
  assert.equal(strict(s, notStartsWith("s", "abc")), 's_truncate2 not starts with "ab"');
  assert.equal(strict(s, equal("s", "ab")), "false");
});

test("truncate of binary projects comparisons", () => {
  const s = spec(["b", "truncate[1]"]);
  assert.equal(inclusive(s, lessThan("b", Uint8Array.of(5, 6))), "b_truncate1 <= X'05'");
  assert.equal(strict(s, greaterThan("b", Uint8Array.of(5, 6))), "b_truncate1 > X'05'");
});

test("time transforms project ranges onto units", () => {
  const day = spec(["ts", "day"]);
  assert.equal(
    inclusive(day, and(greaterThanOrEqual("ts", "2024-01-01T10:00:00"), lessThan("ts", "2024-01-03"))),
    '(ts_day >= "2024-01-01" and ts_day <= "2024-01-02")',
  );
  assert.equal(strict(day, lessThan("ts", "2024-01-03")), 'ts_day < "2024-01-03"');
  assert.equal(strict(day, lessThan("ts", "2024-01-03T00:00:01")), 'ts_day < "2024-01-03"');
  assert.equal(strict(day, greaterThanOrEqual("ts", "2024-01-03")), 'ts_day > "2024-01-02"');
  assert.equal(strict(day, greaterThan("ts", "2024-01-03T23:59:59.999999")), 'ts_day > "2024-01-03"');
  assert.equal(inclusive(day, equal("ts", "2024-01-03T05:00:00")), 'ts_day = "2024-01-03"');
  assert.equal(strict(day, equal("ts", "2024-01-03T05:00:00")), "false");
  assert.equal(inclusive(spec(["ts", "hour"]), equal("ts", "1970-01-01T05:30:00")), "ts_hour = 5");
  assert.equal(inclusive(spec(["d", "month"]), greaterThan("d", "1971-01-31")), "d_month >= 13");
  assert.equal(inclusive(spec(["d", "year"]), lessThan("d", "1975-01-01")), "d_year <= 4");
});

test("time transforms widen pre-1970 values for files written with the old rounding toward zero", () => {
  const month = spec(["d", "month"]);
  // 1969-06-15 is month -7; old writers stored -6 for it.
  assert.equal(inclusive(month, equal("d", "1969-06-15")), "d_month in (-7, -6)");
  assert.equal(inclusive(month, isIn("d", ["1969-06-15", "1970-03-01"])), "d_month in (-7, -6, 2)");
  assert.equal(inclusive(month, lessThan("d", "1969-06-15")), "d_month <= -6");
  assert.equal(inclusive(month, lessThan("d", "1970-06-15")), "d_month <= 5");
  assert.equal(inclusive(month, greaterThanOrEqual("d", "1969-06-15")), "d_month >= -7");
  assert.equal(strict(month, notEqual("d", "1969-06-15")), "d_month not in (-7, -6)");
  assert.equal(strict(month, notIn("d", ["1969-06-15", "1971-01-01"])), "d_month not in (-7, -6, 12)");
  assert.equal(strict(month, greaterThanOrEqual("d", "1969-06-01")), "d_month > -7", "> -8 widened by one");
  assert.equal(strict(month, greaterThan("d", "1970-06-01")), "d_month > 5");
  assert.equal(strict(month, lessThan("d", "1969-06-01")), "d_month < -7");
  const day = spec(["ts", "day"]);
  assert.equal(inclusive(day, equal("ts", "1969-12-31T12:00:00")), 'ts_day in ("1969-12-31", "1970-01-01")');
});

test("void projects to nothing: true inclusive, false strict", () => {
  const s = spec(["i", "void"]);
  assert.equal(inclusive(s, equal("i", 1)), "true");
  assert.equal(strict(s, equal("i", 1)), "false");
  assert.equal(strict(s, isNull("i")), "false");
});

test("several partition fields on one column: inclusive ands them, strict ors them", () => {
  const s = spec(["i", "truncate[10]"], ["i", "bucket[16]"]);
  assert.equal(inclusive(s, equal("i", 34)), "(i_truncate10 = 30 and i_bucket16 = 3)");
  assert.equal(strict(s, notEqual("i", 34)), "(i_truncate10 != 30 or i_bucket16 != 3)");
  assert.equal(inclusive(s, equal("l", 5)), "true", "no partition field on l");
  assert.equal(strict(s, equal("l", 5)), "false");
});

test("connectives project through and/or, NOT is pushed down first, names bind case-insensitively", () => {
  const s = spec(["i", "identity"]);
  const negated: Expression = { op: "not", child: { op: "or", left: lessThan("I", 5), right: equal("l", 1) } };
  assert.equal(expressionToString(inclusiveProjection(s, SCHEMA, negated, false)), "i_identity >= 5");
  assert.equal(expressionToString(strictProjection(s, SCHEMA, negated, false)), "false", "l != 1 is not proven");
  assert.equal(strict(s, { op: "or", left: lessThan("i", 5), right: equal("l", 1) }), "i_identity < 5");
});
