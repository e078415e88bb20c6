import assert from "node:assert/strict";
import { test } from "node:test";
import { isPromotionAllowed } from "../../src/spec/type-promotion.ts";

test("v1/v2 promotions: int→long, float→double, wider decimal with the same scale", () => {
  assert.ok(isPromotionAllowed("int", "long"));
  assert.ok(isPromotionAllowed("float", "double"));
  assert.ok(isPromotionAllowed("decimal(9,2)", "decimal(18, 2)"));
  assert.ok(isPromotionAllowed("long", "long"), "identical types are a no-op");
  assert.ok(isPromotionAllowed("decimal(9, 2)", "decimal(9,2)"));
  assert.ok(!isPromotionAllowed("long", "int"));
  assert.ok(!isPromotionAllowed("double", "float"));
  assert.ok(!isPromotionAllowed("int", "string"));
  assert.ok(!isPromotionAllowed("int", "double"));
  assert.ok(!isPromotionAllowed("decimal(18,2)", "decimal(9,2)"));
  assert.ok(!isPromotionAllowed("decimal(9,2)", "decimal(18,3)"));
  assert.ok(!isPromotionAllowed("date", "timestamp"), "date→timestamp is v3 only");
  assert.ok(!isPromotionAllowed("fixed[4]", "binary"));
  assert.ok(!isPromotionAllowed("string", "binary"));
  assert.ok(!isPromotionAllowed("timestamp", "timestamptz"));
});

test("v3 adds date→timestamp/timestamp_ns (never to tz types) and unknown→anything", () => {
  assert.ok(isPromotionAllowed("date", "timestamp", 3));
  assert.ok(isPromotionAllowed("date", "timestamp_ns", 3));
  assert.ok(!isPromotionAllowed("date", "timestamptz", 3));
  assert.ok(!isPromotionAllowed("date", "timestamptz_ns", 3));
  assert.ok(isPromotionAllowed("unknown", "string", 3));
  assert.ok(!isPromotionAllowed("unknown", "string", 2));
  assert.ok(!isPromotionAllowed("timestamp", "timestamp_ns", 3));
});
