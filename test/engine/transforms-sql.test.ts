// Every partition transform evaluated by DuckDB (src/engine/sql/transforms.ts) must equal the core's
// parseTransform(...).apply on the same values: the writer partitions with the SQL, planning prunes
// with the core, and any disagreement would silently put rows in partitions scans skip.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Engine } from "../../src/engine/duckdb.ts";
import { quoteString, sqlLiteral } from "../../src/engine/sql/quoting.ts";
import { transformSql } from "../../src/engine/sql/transforms.ts";
import { parseTransform } from "../../src/spec/transforms.ts";
import type { Value } from "../../src/spec/types.ts";

let engine: Engine;
before(async () => {
  engine = await Engine.create({ threads: 2 });
});
after(() => engine.close());

const DAY = 86_400_000_000n;
const TIMESTAMPS: Value[] = [
  0n,
  1n,
  -1n,
  DAY - 1n,
  -DAY,
  -DAY - 1n,
  3_599_999_999n,
  -3_600_000_000n,
  -3_600_000_001n,
  1_735_689_600_000_000n, // 2025-01-01
  1_735_775_999_999_999n,
  951_782_400_000_000n, // 2000-02-29
  -2_208_988_800_000_001n, // just before 1900
  -62_135_596_800_000_000n, // 0001-01-01
  253_402_300_799_999_999n, // 9999-12-31T23:59:59.999999
  -31_536_000_000_001n,
  null,
];

const VALUES: Record<string, Value[]> = {
  int: [0, 1, -1, 5, -5, 9, -9, 10, -10, 11, -11, 34, 99, -100, 2147483647, -2147483600, 1000000007, null],
  long: [
    0n,
    1n,
    -1n,
    34n,
    -34n,
    10n,
    -10n,
    9_223_372_036_854_775_807n,
    -9_223_372_036_854_775_000n,
    1_234_567_890_123n,
    -1_234_567_890_123n,
    null,
  ],
  date: [0, 1, -1, -365, -366, 17_167, 20_089, 11_016, -719_162, 2_932_896, -25_567, null],
  time: [0n, 1n, 43_200_000_000n, 86_399_999_999n, 3_600_000_000n, null],
  timestamp: TIMESTAMPS,
  timestamptz: TIMESTAMPS,
  timestamp_ns: [0n, 1n, -1n, -999n, -1000n, -1001n, 1_735_689_600_123_456_789n, -86_400_000_000_000n, null],
  "decimal(9,2)": [0n, 1n, -1n, 1234n, -1234n, 1065n, -1065n, 99_999_999n, -99_999_999n, null],
  "decimal(38,10)": [0n, 14_200_000_000n, -1n, 12_345_678_901_234_567_890_123_456_789n, -99_999_999_999_999n, null],
  string: [
    "",
    "a",
    "iceberg",
    "abcdefghijklmnopqrstuvwxyz",
    "😀😀abc",
    "e\u0301\u0302x",
    "日本語テキスト",
    "it's",
    null,
  ],
  uuid: [
    "f79c3e09-677c-4bbd-a479-3f349cb785e7",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    null,
  ],
  binary: [new Uint8Array([]), new Uint8Array([0, 1, 2, 3]), new Uint8Array([255, 254, 0, 128, 7, 9, 11]), null],
  "fixed[4]": [new Uint8Array([0, 1, 2, 3]), new Uint8Array([255, 255, 255, 255]), null],
  boolean: [true, false, null],
  float: [0, -0, 1.5, -2.25, Number.NaN, Number.POSITIVE_INFINITY, null],
  double: [0.1, -1e300, Number.NaN, 5e-324, null],
};

const TRANSFORMS = [
  "identity",
  "void",
  "year",
  "month",
  "day",
  "hour",
  "truncate[1]",
  "truncate[3]",
  "truncate[10]",
  "truncate[100]",
  "bucket[1]",
  "bucket[16]",
  "bucket[1000]",
  "bucket[2147483647]",
];

const normalize = (v: unknown): unknown => (v instanceof Uint8Array ? Array.from(v) : v);

test("every transform in SQL equals the core's apply on the same values", async () => {
  let checked = 0;
  for (const [type, values] of Object.entries(VALUES)) {
    for (const text of TRANSFORMS) {
      const transform = parseTransform(text);
      if (!transform.canTransform(type)) continue;
      const rows = values.map((v, i) => `(${i}, ${sqlLiteral(type, v)})`).join(", ");
      const sql = `SELECT i, ${transformSql(transform, type, "v")} AS r FROM (VALUES ${rows}) t(i, v) ORDER BY i`;
      const result = await engine.all<{ i: number; r: unknown }>(sql);
      assert.equal(result.length, values.length);
      for (const [i, value] of values.entries()) {
        const expected = transform.apply(type, value);
        assert.deepEqual(
          normalize(result[i].r),
          normalize(expected),
          `${text}(${type}) of ${String(value)}: SQL gave ${String(result[i].r)}, core ${String(expected)}`,
        );
        checked++;
      }
    }
  }
  assert.ok(checked > 700, `checked ${checked} values`);
});

test("bucket hashes match the spec's Appendix B vectors", async () => {
  // Values from the spec's hash table: int 34, long 34, decimal 14.20, date 2017-11-16,
  // time 22:31:08, timestamp 2017-11-16T22:31:08, string "iceberg", uuid, binary 00 01 02 03.
  const rows = await engine.all<Record<string, number>>(`SELECT
      floe_hash_long(34) AS i,
      ${transformSql("bucket[2147483647]", "decimal(9,2)", "CAST('14.20' AS DECIMAL(9,2))")} AS d,
      floe_hash_long(17486) AS dt,
      floe_hash_long(epoch_us(TIME '22:31:08')) AS t,
      floe_hash_long(epoch_us(TIMESTAMP '2017-11-16 22:31:08')) AS ts,
      floe_hash_string(${quoteString("iceberg")}) AS s,
      floe_hash_uuid(CAST('f79c3e09-677c-4bbd-a479-3f349cb785e7' AS UUID)) AS u,
      floe_hash_bytes(unhex('00010203')) AS b`);
  assert.deepEqual(rows[0], {
    i: 2017239379,
    d: (-500754589 & 0x7fffffff) % 2147483647,
    dt: -653330422,
    t: -662762989,
    ts: -2047944441,
    s: 1210000089,
    u: 1488055340,
    b: -188683207,
  });
});

test("time transforms do not depend on the session time zone", async () => {
  await engine.run("SET TimeZone = 'America/Los_Angeles'");
  try {
    const [row] = await engine.all<{ d: number; h: number; m: number }>(
      `SELECT ${transformSql("day", "timestamptz", "v")} AS d, ${transformSql("hour", "timestamptz", "v")} AS h,
              ${transformSql("month", "timestamptz", "v")} AS m
       FROM (SELECT TIMESTAMPTZ '2025-01-01 01:30:00+00' AS v)`,
    );
    assert.deepEqual(row, { d: 20089, h: 20089 * 24 + 1, m: 660 });
  } finally {
    await engine.run("SET TimeZone = 'UTC'");
  }
});
