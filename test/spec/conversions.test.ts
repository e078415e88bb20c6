import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import {
  formatDecimal,
  formatFloatJava,
  formatTimestampJava,
  fromBytes,
  fromJsonValue,
  minimalTwosComplement,
  normalizePrimitive,
  parseDecimal,
  parsePrimitive,
  toBytes,
  toJsonValue,
} from "../../src/spec/conversions.ts";
import type { IcebergType } from "../../src/spec/types.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
// 2017-11-16T22:31:08 UTC: 17486 days and 81068 seconds.
const TS_MICROS = 1510871468000000n;

test("parsePrimitive understands parameterized types, with or without spaces", () => {
  assert.deepEqual(parsePrimitive("decimal(9,2)"), { kind: "decimal", precision: 9, scale: 2 });
  assert.deepEqual(parsePrimitive("decimal(9, 2)"), { kind: "decimal", precision: 9, scale: 2 });
  assert.deepEqual(parsePrimitive("fixed[16]"), { kind: "fixed", length: 16 });
  assert.deepEqual(parsePrimitive("timestamptz_ns"), { kind: "timestamptz_ns" });
  assert.equal(normalizePrimitive("decimal(9, 2)"), "decimal(9,2)");
  assert.throws(
    () => parsePrimitive("varchar"),
    (e) => isFloeError(e, "bad-input") && /varchar/.test(e.message),
  );
  assert.throws(() => parsePrimitive("decimal(39,2)"), /precision/);
});

test("binary single-value serialization follows Appendix D", () => {
  assert.equal(hex(toBytes("boolean", true)), "01");
  assert.equal(hex(toBytes("boolean", false)), "00");
  assert.equal(hex(toBytes("int", 34)), "22000000");
  assert.equal(hex(toBytes("int", -1)), "ffffffff");
  assert.equal(hex(toBytes("long", 34n)), "2200000000000000");
  assert.equal(hex(toBytes("float", 1)), "0000803f");
  assert.equal(hex(toBytes("double", 1)), "000000000000f03f");
  assert.equal(hex(toBytes("date", 17486)), "4e440000");
  assert.equal(hex(toBytes("timestamp", TS_MICROS)), hex(toBytes("long", TS_MICROS)));
  assert.equal(hex(toBytes("string", "iceberg")), Buffer.from("iceberg").toString("hex"));
  assert.equal(hex(toBytes("uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7")), "f79c3e09677c4bbda4793f349cb785e7");
  assert.equal(hex(toBytes("fixed[4]", bytes("00010203"))), "00010203");
  assert.equal(hex(toBytes("binary", bytes("00010203"))), "00010203");
  // decimal: minimum two's-complement big-endian bytes of the unscaled value
  assert.equal(hex(toBytes("decimal(9,2)", 1420n)), "058c");
  assert.equal(hex(toBytes("decimal(9,2)", 0n)), "00");
  assert.equal(hex(toBytes("decimal(9,2)", 127n)), "7f");
  assert.equal(hex(toBytes("decimal(9,2)", 128n)), "0080");
  assert.equal(hex(toBytes("decimal(9,2)", -1n)), "ff");
  assert.equal(hex(toBytes("decimal(9,2)", -128n)), "80");
  assert.equal(hex(toBytes("decimal(9,2)", -129n)), "ff7f");
});

test("binary values read back to the same value", () => {
  const cases: Array<[string, unknown]> = [
    ["boolean", true],
    ["int", -2147483648],
    ["long", -9223372036854775808n],
    ["float", 1.5],
    ["double", -0.1],
    ["date", -1],
    ["time", 81068000000n],
    ["timestamptz_ns", -1n],
    ["string", "héllo 🧊"],
    ["uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7"],
    ["decimal(38,10)", -(10n ** 37n) + 7n],
  ];
  for (const [type, value] of cases) assert.deepEqual(fromBytes(type, toBytes(type, value as never)), value, type);
  assert.deepEqual(fromBytes("binary", bytes("00ff")), bytes("00ff"));
  assert.equal(fromBytes("boolean", Uint8Array.of(7)), true);
});

test("bounds written before a promotion are read as the spec's inference table says", () => {
  assert.equal(fromBytes("long", toBytes("int", -5)), -5n);
  assert.equal(fromBytes("double", toBytes("float", 1.5)), 1.5);
  assert.equal(fromBytes("timestamp", toBytes("date", 1)), 86_400_000_000n);
  assert.equal(fromBytes("timestamp_ns", toBytes("date", -1)), -86_400_000_000_000n);
});

test("binary serialization rejects wrong values and lengths with a clear error", () => {
  assert.throws(
    () => toBytes("int", 2 ** 31),
    (e) => isFloeError(e, "bad-input") && /int/.test(e.message),
  );
  assert.throws(() => toBytes("long", 5 as never), /long/);
  assert.throws(() => toBytes("fixed[4]", bytes("00")), /fixed\[4\]/);
  assert.throws(() => toBytes("int", null), /null/);
  assert.throws(() => fromBytes("int", bytes("0000")), /4 bytes/);
  assert.throws(
    () => toBytes("variant", "x"),
    (e) => isFloeError(e, "unsupported"),
  );
  assert.equal(minimalTwosComplement(-(2n ** 63n)).length, 8);
});

test("JSON single-value serialization matches the spec's examples", () => {
  assert.equal(toJsonValue("boolean", true), true);
  assert.equal(toJsonValue("int", 34), 34);
  assert.equal(toJsonValue("long", 34n), 34);
  assert.equal(toJsonValue("long", 2n ** 62n), 2n ** 62n);
  assert.equal(toJsonValue("double", 1), 1);
  assert.equal(toJsonValue("decimal(9,2)", 1420n), "14.20");
  assert.equal(toJsonValue("decimal(9,-20)", 2n), "2E+20");
  assert.equal(toJsonValue("date", 17486), "2017-11-16");
  assert.equal(toJsonValue("time", 81068123456n), "22:31:08.123456");
  assert.equal(toJsonValue("timestamp", TS_MICROS + 123456n), "2017-11-16T22:31:08.123456");
  assert.equal(toJsonValue("timestamptz", TS_MICROS + 123456n), "2017-11-16T22:31:08.123456+00:00");
  assert.equal(toJsonValue("timestamp_ns", TS_MICROS * 1000n + 123456789n), "2017-11-16T22:31:08.123456789");
  assert.equal(toJsonValue("timestamptz_ns", TS_MICROS * 1000n + 123456789n), "2017-11-16T22:31:08.123456789+00:00");
  assert.equal(toJsonValue("string", "iceberg"), "iceberg");
  assert.equal(toJsonValue("uuid", "F79C3E09-677C-4BBD-A479-3F349CB785E7"), "f79c3e09-677c-4bbd-a479-3f349cb785e7");
  assert.equal(toJsonValue("fixed[4]", bytes("000102ff")), "000102ff");
  assert.equal(toJsonValue("binary", bytes("000102ff")), "000102ff");
  assert.equal(toJsonValue("long", null), null);
});

test("JSON values before the epoch and negative decimals", () => {
  assert.equal(toJsonValue("date", -1), "1969-12-31");
  assert.equal(toJsonValue("timestamp", -1n), "1969-12-31T23:59:59.999999");
  assert.equal(toJsonValue("decimal(5,3)", -5n), "-0.005");
  assert.equal(fromJsonValue("timestamp", "1969-12-31T23:59:59.999999"), -1n);
  assert.equal(fromJsonValue("date", "1900-03-01"), -25508);
  assert.equal(fromJsonValue("decimal(5,3)", "-0.005"), -5n);
});

test("JSON values read back, nested types included", () => {
  const struct: IcebergType = {
    type: "struct",
    fields: [
      { id: 1, name: "a", required: true, type: "int" },
      { id: 2, name: "b", required: false, type: "string" },
    ],
  };
  assert.deepEqual(toJsonValue(struct, { 1: 1, 2: "bar" }), { "1": 1, "2": "bar" });
  assert.deepEqual(fromJsonValue(struct, { "1": 1, "2": "bar" }), { 1: 1, 2: "bar" });
  const list: IcebergType = { type: "list", "element-id": 3, element: "long", "element-required": true };
  assert.deepEqual(toJsonValue(list, [1n, 2n, 3n]), [1, 2, 3]);
  assert.deepEqual(fromJsonValue(list, [1, 2, 3]), [1n, 2n, 3n]);
  const map: IcebergType = {
    type: "map",
    "key-id": 4,
    key: "string",
    "value-id": 5,
    value: "int",
    "value-required": true,
  };
  assert.deepEqual(
    toJsonValue(
      map,
      new Map([
        ["a", 1],
        ["b", 2],
      ]),
    ),
    { keys: ["a", "b"], values: [1, 2] },
  );
  assert.deepEqual(
    fromJsonValue(map, { keys: ["a", "b"], values: [1, 2] }),
    new Map([
      ["a", 1],
      ["b", 2],
    ]),
  );
  const types = ["date", "time", "timestamp", "timestamptz", "timestamp_ns", "decimal(9,2)", "uuid", "binary"];
  const values: unknown[] = [-719162, 1n, -123n, 1n, 1n, -1420n, "f79c3e09-677c-4bbd-a479-3f349cb785e7", bytes("00ff")];
  types.forEach((t, i) => {
    assert.deepEqual(fromJsonValue(t, toJsonValue(t, values[i])), values[i], t);
  });
});

test("JSON parsing is strict about what each type means", () => {
  assert.equal(fromJsonValue("decimal(9,2)", "14.2"), 1420n);
  assert.equal(fromJsonValue("decimal(9,-20)", "2E+20"), 2n);
  assert.throws(() => fromJsonValue("decimal(9,2)", "14.201"), /scale/);
  assert.throws(() => fromJsonValue("decimal(3,2)", "14.20"), /precision/);
  assert.throws(() => fromJsonValue("timestamp", "2017-11-16T22:31:08+00:00"), /zone offset/);
  assert.throws(() => fromJsonValue("timestamptz", "2017-11-16T22:31:08"), /zone offset/);
  assert.equal(fromJsonValue("timestamptz", "2017-11-16T14:31:08-08:00"), TS_MICROS);
  assert.throws(() => fromJsonValue("time", "22:31:08.1234567"), /microsecond/);
  assert.throws(() => fromJsonValue("date", "2017-02-30"), /valid date/);
  assert.throws(() => fromJsonValue("fixed[2]", "000102"), /fixed\[2\]/);
  assert.throws(() => toJsonValue("double", Number.NaN), /JSON/);
});

test("Java-style text of decimals, floats and timestamps", () => {
  assert.equal(formatDecimal(1420n, 2), "14.20");
  assert.equal(formatDecimal(5n, 4), "0.0005");
  assert.equal(parseDecimal("1.2E+4", 0), 12000n);
  assert.equal(formatFloatJava(1, false), "1.0");
  assert.equal(formatFloatJava(0.1, true), "0.1");
  assert.equal(formatFloatJava(1e10, false), "1.0E10");
  assert.equal(formatFloatJava(1.5e-5, false), "1.5E-5");
  assert.equal(formatFloatJava(-0, false), "-0.0");
  assert.equal(formatFloatJava(123456.75, false), "123456.75");
  assert.equal(formatTimestampJava(TS_MICROS, false, false), "2017-11-16T22:31:08");
  assert.equal(formatTimestampJava(TS_MICROS - 8_000_000n, false, true), "2017-11-16T22:31Z");
  assert.equal(formatTimestampJava(TS_MICROS + 1n, false, false), "2017-11-16T22:31:08.000001");
  assert.equal(formatTimestampJava(TS_MICROS * 1000n + 1n, true, false), "2017-11-16T22:31:08.000000001");
  assert.equal(formatTimestampJava(TS_MICROS + 500_000n, false, false), "2017-11-16T22:31:08.500");
});
