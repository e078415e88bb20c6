// Row-group planning of sparse reads without a network: footers parsed from a DuckDB-written file,
// statistics as Iceberg bounds, the pruning subset of a residual, and sparse copies in a cache
// directory (the "remote" store is a MemoryFileIO, which floe never reads in place).
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { Engine } from "../../src/engine/duckdb.ts";
import { normalizeRanges, rangeBytes } from "../../src/engine/remote/byte-ranges.ts";
import { MeteredFileIO } from "../../src/engine/remote/metered-file-io.ts";
import { fetchFooter } from "../../src/engine/remote/parquet-footer.ts";
import { type RowGroupLayout, fileLayout } from "../../src/engine/remote/row-group-layout.ts";
import { prunableConjuncts, rowGroupFilter } from "../../src/engine/remote/row-group-pruning.ts";
import { SparseFileCache } from "../../src/engine/remote/sparse-file-cache.ts";
import { and, equal, greaterThan, isIn, lessThan, not, notEqual, or, startsWith } from "../../src/expr/expressions.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import { fromBytes } from "../../src/spec/conversions.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import type { Schema } from "../../src/spec/types.ts";
import { tempDir } from "./read-fixtures.ts";

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "d", required: false, type: "date" },
    { id: 3, name: "ts", required: false, type: "timestamp" },
    { id: 4, name: "s", required: false, type: "string" },
    { id: 5, name: "x", required: false, type: "double" },
    { id: 6, name: "i", required: false, type: "int" },
    { id: 7, name: "tz", required: false, type: "timestamptz" },
    {
      id: 8,
      name: "nested",
      required: false,
      type: { type: "struct", fields: [{ id: 9, name: "a", required: false, type: "int" }] },
    },
  ],
};

// DuckDB rounds row groups to whole vectors of 2048 rows.
const GROUP_ROWS = 2048;
const ROWS = 10 * GROUP_ROWS;
const REMOTE = "memory://bucket/data/file.parquet";

let engine: Engine;
let scratch: { dir: string; cleanup: () => void };
let bytes: Uint8Array;
let store: MemoryFileIO;

before(async () => {
  engine = await Engine.create({ threads: 1 });
  scratch = tempDir("remote-rg");
  const file = `${scratch.dir}/source.parquet`;
  // Sorted by id, so each row group holds one id range: 10 groups of 2048 ids.
  await engine.run(`COPY (
      SELECT range AS id, DATE '2025-01-01' + CAST(range // ${GROUP_ROWS} AS INTEGER) AS d,
             TIMESTAMP '2025-01-01' + INTERVAL (range) SECOND AS ts, printf('s%05d', range) AS s,
             range / 7.0 AS x, CAST(range AS INTEGER) AS i,
             CAST(TIMESTAMP '2025-01-01' + INTERVAL (range) SECOND AS TIMESTAMPTZ) AS tz,
             {'a': CAST(range AS INTEGER)} AS nested
      FROM range(${ROWS}) ORDER BY range)
    TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${GROUP_ROWS},
      FIELD_IDS {id: 1, d: 2, ts: 3, s: 4, x: 5, i: 6, tz: 7, nested: {__duckdb_field_id: 8, a: 9}})`);
  bytes = new Uint8Array(readFileSync(file));
  store = new MemoryFileIO();
  await store.write(REMOTE, bytes);
});

after(() => {
  engine.close();
  scratch.cleanup();
});

async function layoutOf(): Promise<{ groups: RowGroupLayout[]; footerStart: number }> {
  const footer = await fetchFooter(store, REMOTE, bytes.byteLength, 4096);
  const footerStart = bytes.byteLength - footer.metadata.metadata_length - 8;
  const layout = fileLayout(footer.metadata, SCHEMA, footerStart);
  assert.ok("rowGroups" in layout, "the layout is supported");
  return { groups: layout.rowGroups, footerStart };
}

test("a footer fetched with a small first GET needs a second one and parses the same", async () => {
  const counts = { getRequests: 0, bytesFetched: 0 };
  const small = await fetchFooter(new MeteredFileIO(store, counts), REMOTE, bytes.byteLength, 64);
  assert.equal(counts.getRequests, 2);
  const large = await fetchFooter(store, REMOTE, bytes.byteLength, 1024 * 1024);
  assert.equal(small.metadata.row_groups.length, ROWS / GROUP_ROWS);
  assert.deepEqual(small.tail, bytes.subarray(bytes.byteLength - small.tail.byteLength));
  assert.equal(small.metadata.metadata_length, large.metadata.metadata_length);
  await assert.rejects(fetchFooter(store, REMOTE, bytes.byteLength - 1), /not a Parquet file/);
});

test("row-group statistics become Iceberg bounds by field id for exactly the supported types", async () => {
  const { groups, footerStart } = await layoutOf();
  assert.equal(groups.length, 10);
  const third = groups[3].metrics;
  assert.equal(fromBytes("long", third.lowerBounds?.get(1) as Uint8Array), 6144n);
  assert.equal(fromBytes("long", third.upperBounds?.get(1) as Uint8Array), 8191n);
  assert.equal(fromBytes("date", third.lowerBounds?.get(2) as Uint8Array), 20089 + 3);
  assert.equal(fromBytes("timestamp", third.lowerBounds?.get(3) as Uint8Array), 1735689600000000n + 6144_000000n);
  assert.equal(fromBytes("string", third.upperBounds?.get(4) as Uint8Array), "s08191");
  assert.equal(fromBytes("int", third.lowerBounds?.get(6) as Uint8Array), 6144);
  assert.equal(fromBytes("timestamptz", third.upperBounds?.get(7) as Uint8Array), 1735689600000000n + 8191_000000n);
  // Doubles (NaN ordering) and nested fields never prune.
  assert.equal(third.lowerBounds?.has(5), false);
  assert.equal(third.lowerBounds?.has(9), false);
  for (const group of groups) {
    assert.equal(group.rows, BigInt(GROUP_ROWS));
    assert.deepEqual(
      group.columns.map((c) => c.fieldId).sort((a, b) => (a ?? 0) - (b ?? 0)),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    for (const column of group.columns)
      for (const range of column.ranges) assert.ok(range.start >= 4 && range.end <= footerStart);
  }
  // Chunks of different row groups never overlap.
  const chunks = groups.flatMap((g) => g.columns.map((c) => c.ranges[0]));
  assert.equal(rangeBytes(normalizeRanges(chunks)), rangeBytes(chunks));
});

test("only pushed-down comparisons of prunable columns take part in row-group pruning", () => {
  const residual = and(
    equal("id", 5n),
    or(equal("id", 1n), equal("id", 2n)),
    notEqual("s", "x"),
    isIn("i", [1, 2]),
    startsWith("s", "s1"),
    not(lessThan("d", "2025-01-02")),
    greaterThan("x", 1.5),
    lessThan("ts", "2025-01-01T01:00:00"),
  );
  assert.equal(
    expressionToString(prunableConjuncts(SCHEMA, residual)),
    '(id = 5 and ts < "2025-01-01T01:00:00.000000")',
  );
  assert.equal(rowGroupFilter(SCHEMA, or(equal("id", 1n), equal("id", 2n))), undefined);
  assert.equal(rowGroupFilter(SCHEMA, undefined), undefined);
});

test("the row-group filter keeps exactly the groups whose ranges may match", async () => {
  const { groups } = await layoutOf();
  const kept = (expr: Parameters<typeof rowGroupFilter>[1]) => {
    const keep = rowGroupFilter(SCHEMA, expr);
    assert.ok(keep);
    return groups.filter((g) => keep(g.metrics)).map((g) => g.index);
  };
  assert.deepEqual(kept(equal("id", 4321n)), [2]);
  assert.deepEqual(kept(and(greaterThan("id", 1999n), lessThan("id", 4000n))), [0, 1]);
  assert.deepEqual(kept(equal("s", "s07000")), [3]);
  assert.deepEqual(kept(lessThan("d", "2025-01-03")), [0, 1]);
  assert.deepEqual(kept(equal("id", 30_000n)), []);
});

async function queryCount(path: string, where: string): Promise<bigint> {
  const [row] = await engine.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${path}') WHERE ${where}`);
  return row.n;
}

test("a sparse copy answers pruned lookups exactly, and reading one of its holes fails loudly", async () => {
  const cache = new SparseFileCache({ directory: `${scratch.dir}/sparse-guard` });
  const { groups, footerStart } = await layoutOf();
  const wanted = [{ start: footerStart, end: bytes.byteLength }, ...groups[2].columns.flatMap((c) => c.ranges)];
  const { path } = await cache.ensure(store, REMOTE, bytes.byteLength, wanted);
  assert.equal(await queryCount(path, "id = 4321"), 1n);
  assert.equal(await queryCount(path, "id >= 4100 AND id < 4200 AND s >= 's04150'"), 50n);
  // A query DuckDB cannot prune to row group 2 reads a hole: Parquet decoding refuses the zeros.
  await assert.rejects(queryCount(path, "id = 1234"), /TProtocolException|Invalid|Corrupt/i);
  await assert.rejects(queryCount(path, "x > 0"), /TProtocolException|Invalid|Corrupt/i);
});

test("sparse copies are reused by other cache instances over the same directory, and only missing bytes are fetched", async () => {
  const directory = `${scratch.dir}/sparse-shared`;
  const { groups, footerStart } = await layoutOf();
  const footer = { start: footerStart, end: bytes.byteLength };
  const group = (i: number) => groups[i].columns.flatMap((c) => c.ranges);
  const counts = { getRequests: 0, bytesFetched: 0 };
  const metered = new MeteredFileIO(store, counts, 4);

  // No gap filling, so bytes fetched are exactly the bytes asked for.
  const first = new SparseFileCache({ directory, maxGapBytes: 0 });
  const a = await first.ensure(metered, REMOTE, bytes.byteLength, [footer, ...group(1)]);
  const fetched = counts.bytesFetched;
  assert.equal(a.heldBytes, 0);
  assert.equal(fetched, rangeBytes(normalizeRanges([footer, ...group(1)])));

  // "Another process": a new instance over the same directory finds group 1 held and fetches only group 2.
  const second = new SparseFileCache({ directory, maxGapBytes: 0 });
  assert.equal(second.size, fetched);
  const b = await second.ensure(metered, REMOTE, bytes.byteLength, [footer, ...group(1), ...group(2)]);
  assert.equal(b.path, a.path);
  assert.equal(b.heldBytes, fetched);
  assert.equal(counts.bytesFetched - fetched, rangeBytes(normalizeRanges(group(2))));
  assert.equal(await queryCount(b.path, "id BETWEEN 3500 AND 4499"), 1000n);

  // A copy re-created after an eviction does not trust the old record: everything is fetched again.
  rmSync(b.path);
  const before = counts.bytesFetched;
  const c = await second.ensure(metered, REMOTE, bytes.byteLength, [footer, ...group(2)]);
  assert.equal(c.heldBytes, 0);
  assert.equal(counts.bytesFetched - before, rangeBytes(normalizeRanges([footer, ...group(2)])));
  assert.equal(await queryCount(c.path, "id BETWEEN 4200 AND 5199"), 1000n);
});

test("the sparse cache evicts least recently used copies by bytes held, never pinned ones", async () => {
  const directory = `${scratch.dir}/sparse-evict`;
  const other = "memory://bucket/data/other.parquet";
  await store.write(other, bytes);
  const { footerStart } = await layoutOf();
  const tailOnly = [{ start: footerStart, end: bytes.byteLength }];
  const cache = new SparseFileCache({ directory, maxBytes: bytes.byteLength - footerStart + 1 });
  const first = await cache.ensure(store, REMOTE, bytes.byteLength, tailOnly);
  const second = await cache.ensure(store, other, bytes.byteLength, tailOnly);
  await cache.evict(new Set([cache.keyOf(other, bytes.byteLength)]));
  assert.equal(existsSync(first.path), false, "the older copy is gone");
  assert.equal(existsSync(second.path), true, "the pinned copy stays");
  assert.equal(cache.size, bytes.byteLength - footerStart);
});
