import assert from "node:assert/strict";
import { test } from "node:test";
import {
  and,
  equal,
  greaterThanOrEqual,
  isNull,
  lessThan,
  notEqual,
  or,
  startsWith,
} from "../../src/expr/expressions.ts";
import { residualEvaluator } from "../../src/expr/residual.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "event_time", required: true, type: "timestamptz" },
    { id: 2, name: "element_id", required: false, type: "string" },
    { id: 3, name: "kind", required: false, type: "string" },
  ],
};

const DAY_SPEC: PartitionSpec = {
  "spec-id": 1,
  fields: [
    { "source-id": 1, "field-id": 1000, name: "event_time_day", transform: "day" },
    { "source-id": 3, "field-id": 1001, name: "kind", transform: "identity" },
  ],
};

const JAN_1 = 19723;
const JAN_2 = 19724;

test("predicates the partition proves true drop out; ones it proves false make the branch false", () => {
  const filter = and(
    greaterThanOrEqual("event_time", "2024-01-01T12:00:00Z"),
    lessThan("event_time", "2024-01-03T00:00:00Z"),
    equal("element_id", "e1"),
  );
  const residual = residualEvaluator(DAY_SPEC, SCHEMA, filter);
  // Jan 2 lies wholly inside the range: only the element filter is left.
  assert.equal(expressionToString(residual([JAN_2, "click"])), 'element_id = "e1"');
  // Jan 1 is only partly inside: the lower bound stays.
  assert.equal(
    expressionToString(residual([JAN_1, "click"])),
    '(event_time >= "2024-01-01T12:00:00.000000+00:00" and element_id = "e1")',
  );
  assert.equal(expressionToString(residual([JAN_1 - 1, "click"])), "false");
  assert.equal(expressionToString(residual([JAN_2 + 1, "click"])), "false");
});

test("identity partitions decide predicates on their column completely", () => {
  const residual = residualEvaluator(DAY_SPEC, SCHEMA, or(equal("kind", "view"), startsWith("element_id", "x")));
  assert.equal(expressionToString(residual([JAN_1, "view"])), "true");
  assert.equal(expressionToString(residual([JAN_1, "click"])), 'element_id starts with "x"');
  assert.equal(expressionToString(residual([JAN_1, null])), 'element_id starts with "x"');
  const nulls = residualEvaluator(DAY_SPEC, SCHEMA, isNull("kind"));
  assert.equal(expressionToString(nulls([JAN_1, null])), "true");
  assert.equal(expressionToString(nulls([JAN_1, "view"])), "false");
  const negated = residualEvaluator(DAY_SPEC, SCHEMA, { op: "not", child: equal("kind", "view") });
  assert.equal(expressionToString(negated([JAN_1, null])), "true", "null satisfies not-eq");
});

test("without partition fields the residual is the whole (bound, NOT-free) filter", () => {
  const residual = residualEvaluator(
    { "spec-id": 0, fields: [] },
    SCHEMA,
    {
      op: "not",
      child: or(equal("KIND", "view"), isNull("event_time")),
    },
    false,
  );
  assert.equal(expressionToString(residual([])), 'kind != "view"', "event_time is required, so not-null is true");
});

test("residuals are plain unbound expressions that bind again", () => {
  const residual = residualEvaluator(
    DAY_SPEC,
    SCHEMA,
    and(notEqual("kind", "a"), lessThan("event_time", "2024-01-01T06:00:00Z")),
  );
  assert.deepEqual(residual([JAN_1, "b"]), { op: "lt", term: "event_time", value: "2024-01-01T06:00:00.000000+00:00" });
});
