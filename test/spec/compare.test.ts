import assert from "node:assert/strict";
import { test } from "node:test";
import { compareBytes, compareFloats, compareStrings, compareValues } from "../../src/spec/compare.ts";

/** A NaN with its sign bit set. */
function negativeNaN(): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, 0xfff8000000000000n);
  return view.getFloat64(0);
}

const sorted = <T>(values: T[], cmp: (a: T, b: T) => number) => [...values].sort(cmp);

test("floats order as the spec says: -NaN < -Inf < -1 < -0 < 0 < 1 < Inf < NaN", () => {
  const nNaN = negativeNaN();
  const expected = [nNaN, Number.NEGATIVE_INFINITY, -1, -0, 0, 1, Number.POSITIVE_INFINITY, Number.NaN];
  const shuffled = [1, Number.NaN, 0, Number.NEGATIVE_INFINITY, -0, nNaN, Number.POSITIVE_INFINITY, -1];
  const result = sorted(shuffled, (a, b) => compareValues("double", a, b));
  assert.equal(result.length, expected.length);
  for (const [i, v] of result.entries()) {
    assert.ok(Object.is(v, expected[i]) || (Number.isNaN(v) && Number.isNaN(expected[i])), `at ${i}`);
  }
  // the NaN sorted first is the negative one, the last is the positive one
  const signOf = (v: number) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return view.getUint8(0) >> 7;
  };
  assert.equal(signOf(result[0]), 1);
  assert.equal(signOf(result[7]), 0);
  assert.equal(compareFloats(nNaN, Number.NaN), -1);
  assert.equal(compareFloats(nNaN, Number.NEGATIVE_INFINITY), -1);
  assert.equal(compareFloats(Number.NaN, Number.POSITIVE_INFINITY), 1);
  assert.equal(compareFloats(-0, 0), -1);
  assert.equal(compareFloats(0, -0), 1);
  assert.equal(compareFloats(Number.NaN, Number.NaN), 0);
  assert.equal(compareValues("float", 1.5, 1.5), 0);
});

test("strings order by UTF-8 bytes, not UTF-16 code units", () => {
  // U+FF5E (3 UTF-8 bytes EF BD 9E) sorts before U+1F9CA (F0 9F A7 8A), although its UTF-16 unit is larger.
  assert.ok("\uff5e" > "🧊", "JS native order disagrees, which is the point");
  assert.equal(compareStrings("\uff5e", "🧊"), -1);
  assert.equal(compareStrings("🧊", "\uff5e"), 1);
  assert.equal(compareValues("string", "abc", "abd"), -1);
  assert.equal(compareValues("string", "ab", "abc"), -1);
  assert.equal(compareValues("string", "é", "z"), 1);
  const words = ["b", "é", "a", "🧊", "\uff5e", "ab", ""];
  const byBytes = sorted(words, (a, b) => compareBytes(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual(sorted(words, compareStrings), byBytes);
});

test("binary and fixed compare unsigned, shorter prefix first", () => {
  assert.equal(compareValues("binary", Uint8Array.of(0x7f), Uint8Array.of(0x80)), -1);
  assert.equal(compareValues("binary", Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)), -1);
  assert.equal(compareValues("fixed[2]", Uint8Array.of(0xff, 0), Uint8Array.of(0xff, 0)), 0);
});

test("numbers, decimals, times, booleans and uuids", () => {
  assert.equal(compareValues("int", -5, 3), -1);
  assert.equal(compareValues("long", 2n ** 62n, -(2n ** 62n)), 1);
  assert.equal(compareValues("decimal(9,2)", -1420n, 5n), -1);
  assert.equal(compareValues("timestamp", 1n, 1n), 0);
  assert.equal(compareValues("date", -1, 0), -1);
  assert.equal(compareValues("boolean", false, true), -1);
  // unsigned byte order: 0x8... sorts after 0x7... (Java's signed UUID compare would say the opposite)
  assert.equal(
    compareValues("uuid", "80000000-0000-0000-0000-000000000000", "7fffffff-ffff-ffff-ffff-ffffffffffff"),
    1,
  );
  assert.equal(
    compareValues("uuid", "F79C3E09-677C-4BBD-A479-3F349CB785E7", "f79c3e09-677c-4bbd-a479-3f349cb785e7"),
    0,
  );
});

test("comparing mismatched values fails loudly", () => {
  assert.throws(() => compareValues("long", 1, 2n), /long/);
  assert.throws(() => compareValues("string", "a", Uint8Array.of(1)), /string/);
});
