import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { hashValue } from "../../src/spec/transforms/bucket-hash.ts";
import { parseTransform } from "../../src/spec/transforms.ts";

// 2017-11-16T22:31:08 UTC: 17486 days and 81068 seconds.
const TS = 1510871468000000n;
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

test("hashes match the spec's Appendix B table", () => {
  assert.equal(hashValue("int", 34), 2017239379);
  assert.equal(hashValue("long", 34n), 2017239379);
  assert.equal(hashValue("decimal(9,2)", 1420n), -500754589);
  assert.equal(hashValue("date", 17486), -653330422);
  assert.equal(hashValue("time", 81068000000n), -662762989);
  assert.equal(hashValue("timestamp", TS), -2047944441);
  assert.equal(hashValue("timestamp", TS + 1n), -1207196810);
  assert.equal(hashValue("timestamptz", TS), -2047944441);
  assert.equal(hashValue("timestamptz", TS + 1n), -1207196810);
  assert.equal(hashValue("timestamp_ns", TS * 1000n), -2047944441);
  assert.equal(hashValue("timestamp_ns", (TS + 1n) * 1000n + 1n), -1207196810);
  assert.equal(hashValue("timestamptz_ns", (TS + 1n) * 1000n + 1n), -1207196810);
  assert.equal(hashValue("string", "iceberg"), 1210000089);
  assert.equal(hashValue("uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7"), 1488055340);
  assert.equal(hashValue("fixed[4]", bytes("00010203")), -188683207);
  assert.equal(hashValue("binary", bytes("00010203")), -188683207);
  // the "not currently valid for bucketing" table
  assert.equal(hashValue("boolean", true), 1392991556);
  assert.equal(hashValue("float", 1), -142385009);
  assert.equal(hashValue("double", 1), -142385009);
  assert.equal(hashValue("double", 0), 1669671676);
  assert.equal(hashValue("double", -0), 1669671676);
  // spec "Schema Evolution": "34" as a string hashes differently from 34
  assert.equal(hashValue("string", "34"), -427558391);
});

test("nanosecond timestamps before the epoch floor to microseconds before hashing", () => {
  assert.equal(hashValue("timestamp_ns", -1n), hashValue("timestamp", -1n));
  assert.equal(hashValue("timestamp_ns", -1000n), hashValue("timestamp", -1n));
  assert.equal(hashValue("timestamp_ns", -1001n), hashValue("timestamp", -2n));
});

test("bucket[N] = (hash & Integer.MAX_VALUE) % N, identical for int and long", () => {
  const b = parseTransform("bucket[100]");
  assert.equal(b.apply("int", 34), 79);
  assert.equal(b.apply("long", 34n), 79);
  assert.equal(b.apply("string", "iceberg"), 1210000089 % 100);
  // a negative hash drops its sign bit: -500754589 & 0x7fffffff
  assert.equal(parseTransform("bucket[16]").apply("decimal(9,2)", 1420n), (-500754589 & 0x7fffffff) % 16);
  assert.equal(b.apply("int", null), null);
  assert.equal(b.resultType("string"), "int");
  assert.equal(b.toString(), "bucket[100]");
});

test("truncate follows the spec's table, rounding negatives down", () => {
  const t10 = parseTransform("truncate[10]");
  assert.equal(t10.apply("int", 1), 0);
  assert.equal(t10.apply("int", -1), -10);
  assert.equal(t10.apply("int", -10), -10);
  assert.equal(t10.apply("int", 19), 10);
  assert.equal(t10.apply("long", 1n), 0n);
  assert.equal(t10.apply("long", -1n), -10n);
  assert.equal(parseTransform("truncate[50]").apply("decimal(9,2)", 1065n), 1050n); // 10.65 -> 10.50
  assert.equal(parseTransform("truncate[50]").apply("decimal(9,2)", -1065n), -1100n); // -10.65 -> -11.00
  const t3 = parseTransform("truncate[3]");
  assert.equal(t3.apply("string", "iceberg"), "ice");
  assert.equal(t3.apply("string", "ic"), "ic");
  // code points, not UTF-16 units: each ice cube is two units
  assert.equal(parseTransform("truncate[2]").apply("string", "🧊🧊🧊x"), "🧊🧊");
  assert.equal(t3.apply("string", "é🧊ab"), "é🧊a");
  assert.deepEqual(t3.apply("binary", bytes("0102030405")), bytes("010203"));
  assert.equal(t3.resultType("string"), "string");
});

test("year/month/day/hour count from 1970, negative before it", () => {
  const [year, month, day, hour] = ["year", "month", "day", "hour"].map(parseTransform);
  assert.equal(year.apply("timestamp", TS), 47);
  assert.equal(month.apply("timestamp", TS), 47 * 12 + 10);
  assert.equal(day.apply("timestamp", TS), 17486);
  assert.equal(hour.apply("timestamp", TS), 17486 * 24 + 22);
  assert.equal(day.apply("timestamptz_ns", TS * 1000n), 17486);
  assert.equal(hour.apply("timestamp_ns", TS * 1000n), 17486 * 24 + 22);
  assert.equal(year.apply("date", 17486), 47);
  assert.equal(month.apply("date", 17486), 574);
  assert.equal(day.apply("date", 17486), 17486);
  // one microsecond / nanosecond before the epoch is in the previous hour, day, month and year
  for (const t of [year, month, day, hour]) {
    assert.equal(t.apply("timestamp", -1n), -1, t.toString());
    assert.equal(t.apply("timestamp_ns", -1n), -1, t.toString());
  }
  assert.equal(hour.apply("timestamp", -3_600_000_000n), -1);
  assert.equal(hour.apply("timestamp", -3_600_000_001n), -2);
  assert.equal(day.apply("timestamp", -86_400_000_000n), -1);
  assert.equal(day.apply("timestamp", -86_400_000_001n), -2);
  assert.equal(year.apply("date", -365), -1); // 1969-01-01
  assert.equal(month.apply("date", -365), -12);
  assert.equal(year.apply("date", -366), -2); // 1968-12-31
  assert.equal(month.apply("date", -366), -13);
  assert.equal(month.apply("date", -31), -1); // 1969-12-01
  assert.equal(month.apply("date", -32), -2); // 1969-11-30
  assert.equal(year.apply("date", 0), 0);
  assert.equal(day.resultType("timestamp"), "date");
  assert.equal(hour.resultType("timestamp"), "int");
});

test("human strings for partition paths", () => {
  const [year, month, day, hour] = ["year", "month", "day", "hour"].map(parseTransform);
  assert.equal(year.toHumanString("int", 47), "2017");
  assert.equal(month.toHumanString("int", 574), "2017-11");
  assert.equal(month.toHumanString("int", -1), "1969-12");
  assert.equal(day.toHumanString("date", 17486), "2017-11-16");
  assert.equal(day.toHumanString("date", -1), "1969-12-31");
  assert.equal(hour.toHumanString("int", 17486 * 24 + 13), "2017-11-16-13");
  assert.equal(hour.toHumanString("int", -1), "1969-12-31-23");
  assert.equal(day.toHumanString("date", null), "null");
  const identity = parseTransform("identity");
  assert.equal(identity.toHumanString("timestamp", TS), "2017-11-16T22:31:08");
  assert.equal(identity.toHumanString("timestamptz", TS), "2017-11-16T22:31:08Z");
  assert.equal(identity.toHumanString("date", 17486), "2017-11-16");
  assert.equal(identity.toHumanString("time", 81068000000n), "22:31:08");
  assert.equal(identity.toHumanString("decimal(9,2)", 1420n), "14.20");
  assert.equal(identity.toHumanString("binary", bytes("00010203")), "AAECAw==");
  assert.equal(identity.toHumanString("double", 1), "1.0");
  assert.equal(identity.toHumanString("long", 5n), "5");
  assert.equal(identity.toHumanString("string", "a/b"), "a/b");
  assert.equal(parseTransform("bucket[4]").toHumanString("int", 3), "3");
  assert.equal(parseTransform("void").toHumanString("string", null), "null");
});

test("which source types each transform accepts", () => {
  const can = (t: string, type: string) => parseTransform(t).canTransform(type);
  assert.ok(can("bucket[4]", "uuid") && can("bucket[4]", "timestamptz_ns") && can("bucket[4]", "decimal(9,2)"));
  assert.ok(!can("bucket[4]", "float") && !can("bucket[4]", "boolean") && !can("bucket[4]", "double"));
  assert.ok(can("truncate[4]", "binary") && !can("truncate[4]", "fixed[4]") && !can("truncate[4]", "date"));
  assert.ok(can("day", "date") && !can("hour", "date") && can("hour", "timestamptz"));
  assert.ok(!can("year", "string") && !can("year", "long"));
  assert.ok(can("identity", "double") && !can("identity", "variant") && !can("identity", "geometry(srid:4326)"));
  assert.ok(!parseTransform("identity").canTransform({ type: "struct", fields: [] }));
  assert.ok(can("void", "boolean"));
  assert.throws(
    () => parseTransform("bucket[4]").apply("double", 1.5),
    (e) => isFloeError(e, "bad-input") && /bucket\[4\]/.test(e.message),
  );
  assert.throws(() => parseTransform("hour").apply("date", 1), /hour/);
});

test("parsing: exact spellings, identity/void, and tolerated unknown transforms", () => {
  assert.equal(parseTransform("Bucket[16]").toString(), "bucket[16]");
  assert.equal(parseTransform(" day ").toString(), "day");
  assert.equal(parseTransform("truncate[4]").param, 4);
  assert.equal(parseTransform("void").apply("string", "x"), null);
  assert.equal(parseTransform("void").resultType("long"), "long");
  assert.equal(
    parseTransform("identity").apply("uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7"),
    "f79c3e09-677c-4bbd-a479-3f349cb785e7",
  );
  assert.throws(() => parseTransform("bucket[0]"), /positive/);
  const unknown = parseTransform("zorder(a,b)");
  assert.equal(unknown.name, "unknown");
  assert.equal(unknown.toString(), "zorder(a,b)");
  assert.ok(unknown.canTransform("long"));
  assert.equal(unknown.apply("long", null), null);
  assert.throws(
    () => unknown.apply("long", 1n),
    (e) => isFloeError(e, "unsupported") && /zorder/.test(e.message),
  );
});

test("order preservation and which orders satisfy others", () => {
  const t = parseTransform;
  assert.ok(t("identity").preservesOrder && t("day").preservesOrder && t("truncate[3]").preservesOrder);
  assert.ok(!t("bucket[4]").preservesOrder && !t("void").preservesOrder);
  assert.ok(t("identity").satisfiesOrderOf(t("day")));
  assert.ok(t("identity").satisfiesOrderOf(t("truncate[3]")));
  assert.ok(!t("identity").satisfiesOrderOf(t("bucket[4]")));
  assert.ok(t("hour").satisfiesOrderOf(t("day")) && t("day").satisfiesOrderOf(t("year")));
  assert.ok(!t("day").satisfiesOrderOf(t("hour")) && !t("year").satisfiesOrderOf(t("month")));
  assert.ok(t("bucket[4]").satisfiesOrderOf(t("bucket[4]")) && !t("bucket[4]").satisfiesOrderOf(t("bucket[8]")));
  assert.ok(t("truncate[4]").satisfiesOrderOf(t("truncate[4]")) && !t("truncate[4]").satisfiesOrderOf(t("identity")));
  assert.ok(!t("day").satisfiesOrderOf(t("identity")));
});
