import assert from "node:assert/strict";
import { test } from "node:test";
import { ABOVE_MAX, BELOW_MIN, literalFromValue, toLiteral } from "../../src/expr/literals.ts";
import { isFloeError } from "../../src/core/errors.ts";

const invalid = (error: unknown) => isFloeError(error, "validation");

test("integers: numbers, bigints and integer text; out of range becomes a marker", () => {
  assert.equal(toLiteral("int", 5, "c"), 5);
  assert.equal(toLiteral("int", 5n, "c"), 5);
  assert.equal(toLiteral("int", "-12", "c"), -12);
  assert.equal(toLiteral("int", 2 ** 31, "c"), ABOVE_MAX);
  assert.equal(toLiteral("int", -(2 ** 31) - 1, "c"), BELOW_MIN);
  assert.equal(toLiteral("long", 5, "c"), 5n);
  assert.equal(toLiteral("long", 2n ** 63n, "c"), ABOVE_MAX);
  assert.throws(() => toLiteral("long", 1.5, "c"), invalid);
  assert.throws(() => toLiteral("int", true, "c"), invalid);
});

test("floats: float columns compare against the nearest float32", () => {
  assert.equal(toLiteral("double", 0.1, "c"), 0.1);
  assert.equal(toLiteral("float", 0.1, "c"), Math.fround(0.1));
  assert.equal(toLiteral("double", "2.5e3", "c"), 2500);
  assert.equal(toLiteral("double", Number.NEGATIVE_INFINITY, "c"), Number.NEGATIVE_INFINITY);
  assert.throws(() => toLiteral("double", Number.NaN, "c"), /use is-nan/);
  assert.throws(() => toLiteral("double", "NaN", "c"), invalid);
});

test("decimals: exact text, half-up numbers, whole bigints, precision overflow as a marker", () => {
  assert.equal(toLiteral("decimal(9,2)", "12.3", "c"), 1230n);
  assert.equal(toLiteral("decimal(9,2)", "-0.05", "c"), -5n);
  assert.equal(toLiteral("decimal(9,2)", 12n, "c"), 1200n);
  assert.equal(
    toLiteral("decimal(9,2)", 1.005, "c"),
    101n,
    "rounds the shortest text of the double, as BigDecimal.valueOf",
  );
  assert.equal(toLiteral("decimal(9,2)", 2.345, "c"), 235n);
  assert.equal(toLiteral("decimal(9,2)", -2.5, "c"), -250n);
  assert.equal(toLiteral("decimal(9,2)", 1e-7, "c"), 0n);
  assert.throws(() => toLiteral("decimal(9,2)", "1.234", "c"), invalid);
  assert.equal(toLiteral("decimal(4,2)", "100.00", "c"), ABOVE_MAX);
  assert.equal(toLiteral("decimal(4,2)", -100, "c"), BELOW_MIN);
  assert.equal(toLiteral("decimal(4,2)", "99.99", "c"), 9999n);
});

test("dates, times and timestamps from ISO text or unit counts", () => {
  assert.equal(toLiteral("date", "1970-01-02", "c"), 1);
  assert.equal(toLiteral("date", "1969-12-31", "c"), -1);
  assert.equal(toLiteral("date", 19000, "c"), 19000);
  assert.throws(() => toLiteral("date", "2023-02-30", "c"), invalid);
  assert.equal(toLiteral("time", "01:00:00.5", "c"), 3_600_500_000n);
  assert.equal(toLiteral("timestamp", "1970-01-01T00:00:01", "c"), 1_000_000n);
  assert.equal(toLiteral("timestamp", "1969-12-31", "c"), -86_400_000_000n, "a bare date is midnight");
  assert.throws(() => toLiteral("timestamp", "1970-01-01T00:00:00+01:00", "c"), invalid);
  assert.equal(toLiteral("timestamptz", "1970-01-01T01:00:00+01:00", "c"), 0n);
  assert.equal(toLiteral("timestamptz", "1970-01-01T00:00:00Z", "c"), 0n);
  assert.equal(toLiteral("timestamptz", "1970-01-01T00:00:02", "c"), 2_000_000n, "no offset reads as UTC");
  assert.equal(toLiteral("timestamptz_ns", "1970-01-01T00:00:00.000000001Z", "c"), 1n);
  assert.throws(() => toLiteral("timestamp", "1970-01-01T00:00:00.0000001", "c"), invalid, "finer than µs");
  assert.equal(toLiteral("timestamp", 42n, "c"), 42n);
});

test("strings, uuids, fixed and binary", () => {
  assert.equal(toLiteral("string", "x", "c"), "x");
  assert.equal(toLiteral("uuid", "F79C3E09-677C-4BBD-A479-3F349CB785E7", "c"), "f79c3e09-677c-4bbd-a479-3f349cb785e7");
  assert.throws(() => toLiteral("uuid", "not-a-uuid", "c"), invalid);
  assert.deepEqual(toLiteral("binary", "00ff", "c"), Uint8Array.of(0, 255), "text is hex, as in the spec's JSON");
  assert.deepEqual(toLiteral("fixed[2]", Uint8Array.of(1, 2), "c"), Uint8Array.of(1, 2));
  assert.throws(() => toLiteral("fixed[2]", Uint8Array.of(1), "c"), /needs 2 bytes/);
  assert.equal(toLiteral("boolean", "TRUE", "c"), true);
});

test("literalFromValue reads back to the same value for every type", () => {
  const cases: [string, Exclude<ReturnType<typeof toLiteral>, symbol>][] = [
    ["decimal(9,2)", 1234n],
    ["decimal(9,2)", -5n],
    ["date", -400],
    ["time", 3_600_500_000n],
    ["timestamp", -1n],
    ["timestamptz", 1_700_000_000_123_456n],
    ["timestamptz_ns", -123n],
    ["long", 9_007_199_254_740_993n],
    ["float", Math.fround(1.1)],
    ["uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7"],
    ["fixed[2]", Uint8Array.of(9, 8)],
    ["string", "é😀"],
  ];
  for (const [type, value] of cases) assert.deepEqual(toLiteral(type, literalFromValue(type, value), "c"), value, type);
  assert.equal(literalFromValue("decimal(9,2)", 1234n), "12.34");
  assert.equal(literalFromValue("date", 0), "1970-01-01");
});
