// Zigzag varints, floats and strings against the byte sequences the Avro spec gives, and the
// decoder's refusal of malformed varints.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AvroDecoder } from "../../src/avro/binary-decoder.ts";
import { AvroEncoder } from "../../src/avro/binary-encoder.ts";
import { isFloeError } from "../../src/core/errors.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));

function encoded(write: (encoder: AvroEncoder) => void): string {
  const encoder = new AvroEncoder(1); // tiny start: exercises buffer growth
  write(encoder);
  return hex(encoder.toBytes());
}

test("zigzag examples from the Avro spec encode as specified, for int and long", () => {
  const spec: [number, string][] = [
    [0, "00"],
    [-1, "01"],
    [1, "02"],
    [-2, "03"],
    [2, "04"],
    [-64, "7f"],
    [64, "8001"],
  ];
  for (const [value, bytes] of spec) {
    assert.equal(
      encoded((e) => e.writeInt(value)),
      bytes,
      `int ${value}`,
    );
    assert.equal(
      encoded((e) => e.writeLong(value)),
      bytes,
      `long number ${value}`,
    );
    assert.equal(
      encoded((e) => e.writeLong(BigInt(value))),
      bytes,
      `long bigint ${value}`,
    );
  }
});

test("int32 and int64 extremes encode to the canonical varints and decode back exactly", () => {
  assert.equal(
    encoded((e) => e.writeInt(2147483647)),
    "feffffff0f",
  );
  assert.equal(
    encoded((e) => e.writeInt(-2147483648)),
    "ffffffff0f",
  );
  assert.equal(
    encoded((e) => e.writeLong(2n ** 63n - 1n)),
    "feffffffffffffffff01",
  );
  assert.equal(
    encoded((e) => e.writeLong(-(2n ** 63n))),
    "ffffffffffffffffff01",
  );

  const longs = [
    0n,
    1n,
    -1n,
    2n ** 31n,
    -(2n ** 31n) - 1n,
    2n ** 49n - 1n,
    2n ** 49n,
    -(2n ** 49n),
    2n ** 52n,
    -(2n ** 52n),
    2n ** 53n + 1n,
    -(2n ** 53n) - 1n,
    2n ** 62n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    -(2n ** 63n) + 1n,
  ];
  const encoder = new AvroEncoder();
  for (const value of longs) encoder.writeLong(value);
  for (const value of [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 52, -(2 ** 52)]) encoder.writeLong(value);
  const ints = [0, 1, -1, 63, -64, 64, 2147483647, -2147483648, 123456789];
  for (const value of ints) encoder.writeInt(value);

  const decoder = new AvroDecoder(encoder.toBytes(), "test data");
  for (const value of longs) assert.equal(decoder.readLong(), value);
  for (const value of [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 52, -(2 ** 52)])
    assert.equal(decoder.readLong(), BigInt(value));
  for (const value of ints) assert.equal(decoder.readInt(), value);
  assert.equal(decoder.remaining, 0);
});

test("a long written as number and as bigint produce identical bytes across the fast-path boundary", () => {
  for (const value of [2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, -(2 ** 52) + 1, -(2 ** 52), -(2 ** 52) - 1, 2 ** 53 - 1])
    assert.equal(
      encoded((e) => e.writeLong(value)),
      encoded((e) => e.writeLong(BigInt(value))),
      `value ${value}`,
    );
});

test("floats and doubles are little-endian IEEE and keep NaN, infinities and -0", () => {
  assert.equal(
    encoded((e) => e.writeFloat(1)),
    "0000803f",
  );
  assert.equal(
    encoded((e) => e.writeDouble(1)),
    "000000000000f03f",
  );
  const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, Math.fround(3.14), 1e-45];
  const encoder = new AvroEncoder();
  for (const value of values) {
    encoder.writeFloat(value);
    encoder.writeDouble(value);
  }
  const decoder = new AvroDecoder(encoder.toBytes(), "test data");
  for (const value of values) {
    assert.ok(Object.is(decoder.readFloat(), Math.fround(value)), `float ${value}`);
    assert.ok(Object.is(decoder.readDouble(), value), `double ${value}`);
  }
});

test("strings are length-prefixed UTF-8, short and long, ASCII and not", () => {
  assert.equal(
    encoded((e) => e.writeString("foo")),
    "06666f6f",
  );
  const texts = [
    "",
    "a",
    "é",
    "日本語のテキスト",
    "🦆".repeat(5),
    "x".repeat(21),
    "ü".repeat(22),
    "long ".repeat(1000),
  ];
  const encoder = new AvroEncoder(2);
  for (const text of texts) encoder.writeString(text);
  const decoder = new AvroDecoder(encoder.toBytes(), "test data");
  for (const text of texts) assert.equal(decoder.readString(), text);
  assert.equal(decoder.remaining, 0);
});

test("the decoder rejects overlong varints, truncation, bad booleans and invalid UTF-8 with bad-input errors", () => {
  const cases: [string, (decoder: AvroDecoder) => unknown, RegExp][] = [
    ["ffffffff1f", (d) => d.readInt(), /exceeds 32 bits/],
    ["ffffffffffffffffff03", (d) => d.readLong(), /exceeds 64 bits/],
    ["ffffffffffffffffffff01", (d) => d.readLong(), /exceeds 64 bits|longer than 10/],
    ["ff", (d) => d.readLong(), /truncated/],
    ["", (d) => d.readInt(), /truncated/],
    ["0000", (d) => d.readDouble(), /truncated/],
    ["02", (d) => d.readBoolean(), /boolean byte is 2/],
    ["0aabc0", (d) => d.readString(), /truncated/],
    ["04c328", (d) => d.readString(), /not valid UTF-8/],
    ["01", (d) => d.readBytes(), /negative/],
    ["feffffffffffffffff01", (d) => d.readLongAsNumber(), /implausibly large/],
  ];
  for (const [bytes, read, message] of cases) {
    assert.throws(
      () => read(new AvroDecoder(fromHex(bytes), "test data")),
      (error: unknown) =>
        isFloeError(error, "bad-input") && message.test(error.message) && /test data/.test(error.message),
      `input ${bytes}`,
    );
  }
});
