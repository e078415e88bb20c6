// writeDataFiles against an independent reading of what it wrote: DuckDB's parquet_schema,
// parquet_metadata and plain SQL aggregates over each file must agree with every DataFile field.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { Engine } from "../../src/engine/duckdb.ts";
import { writeDataFiles } from "../../src/engine/write/write-data-files.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import type { DataFile } from "../../src/manifest/types.ts";
import { fromBytes } from "../../src/spec/conversions.ts";
import { UNPARTITIONED_SPEC } from "../../src/spec/partitioning.ts";
import { walkFields } from "../../src/spec/schema.ts";
import type { PrimitiveType, Value } from "../../src/spec/types.ts";
import { DAY_SPEC, SCHEMA, SORT_ORDER, clickSource } from "./write-fixtures.ts";

let engine: Engine;
let dir: string;
const io = new LocalFileIO();
before(async () => {
  engine = await Engine.create({ threads: 4 });
  dir = mkdtempSync(path.join(tmpdir(), "floe-write-test-"));
});
after(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Leaf columns that carry bounds: id → [SQL expression over the file, Iceberg type]. */
const BOUNDED: Record<number, [string, PrimitiveType]> = {
  1: ["element_id", "long"],
  2: ["event_time", "timestamp"],
  3: ["page", "string"],
  4: ["duration", "double"],
  6: ["ctx.referrer", "string"],
  7: ["ctx.score", "decimal(9,2)"],
  13: ["session", "uuid"],
  14: ["received", "timestamptz"],
  15: ["payload", "binary"],
  16: ["ratio", "float"],
  17: ["seen", "date"],
  18: ["flag", "boolean"],
};
const FLOATING = new Set([4, 16]);
const PATHS: Record<number, string> = {
  6: "ctx, referrer",
  7: "ctx, score",
  9: "tags, list, element",
  11: "attrs, key_value, key",
  12: "attrs, key_value, value",
};

const sameNumber = (a: Value, b: Value) => typeof a === "number" && typeof b === "number" && a === b;
const codePoints = (s: string) => Array.from(s);

/** Checks every statistic of `file` against DuckDB's own reading of the file. */
async function checkFile(file: DataFile, options: { truncate: number | null } = { truncate: 16 }): Promise<void> {
  const f = lit(file.filePath);
  const [counts] = await engine.all<Record<string, Value>>(
    `SELECT count(*) AS n, ${Object.entries(BOUNDED)
      .map(([id, [expr]]) => {
        const notNan = FLOATING.has(Number(id)) ? ` AND NOT isnan(${expr})` : "";
        const nan = FLOATING.has(Number(id)) ? `, count(*) FILTER (WHERE isnan(${expr})) AS nan${id}` : "";
        return `count(*) FILTER (WHERE ${expr} IS NULL) AS null${id}, min(${expr}) FILTER (WHERE true${notNan}) AS min${id},
                max(${expr}) FILTER (WHERE true${notNan}) AS max${id}${nan}`;
      })
      .join(", ")},
      sum(CASE WHEN tags IS NULL OR len(tags) = 0 THEN 1 ELSE len(tags) END) AS values9,
      count(*) FILTER (WHERE tags IS NULL OR len(tags) = 0) + sum(len(list_filter(tags, lambda x: x IS NULL))) AS null9
     FROM read_parquet(${f})`,
  );
  assert.equal(file.recordCount, counts.n);
  assert.equal(file.fileSizeInBytes, BigInt(statSync(file.filePath).size));
  for (const [key, [expr, type]] of Object.entries(BOUNDED)) {
    const id = Number(key);
    assert.equal(file.valueCounts?.get(id), counts.n, `value count of ${expr}`);
    assert.equal(file.nullValueCounts?.get(id), counts[`null${id}`], `null count of ${expr}`);
    if (FLOATING.has(id)) assert.equal(file.nanValueCounts?.get(id), counts[`nan${id}`], `NaN count of ${expr}`);
    else assert.equal(file.nanValueCounts?.has(id), false, `no NaN count for ${expr}`);
    const min = counts[`min${id}`];
    const max = counts[`max${id}`];
    const lower = file.lowerBounds?.get(id);
    const upper = file.upperBounds?.get(id);
    if (min === null) {
      assert.equal(lower, undefined);
      continue;
    }
    assert.ok(lower && upper, `bounds of ${expr}`);
    const lowerValue = fromBytes(type, lower);
    const upperValue = fromBytes(type, upper);
    if (type === "string" && options.truncate !== null && codePoints(max as string).length > options.truncate) {
      const points = codePoints(max as string);
      const last = points[options.truncate - 1].codePointAt(0)!;
      assert.equal(upperValue, points.slice(0, options.truncate - 1).join("") + String.fromCodePoint(last + 1));
    } else if (FLOATING.has(id)) assert.ok(sameNumber(upperValue, max), `upper of ${expr}`);
    else assert.deepEqual(upperValue, max, `upper of ${expr}`);
    if (type === "string" && options.truncate !== null)
      assert.equal(
        lowerValue,
        codePoints(min as string)
          .slice(0, options.truncate)
          .join(""),
        `lower of ${expr}`,
      );
    else if (FLOATING.has(id)) {
      assert.ok(sameNumber(lowerValue, min), `lower of ${expr}: ${lowerValue} vs ${min}`);
      // A +0.0 minimum is widened to -0.0: Iceberg orders -0.0 first and DuckDB does not tell them apart.
      if (min === 0) assert.ok(Object.is(lowerValue, -0));
    } else assert.deepEqual(lowerValue, min, `lower of ${expr}`);
  }
  // Inside lists and maps: counts only, as Java writes them.
  assert.equal(file.valueCounts?.get(9), counts.values9);
  assert.equal(file.nullValueCounts?.get(9), counts.null9);
  assert.equal(file.valueCounts?.get(11), counts.n);
  for (const id of [9, 11, 12]) assert.equal(file.lowerBounds?.has(id) || file.upperBounds?.has(id), false);

  const sizes = await engine.all<{ path: string; size: bigint }>(
    `SELECT path_in_schema AS path, sum(total_compressed_size)::BIGINT AS size FROM parquet_metadata(${f}) GROUP BY 1`,
  );
  for (const { path: columnPath, size } of sizes) {
    const id = Number(
      Object.entries({ ...Object.fromEntries(Object.entries(BOUNDED).map(([k, [e]]) => [k, e])), ...PATHS }).find(
        ([, p]) => p === columnPath,
      )?.[0],
    );
    assert.equal(file.columnSizes?.get(id), size, `column size of ${columnPath}`);
  }
  const groups = await engine.all<{ start: bigint }>(
    `SELECT min(least(data_page_offset, coalesce(dictionary_page_offset, data_page_offset))) AS start
     FROM parquet_metadata(${f}) GROUP BY row_group_id ORDER BY row_group_id`,
  );
  assert.deepEqual(
    file.splitOffsets,
    groups.map((g) => g.start),
  );
  assert.equal(file.splitOffsets?.[0], 4n);
}

async function assertSorted(file: string): Promise<void> {
  const [row] = await engine.all<{ bad: bigint }>(
    `SELECT count(*) AS bad FROM (
       SELECT element_id e, event_time t, lag(element_id) OVER w pe, lag(event_time) OVER w pt
       FROM read_parquet(${lit(file)}, file_row_number = true) WINDOW w AS (ORDER BY file_row_number))
     WHERE pe > e OR (pe = e AND pt > t)`,
  );
  assert.equal(row.bad, 0n, `${file} is not sorted by (element_id, event_time)`);
}

async function assertSameRows(source: string, files: DataFile[]): Promise<void> {
  const list = `[${files.map((f) => lit(f.filePath)).join(", ")}]`;
  const [row] = await engine.all<{ missing: bigint; extra: bigint }>(
    `SELECT (SELECT count(*) FROM ((${source}) EXCEPT ALL (SELECT * FROM read_parquet(${list}, hive_partitioning = false)))) AS missing,
            (SELECT count(*) FROM ((SELECT * FROM read_parquet(${list}, hive_partitioning = false)) EXCEPT ALL (${source}))) AS extra`,
  );
  assert.deepEqual(row, { missing: 0n, extra: 0n });
}

test("a partitioned, sorted write: layout, field ids, order and every statistic", async () => {
  const source = clickSource(30_000);
  const location = path.join(dir, "clicks", "data");
  const files = await writeDataFiles(engine, io, {
    source,
    schema: SCHEMA,
    spec: DAY_SPEC,
    sortOrder: SORT_ORDER,
    location,
    rowGroupRows: 4096,
  });
  assert.deepEqual(
    files.map((f) => f.partition),
    [[-1], [0], [1], [2]],
  );
  const allIds = [...walkFields(SCHEMA)].map((e) => e.field.id).sort((a, b) => a - b);
  for (const file of files) {
    const day = file.partition[0] as number;
    const dayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
    assert.equal(path.dirname(file.filePath), path.join(location, `event_time_day=${dayText}`));
    assert.match(path.basename(file.filePath), /^[0-9a-f-]{36}\.parquet$/);
    assert.equal(file.sortOrderId, 1);
    assert.equal(file.specId, 0);
    assert.equal(file.fileFormat, "PARQUET");
    const [days] = await engine.all<{ lo: number; hi: number }>(
      `SELECT min(event_time::DATE - DATE '1970-01-01')::INT lo, max(event_time::DATE - DATE '1970-01-01')::INT hi FROM read_parquet(${lit(file.filePath)})`,
    );
    assert.deepEqual(days, { lo: day, hi: day });
    const ids = await engine.all<{ id: number }>(
      `SELECT field_id::INT AS id FROM parquet_schema(${lit(file.filePath)}) WHERE field_id IS NOT NULL ORDER BY 1`,
    );
    assert.deepEqual(
      ids.map((r) => r.id),
      allIds,
    );
    const [codec] = await engine.all<{ c: string }>(
      `SELECT DISTINCT compression AS c FROM parquet_metadata(${lit(file.filePath)})`,
    );
    assert.equal(codec.c, "ZSTD");
    await assertSorted(file.filePath);
    await checkFile(file);
    assert.ok((file.splitOffsets?.length ?? 0) >= 2, "several row groups per file");
  }
  await assertSameRows(source, files);
  // Nothing but the data files is left behind (no staging folders).
  assert.deepEqual(readdirSync(location).sort(), [
    "event_time_day=1969-12-31",
    "event_time_day=1970-01-01",
    "event_time_day=1970-01-02",
    "event_time_day=1970-01-03",
  ]);
});

test("files roll at the target size and every row lands exactly once", async () => {
  const source = clickSource(20_000);
  const target = 64 * 1024;
  const files = await writeDataFiles(engine, io, {
    source,
    schema: SCHEMA,
    spec: DAY_SPEC,
    sortOrder: SORT_ORDER,
    location: path.join(dir, "rolled", "data"),
    targetFileSizeBytes: target,
    rowGroupRows: 2048,
  });
  assert.ok(files.length >= 8, `expected several files per partition, got ${files.length}`);
  for (const file of files) {
    assert.ok(file.fileSizeInBytes < 2n * BigInt(target), `${file.filePath} is ${file.fileSizeInBytes} bytes`);
    await assertSorted(file.filePath);
    await checkFile(file);
  }
  assert.equal(
    files.reduce((n, f) => n + f.recordCount, 0n),
    20_000n,
  );
  await assertSameRows(source, files);
});

test("metrics modes: default counts, per-column full and none, sort columns keep bounds", async () => {
  const files = await writeDataFiles(engine, io, {
    source: clickSource(2_000),
    schema: SCHEMA,
    spec: UNPARTITIONED_SPEC,
    sortOrder: SORT_ORDER,
    location: path.join(dir, "modes", "data"),
    properties: {
      "write.metadata.metrics.default": "counts",
      "write.metadata.metrics.column.page": "full",
      "write.metadata.metrics.column.duration": "none",
    },
  });
  assert.equal(files.length, 1);
  const [file] = files;
  assert.deepEqual(file.partition, []);
  assert.equal(path.dirname(file.filePath), path.join(dir, "modes", "data"));
  const [row] = await engine.all<{ lo: string; hi: string }>(
    `SELECT min(page) lo, max(page) hi FROM read_parquet(${lit(file.filePath)})`,
  );
  assert.equal(fromBytes("string", file.lowerBounds!.get(3)!), row.lo);
  assert.equal(fromBytes("string", file.upperBounds!.get(3)!), row.hi);
  assert.ok(codePoints(row.hi).length > 16, "the full bound is longer than the default truncation");
  assert.equal(file.valueCounts?.has(4), false);
  assert.equal(file.columnSizes?.has(4), false);
  assert.equal(file.lowerBounds?.has(13), false);
  assert.equal(file.valueCounts?.get(13), 2_000n);
  assert.ok(file.lowerBounds?.has(1) && file.lowerBounds?.has(2), "sort columns keep truncate(16) bounds");
});

test("remote warehouses: files are uploaded through FileIO and the local staging removed", async () => {
  const memory = new MemoryFileIO();
  const files = await writeDataFiles(engine, memory, {
    source: clickSource(3_000),
    schema: SCHEMA,
    spec: DAY_SPEC,
    sortOrder: SORT_ORDER,
    location: "memory://bucket/db/clicks/data",
  });
  assert.equal(files.length, 4);
  for (const file of files) {
    assert.match(
      file.filePath,
      /^memory:\/\/bucket\/db\/clicks\/data\/event_time_day=19(69|70)-\d\d-\d\d\/[0-9a-f-]{36}\.parquet$/,
    );
    const bytes = await memory.read(file.filePath);
    assert.equal(BigInt(bytes.length), file.fileSizeInBytes);
    const local = path.join(dir, path.basename(file.filePath));
    writeFileSync(local, bytes);
    const [row] = await engine.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet(${lit(local)})`);
    assert.equal(row.n, file.recordCount);
  }
  assert.deepEqual(
    readdirSync(engine.tempDirectory).filter((name) => name.startsWith("write-")),
    [],
  );
});

test("a null in a required column fails the write and leaves no files", async () => {
  const location = path.join(dir, "bad", "data");
  await assert.rejects(
    writeDataFiles(engine, io, {
      source: `SELECT CASE WHEN i = 5 THEN NULL ELSE i END AS element_id, TIMESTAMP '2025-01-01' AS event_time FROM range(10) t(i)`,
      schema: SCHEMA,
      spec: DAY_SPEC,
      sortOrder: SORT_ORDER,
      location,
    }),
    (error: Error & { kind?: string }) => error.kind === "validation" && /element_id/.test(error.message),
  );
  const leftovers: string[] = [];
  for await (const info of io.list(location)) leftovers.push(info.path);
  assert.deepEqual(leftovers, []);
});

test("source columns outside the schema are refused; missing optional columns are written as nulls", async () => {
  await assert.rejects(
    writeDataFiles(engine, io, {
      source: `SELECT 1::BIGINT AS element_id, TIMESTAMP '2025-01-01' AS event_time, 1 AS typo_column`,
      schema: SCHEMA,
      spec: DAY_SPEC,
      sortOrder: SORT_ORDER,
      location: path.join(dir, "extra", "data"),
    }),
    /typo_column/,
  );
  const [file] = await writeDataFiles(engine, io, {
    source: `SELECT 1 AS element_id, TIMESTAMP '2025-01-01' AS event_time`,
    schema: SCHEMA,
    spec: DAY_SPEC,
    sortOrder: SORT_ORDER,
    location: path.join(dir, "sparse", "data"),
  });
  assert.equal(file.recordCount, 1n);
  assert.equal(file.nullValueCounts?.get(3), 1n);
  assert.deepEqual(file.partition, [20089]);
});

test("large sorted writes keep the sort order across row groups and rolled files", async () => {
  // Parallel COPY can emit row groups out of order (DuckDB's FILE_SIZE_BYTES rolling does); this
  // is big enough for several threads to take part.
  const schema = { ...SCHEMA, fields: SCHEMA.fields.slice(0, 2) };
  const source = `SELECT (hash(i) % 20000)::BIGINT AS element_id, TIMESTAMP '2025-01-01' + to_microseconds(i::BIGINT) AS event_time
                  FROM range(600000) t(i)`;
  const files = await writeDataFiles(engine, io, {
    source,
    schema,
    spec: UNPARTITIONED_SPEC,
    sortOrder: SORT_ORDER,
    location: path.join(dir, "large", "data"),
    targetFileSizeBytes: 1024 * 1024,
    rowGroupRows: 8192,
  });
  assert.ok(files.length >= 2, `rolled into ${files.length} files`);
  for (const file of files) await assertSorted(file.filePath);
  // Files are consecutive slices of one order: each file's first key follows the previous file's last.
  const ends = [];
  for (const file of files) {
    const [row] = await engine.all<{ lo: bigint; hi: bigint }>(
      `SELECT min(element_id) lo, max(element_id) hi FROM read_parquet(${lit(file.filePath)})`,
    );
    ends.push(row);
  }
  for (let i = 1; i < ends.length; i++) assert.ok(ends[i - 1].hi <= ends[i].lo);
  assert.equal(
    files.reduce((n, f) => n + f.recordCount, 0n),
    600_000n,
  );
});
