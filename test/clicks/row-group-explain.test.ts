import assert from "node:assert/strict";
import { mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type ColumnRange, parseStatistic, rowGroupCounts } from "../../src/clicks/row-group-explain.ts";
import { Engine } from "../../src/engine/duckdb.ts";

let engine: Engine;
let dir: string;
let file: string;
let size: bigint;

const MICROS_PER_DAY = 86_400_000_000n;
const DAY_2024_03_01 = 19783n;

before(async () => {
  engine = await Engine.create({ threads: 1 });
  dir = await mkdtemp(path.join(tmpdir(), "floe-row-groups-"));
  file = path.join(dir, "clicks.parquet");
  // Row groups of a few thousand rows, sorted by element: each covers ~100-200 elements over 3 days.
  await engine.run(
    `COPY (SELECT (i // 20)::BIGINT AS element_id,
                  TIMESTAMP '2024-03-01' + to_microseconds((i % 3) * 86400000000 + i) AS event_time
           FROM range(20000) t(i) ORDER BY element_id, event_time)
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
  );
  size = BigInt((await stat(file)).size);
});
after(async () => {
  engine.close();
  await rm(dir, { recursive: true, force: true });
});

/** The row groups DuckDB's own statistics say may match, as the SQL explain used to count them. */
async function oracle(element: bigint, fromDay: bigint, toDay: bigint) {
  const [row] = await engine.all<{ considered: bigint; read: bigint }>(
    `SELECT count(*) AS considered, count(*) FILTER (WHERE may_match) AS read FROM (
       SELECT row_group_id, bool_and(CASE path_in_schema
         WHEN 'element_id' THEN coalesce(TRY_CAST(stats_max_value AS BIGINT) >= ${element}
                                         AND TRY_CAST(stats_min_value AS BIGINT) <= ${element}, true)
         WHEN 'event_time' THEN coalesce(TRY_CAST(stats_max_value AS TIMESTAMP) >= make_timestamp(${fromDay * MICROS_PER_DAY})
                                         AND TRY_CAST(stats_min_value AS TIMESTAMP) < make_timestamp(${toDay * MICROS_PER_DAY}), true)
         ELSE true END) AS may_match
       FROM parquet_metadata('${file}') GROUP BY row_group_id)`,
  );
  const considered = Number(row.considered);
  return { considered, pruned: considered - Number(row.read), read: Number(row.read) };
}

const ranges = (element: bigint, fromDay: bigint, toDay: bigint): ColumnRange[] => [
  { column: "event_time", type: "timestamp", atLeast: fromDay * MICROS_PER_DAY, below: toDay * MICROS_PER_DAY },
  { column: "element_id", type: "long", atLeast: element, atMost: element },
];

test("statistics text parses as DuckDB prints it; anything else decides nothing", () => {
  assert.equal(parseStatistic("-42", "long"), -42n);
  assert.equal(parseStatistic("9223372036854775807", "long"), 9_223_372_036_854_775_807n);
  assert.equal(parseStatistic("1.5", "long"), undefined);
  assert.equal(parseStatistic(null, "long"), undefined);
  assert.equal(parseStatistic("2024-03-01 00:00:00", "timestamp"), DAY_2024_03_01 * MICROS_PER_DAY);
  assert.equal(parseStatistic("2024-03-01 00:00:01.5", "timestamp"), DAY_2024_03_01 * MICROS_PER_DAY + 1_500_000n);
  assert.equal(parseStatistic("2024-03-01T00:00:00.000001+00", "timestamp"), DAY_2024_03_01 * MICROS_PER_DAY + 1n);
  // Years below 100 are not shifted into the 1900s.
  assert.equal(parseStatistic("0099-12-31 23:59:59", "timestamp"), BigInt(Date.parse("0099-12-31T23:59:59Z")) * 1000n);
  assert.equal(parseStatistic("2024-03-01 00:00:00+02", "timestamp"), undefined);
  assert.equal(parseStatistic("yesterday", "timestamp"), undefined);
});

test("row-group counts match DuckDB's statistics, and a file's footer is read only once", async () => {
  const source = { location: `file://${file}`, size, localPath: file };
  const cases: [bigint, bigint, bigint][] = [
    [10n, DAY_2024_03_01, DAY_2024_03_01 + 3n],
    [10n, DAY_2024_03_01 + 5n, DAY_2024_03_01 + 6n],
    [499n, DAY_2024_03_01 + 1n, DAY_2024_03_01 + 2n],
    [5000n, DAY_2024_03_01, DAY_2024_03_01 + 3n],
  ];
  const expected = [];
  for (const [element, from, to] of cases) expected.push(await oracle(element, from, to));
  assert.ok(expected[0].considered >= 5, JSON.stringify(expected));
  assert.ok(expected[0].read >= 1 && expected[1].read === 0 && expected[3].read === 0, JSON.stringify(expected));

  const counted = [];
  for (const [element, from, to] of cases)
    counted.push(await rowGroupCounts(engine, [source], ranges(element, from, to)));
  assert.deepEqual(counted, expected);

  // With the file gone, the same file (location and size) is still counted: nothing read it again.
  const moved = path.join(dir, "moved.parquet");
  await rename(file, moved);
  try {
    assert.deepEqual(
      await rowGroupCounts(engine, [source], ranges(10n, DAY_2024_03_01, DAY_2024_03_01 + 3n)),
      counted[0],
    );
    // A different size is a different file: its footer must be read (and here is missing).
    await assert.rejects(rowGroupCounts(engine, [{ ...source, size: size + 1n }], ranges(10n, 0n, 1n)));
  } finally {
    await rename(moved, file);
  }
});

test("a column the file lacks, or a file that is not local, decide nothing", async () => {
  const source = { location: `file://${file}#other`, size, localPath: file };
  const { considered } = await oracle(0n, 0n, 1n);
  assert.deepEqual(await rowGroupCounts(engine, [source], [{ column: "missing", type: "long", atMost: -1n }]), {
    considered,
    pruned: 0,
    read: considered,
  });
  assert.equal(await rowGroupCounts(engine, [{ ...source, localPath: "s3://bucket/clicks.parquet" }], []), null);
  assert.deepEqual(await rowGroupCounts(engine, [], ranges(1n, 0n, 1n)), { considered: 0, pruned: 0, read: 0 });
});
