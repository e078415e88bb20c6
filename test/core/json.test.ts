import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { parseJson, stringifyJson, toBigInt, toSafeNumber } from "../../src/core/json.ts";

test("integers beyond 2^53 parse as exact bigint, safe ones as number", () => {
  const value = parseJson('{"id": 9223372036854775807, "neg": -9223372036854775808, "small": 42, "edge": 9007199254740993}');
  assert.deepEqual(value, { id: 9223372036854775807n, neg: -9223372036854775808n, small: 42, edge: 9007199254740993n });
});

test("digits inside strings and non-integer numbers are left alone", () => {
  const value = parseJson('{"s": "id 12345678901234567890 \\" 99999999999999999", "f": 12345678901234567.5, "e": 1234567890123456789e2}');
  assert.deepEqual(value, { s: 'id 12345678901234567890 " 99999999999999999', f: Number("12345678901234567.5"), e: Number("1234567890123456789e2") });
});

test("bigint stringifies as a bare integer and round-trips exactly", () => {
  const text = stringifyJson({ ids: [9223372036854775807n, -1n, 2n], name: "x" });
  assert.equal(text, '{"ids":[9223372036854775807,-1,2],"name":"x"}');
  assert.deepEqual(parseJson(text), { ids: [9223372036854775807n, -1, 2], name: "x" });
  assert.equal(stringifyJson({ a: 1n }, 2), '{\n  "a": 1\n}');
});

test("strings that look like the internal tag survive unchanged", () => {
  const value = { s: "\u0000int64:5", t: "\\u0000int64:6" };
  assert.deepEqual(parseJson(stringifyJson(value)), value);
});

test("malformed JSON is a bad-input error naming what was parsed", () => {
  assert.throws(
    () => parseJson('{"a": 12345678901234567890', "metadata file x"),
    (e) => isFloeError(e, "bad-input") && /metadata file x/.test(e.message),
  );
});

test("toBigInt and toSafeNumber accept only integers", () => {
  assert.equal(toBigInt(5, "x"), 5n);
  assert.equal(toBigInt("9223372036854775807", "x"), 9223372036854775807n);
  assert.throws(() => toBigInt(1.5, "x"), /x must be an integer/);
  assert.equal(toSafeNumber(7n, "y"), 7);
  assert.throws(() => toSafeNumber(2n ** 60n, "y"), /y must be an integer/);
});
