import assert from "node:assert/strict";
import { test } from "node:test";
import { bind, bindReference } from "../../src/expr/bind.ts";
import {
  alwaysFalse,
  alwaysTrue,
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
  startsWith,
  isNaN as isNaNPredicate,
} from "../../src/expr/expressions.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import { isFloeError } from "../../src/core/errors.ts";
import type { Schema } from "../../src/spec/types.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 3,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "Name", required: false, type: "string" },
    { id: 3, name: "score", required: false, type: "float" },
    { id: 4, name: "small", required: false, type: "int" },
    {
      id: 5,
      name: "location",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 6, name: "city", required: true, type: "string" },
          {
            id: 7,
            name: "geo",
            required: true,
            type: { type: "struct", fields: [{ id: 8, name: "lat", required: true, type: "double" }] },
          },
        ],
      },
    },
    {
      id: 9,
      name: "tags",
      required: false,
      type: { type: "list", "element-id": 10, element: "string", "element-required": true },
    },
    { id: 11, name: "price", required: false, type: "decimal(9,2)" },
    { id: 12, name: "at", required: true, type: "timestamptz" },
  ],
};

const bound = (expr: Parameters<typeof bind>[1], caseSensitive = true) =>
  expressionToString(bind(SCHEMA, expr, caseSensitive));

const validationError = (pattern: RegExp) => (error: unknown) =>
  isFloeError(error, "validation") && pattern.test((error as Error).message);

test("unknown columns fail with a validation error naming the column", () => {
  assert.throws(() => bind(SCHEMA, equal("nope", 1)), validationError(/no column named nope in schema 3/));
});

test("case-insensitive binding resolves names as the schema spells them", () => {
  assert.throws(() => bind(SCHEMA, equal("name", "x")), validationError(/no column named name/));
  assert.equal(bound(equal("name", "x"), false), 'Name = "x"');
  assert.equal(bound(equal("LOCATION.CITY", "x"), false), 'location.city = "x"');
});

test("nested struct fields bind with their position path; list elements and structs do not bind", () => {
  assert.deepEqual(bindReference(SCHEMA, "location.geo.lat"), {
    fieldId: 8,
    type: "double",
    name: "location.geo.lat",
    path: [4, 1, 0],
    nullable: true,
  });
  assert.equal(bindReference(SCHEMA, "id").nullable, false);
  assert.throws(() => bind(SCHEMA, equal("tags.element", "a")), validationError(/inside a list/));
  assert.throws(() => bind(SCHEMA, isNull("location")), validationError(/not primitive/));
});

test("null checks on never-null fields fold to constants; a required field inside an optional struct can be null", () => {
  assert.deepEqual(bind(SCHEMA, isNull("id")), alwaysFalse);
  assert.deepEqual(bind(SCHEMA, notNull("id")), alwaysTrue);
  assert.equal(bound(isNull("location.city")), "location.city is null");
  assert.equal(bound(and(notNull("id"), equal("id", 5))), "id = 5");
});

test("is-nan binds only to float and double columns; starts-with only to strings", () => {
  assert.equal(bound(isNaNPredicate("score")), "score is nan");
  assert.throws(() => bind(SCHEMA, isNaNPredicate("small")), validationError(/is-nan to column small: type int/));
  assert.throws(() => bind(SCHEMA, startsWith("small", "1")), validationError(/starts-with to column small/));
});

test("incompatible literals fail with a validation error naming column and value", () => {
  assert.throws(() => bind(SCHEMA, equal("small", "abc")), validationError(/"abc" as a int literal for column small/));
  assert.throws(() => bind(SCHEMA, equal("small", 1.5)), validationError(/column small: not an integer/));
  assert.throws(() => bind(SCHEMA, equal("score", Number.NaN)), validationError(/use is-nan/));
  assert.throws(() => bind(SCHEMA, equal("Name", 5)), validationError(/number 5 as a string literal/));
  assert.throws(() => bind(SCHEMA, equal("price", "1.234")), validationError(/column price/));
  assert.throws(() => bind(SCHEMA, { op: "lt", term: "small" }), validationError(/needs a value/));
  assert.throws(() => bind(SCHEMA, { op: "in", term: "small" }), validationError(/needs a list/));
});

test("literals past the type's range fold: comparisons become constants or not-null", () => {
  const big = 2n ** 40n;
  assert.equal(bound(lessThan("small", big)), "small is not null");
  assert.equal(bound(lessThanOrEqual("small", big)), "small is not null");
  assert.deepEqual(bind(SCHEMA, greaterThan("small", big)), alwaysFalse);
  assert.deepEqual(bind(SCHEMA, equal("small", big)), alwaysFalse);
  assert.deepEqual(bind(SCHEMA, notEqual("small", big)), alwaysTrue);
  assert.equal(bound(greaterThanOrEqual("small", -big)), "small is not null");
  assert.deepEqual(bind(SCHEMA, lessThan("small", -big)), alwaysFalse);
  assert.deepEqual(bind(SCHEMA, lessThan("id", 2n ** 64n)), alwaysTrue, "id is required, so never null");
  assert.deepEqual(bind(SCHEMA, greaterThan("price", "100000000.00")), alwaysFalse, "beyond decimal(9,2)");
});

test("in-lists are converted, sorted, deduplicated; empty and single lists simplify", () => {
  assert.equal(bound(isIn("small", [3, 1, "2", 3n, 1])), "small in (1, 2, 3)");
  assert.equal(bound(isIn("small", [7])), "small = 7");
  assert.equal(bound(notIn("small", [7, 2n ** 40n])), "small != 7");
  assert.deepEqual(bind(SCHEMA, isIn("small", [])), alwaysFalse);
  assert.deepEqual(bind(SCHEMA, notIn("small", [2n ** 40n])), alwaysTrue);
  const pred = bind(SCHEMA, isIn("price", ["1.50", 2, 0.5])) as { values: bigint[] };
  assert.deepEqual(pred.values, [50n, 150n, 200n]);
});

test("bound literals print in their column type's form", () => {
  assert.equal(bound(greaterThanOrEqual("at", "2024-03-01")), "at >= 2024-03-01T00:00:00.000000+00:00");
  assert.equal(bound(equal("price", "7.5")), "price = 7.50");
});
