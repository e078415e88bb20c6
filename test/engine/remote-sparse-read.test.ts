// Sparse reads of a clicks table in an S3 warehouse (a local s3rver): for many random filters and
// projections, the rows read through sparse copies (footers and surviving row groups only) equal
// the rows read from whole files; lookups fetch little more than the row groups they need; repeats
// are served from the footer cache and the copies, with no data request at all.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { queryElement } from "../../src/clicks/queries.ts";
import { FileCache } from "../../src/engine/read/file-cache.ts";
import { type TableScanOptions, tableScanSql } from "../../src/engine/read/table-query.ts";
import {
  type Expression,
  and,
  equal,
  greaterThanOrEqual,
  isIn,
  isNull,
  lessThan,
  lessThanOrEqual,
  notEqual,
  or,
  startsWith,
} from "../../src/expr/expressions.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import { AddDeleteFiles, writeDeleteFile } from "./read-fixtures.ts";
import { type RemoteClicks, remoteClicks } from "./remote-fixtures.ts";

const DAYS = 3;
const ELEMENTS = 300;
let remote: RemoteClicks;
let caches = 0;
const freshCache = () => new FileCache({ directory: path.join(remote.scratch, `cache-${caches++}`) });

before(async () => {
  // ~6 row groups of 2048 sorted clicks per day file.
  remote = await remoteClicks({ days: DAYS, perDay: 12_000, elements: ELEMENTS, rowGroupRows: 2048 });
});

after(async () => {
  await remote?.close();
});

/** Row count and an order-independent checksum of a scan's rows. */
async function digest(sql: string): Promise<{ rows: bigint; sum: bigint | null }> {
  const [row] = await remote.engine.all<{ rows: bigint; sum: bigint | null }>(
    `SELECT count(*) AS rows, sum(hash(CAST(t AS VARCHAR)))::HUGEINT AS sum FROM (${sql}) AS t`,
  );
  return row;
}

async function scan(options: TableScanOptions) {
  return tableScanSql(remote.engine, remote.table.io, remote.table.metadata, options);
}

/** A small deterministic generator (the same filters on every run). */
function generator(seed: number) {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  return next;
}

function randomFilter(next: (n: number) => number): Expression {
  const element = () => BigInt(1 + next(ELEMENTS));
  const time = () => {
    const day = next(DAYS);
    const hour = String(next(24)).padStart(2, "0");
    return `2025-01-0${day + 1}T${hour}:${String(next(60)).padStart(2, "0")}:00`;
  };
  switch (next(9)) {
    case 0:
      return equal("element_id", element());
    case 1:
      return and(
        equal("element_id", element()),
        greaterThanOrEqual("event_time", time()),
        lessThan("event_time", time()),
      );
    case 2: {
      const low = element();
      return and(greaterThanOrEqual("element_id", low), lessThanOrEqual("element_id", low + BigInt(next(20))));
    }
    case 3:
      return or(equal("element_id", element()), equal("element_id", element()));
    case 4:
      return and(isIn("element_id", [element(), element(), element()]), lessThan("event_time", time()));
    case 5:
      return and(equal("element_id", element()), equal("country", ["US", "DE", "IN", "BR"][next(4)]));
    case 6:
      return and(equal("element_id", element()), notEqual("os", "iOS"));
    case 7:
      return and(equal("element_id", element()), isNull("user_id"));
    default:
      return and(lessThan("element_id", element()), startsWith("country", "U"));
  }
}

const PROJECTIONS: (string[] | undefined)[] = [
  undefined,
  ["event_time"],
  ["element_id", "country"],
  ["event_id", "user_id", "latitude"],
];

test("sparse reads return exactly the rows of whole-file reads for many random filters and projections", async () => {
  const next = generator(20250101);
  const wholeCache = freshCache();
  let sparseFiles = 0;
  let prunedRowGroups = 0;
  let nonEmpty = 0;
  for (let i = 0; i < 16; i++) {
    const filter = randomFilter(next);
    const columns = PROJECTIONS[next(PROJECTIONS.length)];
    // Every file that can be pruned is read sparsely, however many row groups survive.
    const sparse = await scan({ filter, columns, fileCache: freshCache(), sparseFraction: 1 });
    const whole = await scan({ filter, columns, fileCache: wholeCache, sparseFraction: 0 });
    assert.equal(whole.remote.files.sparse, 0);
    const got = await digest(sparse.sql);
    const expected = await digest(whole.sql);
    assert.deepEqual(got, expected, `${expressionToString(filter)} over ${columns?.join(",") ?? "*"}`);
    sparseFiles += sparse.remote.files.sparse;
    prunedRowGroups += sparse.remote.rowGroups.pruned;
    if (expected.rows > 0n) nonEmpty++;
  }
  assert.ok(sparseFiles > 16, `most lookups read sparsely (${sparseFiles} files)`);
  assert.ok(prunedRowGroups > 40, `row groups were pruned (${prunedRowGroups})`);
  assert.ok(nonEmpty > 8, `most filters match rows (${nonEmpty})`);
});

test("sparse copies that grow from lookup to lookup keep answering exactly", async () => {
  const next = generator(7);
  const shared = freshCache();
  const wholeCache = freshCache();
  let reused = 0;
  for (let i = 0; i < 20; i++) {
    const low = BigInt(1 + next(ELEMENTS));
    const filter =
      i % 2 === 0
        ? equal("element_id", low)
        : and(greaterThanOrEqual("element_id", low), lessThan("element_id", low + 3n));
    const columns = PROJECTIONS[next(PROJECTIONS.length)];
    const sparse = await scan({ filter, columns, fileCache: shared, sparseFraction: 1 });
    const whole = await scan({ filter, columns, fileCache: wholeCache, sparseFraction: 0 });
    assert.equal(sparse.remote.files.sparse, DAYS);
    assert.deepEqual(await digest(sparse.sql), await digest(whole.sql), expressionToString(filter));
    if (sparse.remote.cachedBytes > 0) reused++;
  }
  assert.ok(reused >= 15, `later lookups reuse the copies (${reused})`);
});

test("an element lookup fetches at most 3x the bytes of the row groups it needs, and a repeat fetches nothing", async () => {
  const cache = freshCache();
  const options = { filter: equal("element_id", 123n), columns: ["event_time", "element_id"], fileCache: cache };
  const first = await scan(options);
  assert.equal(first.remote.files.sparse, DAYS);
  assert.equal(first.remote.footers.fetched, DAYS);
  assert.ok(first.remote.rowGroups.read >= DAYS && first.remote.rowGroups.read < first.remote.rowGroups.considered);
  assert.ok(first.remote.neededBytes > 0);
  assert.ok(first.remote.neededBytes < first.remote.rowGroupBytes, "only the read columns' chunks are needed");
  assert.ok(
    first.remote.data.bytesFetched <= 3 * first.remote.rowGroupBytes,
    `fetched ${first.remote.data.bytesFetched} bytes for row groups of ${first.remote.rowGroupBytes} bytes`,
  );
  // One GET for the footer and one for the chunks of each file, never one per byte range.
  assert.ok(first.remote.data.getRequests <= 2 * DAYS, `${first.remote.data.getRequests} requests`);
  const answer = await digest(first.sql);

  const again = await scan(options);
  assert.equal(again.remote.data.getRequests, 0);
  assert.equal(again.remote.data.bytesFetched, 0);
  assert.equal(again.remote.footers.cacheHits, DAYS);
  assert.deepEqual(await digest(again.sql), answer);

  // Another cache instance over the same directory (as another process would open it) reuses
  // the footers and copies on disk.
  const other = await scan({ ...options, fileCache: new FileCache({ directory: cache.directory }) });
  assert.equal(other.remote.data.getRequests, 0);
  assert.equal(other.remote.footers.cacheHits, DAYS);
  assert.deepEqual(await digest(other.sql), answer);

  // Wider projections fetch only the chunks still missing.
  const wider = await scan({ ...options, columns: undefined });
  assert.ok(wider.remote.data.getRequests > 0);
  assert.ok(wider.remote.cachedBytes > 0);
  assert.deepEqual((await digest(wider.sql)).rows, answer.rows);
});

test("scans without a row-group filter fetch whole files into the file cache, once", async () => {
  const cache = freshCache();
  const day = and(
    greaterThanOrEqual("event_time", "2025-01-02T00:00:00"),
    lessThan("event_time", "2025-01-03T00:00:00"),
  );
  const first = await scan({ filter: day, fileCache: cache });
  assert.deepEqual(first.remote.files, { local: 0, wholeFetched: 1, wholeCached: 0, sparse: 0 });
  assert.equal(first.remote.footers.fetched, 0, "no footer is needed to read a whole file");
  assert.equal(first.remote.data.getRequests, 1);
  const again = await scan({ filter: and(day, equal("element_id", 5n)), fileCache: cache });
  // The whole copy beats fetching parts of the file again.
  assert.deepEqual(again.remote.files, { local: 0, wholeFetched: 0, wholeCached: 1, sparse: 0 });
  assert.equal(again.remote.data.getRequests, 0);
  assert.equal((await digest(first.sql)).rows, 12_000n);
});

test("queryElement reports remote requests, bytes and row groups in its explain", async () => {
  const query = await queryElement(remote.engine, remote.table, 77, {
    from: "2025-01-01",
    to: "2025-01-03",
    columns: ["event_time"],
    fileCache: freshCache(),
  });
  const { remote: stats, rowGroups } = query.explain;
  assert.equal(stats.files.sparse, DAYS);
  assert.equal(stats.footers.fetched, DAYS);
  assert.ok(stats.data.getRequests >= DAYS && stats.data.bytesFetched > 0);
  assert.ok(rowGroups !== null, "row groups are counted from the copies' footers");
  assert.equal(rowGroups.considered, stats.rowGroups.considered);
  assert.ok(rowGroups.read <= stats.rowGroups.read, "DuckDB's own pruning keeps no more than floe fetched");
});

test("position deletes apply to sparse reads (row positions survive skipped row groups)", async () => {
  const filter = equal("element_id", 250n);
  const cache = freshCache();
  const before = await scan({ filter, fileCache: cache, sparseFraction: 0 });
  const target = before.plan.tasks[0].file;
  const local = before.localPaths.get(target.filePath) as string;
  // Delete every other click of element 250 in the first day's file (positions in the whole file).
  const positions = await remote.engine.all<{ pos: bigint }>(
    `SELECT file_row_number AS pos FROM read_parquet('${local}', file_row_number = true)
     WHERE element_id = 250 AND file_row_number % 2 = 0 ORDER BY pos`,
  );
  assert.ok(positions.length > 0);
  const deletes = await writeDeleteFile(
    remote.engine,
    remote.io,
    `s3://${remote.server.bucket}/wh/clicks/events/data/deletes-250.parquet`,
    `SELECT '${target.filePath}' AS file_path, CAST(pos AS BIGINT) AS pos FROM (VALUES ${positions.map((p) => `(${p.pos})`).join(", ")}) AS v(pos)`,
    { partition: target.partition, specId: target.specId },
  );
  await remote.table.commitAction(new AddDeleteFiles(remote.table, [deletes]));
  await remote.table.refresh();
  const sparse = await scan({ filter, fileCache: freshCache() });
  const whole = await scan({ filter, fileCache: freshCache(), sparseFraction: 0 });
  assert.ok(sparse.remote.files.sparse > 0);
  const got = await digest(sparse.sql);
  assert.deepEqual(got, await digest(whole.sql));
  assert.equal(got.rows, (await digest(before.sql)).rows - BigInt(positions.length));
});
