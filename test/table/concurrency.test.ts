import assert from "node:assert/strict";
import { test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import type { FloeError } from "../../src/core/errors.ts";
import { and, greaterThanOrEqual, lessThan } from "../../src/expr/expressions.ts";
import { backoffMs, retryPolicyFromProperties } from "../../src/table/commit-retry.ts";
import { Table } from "../../src/table/table.ts";
import { dataFile, livePaths, newTable } from "./fixtures.ts";

const FAST_RETRY = { "commit.retry.min-wait-ms": "1", "commit.retry.max-wait-ms": "20" };
const jan1 = and(
  greaterThanOrEqual("event_time", "2025-01-01T00:00:00"),
  lessThan("event_time", "2025-01-02T00:00:00"),
);

test("an append from a stale handle retries on top of the concurrent append; both survive", async () => {
  const { catalog, table: a } = await newTable({ properties: FAST_RETRY });
  await a.newAppend().appendFile(dataFile("base.parquet")).commit();
  const b = await Table.load(catalog, a.identifier);
  await b.newAppend().appendFile(dataFile("from-b.parquet")).commit();
  // a still believes base is the head: its first attempt conflicts, the retry builds on b's snapshot.
  await a.newAppend().appendFile(dataFile("from-a.parquet")).commit();
  const head = a.currentSnapshot()!;
  assert.match(head["manifest-list"]!, /snap-\d+-2-/, "committed on the second attempt");
  assert.equal(head["parent-snapshot-id"], b.currentSnapshot()!["snapshot-id"]);
  assert.equal(head["sequence-number"], 3n);
  assert.equal(head.summary["total-data-files"], "3");
  assert.deepEqual(await livePaths(a), ["base.parquet", "from-a.parquet", "from-b.parquet"]);
  // The first attempt's manifest list was deleted; the manifest it wrote was reused by the retry.
  const files: string[] = [];
  for await (const info of a.io.list(`${a.location()}/metadata/`)) files.push(info.path);
  assert.equal(files.filter((p) => p.includes(`snap-${head["snapshot-id"]}-`)).length, 1);
});

test("many appends started at once in one process all land exactly once", async () => {
  const { catalog, table } = await newTable({ properties: { ...FAST_RETRY, "commit.retry.num-retries": "20" } });
  const handles = await Promise.all(Array.from({ length: 6 }, () => Table.load(catalog, table.identifier)));
  await Promise.all(
    handles.map((h, i) =>
      h
        .newAppend()
        .appendFile(dataFile(`w${i}.parquet`))
        .commit(),
    ),
  );
  await table.refresh();
  assert.deepEqual(await livePaths(table), [
    "w0.parquet",
    "w1.parquet",
    "w2.parquet",
    "w3.parquet",
    "w4.parquet",
    "w5.parquet",
  ]);
  assert.equal(table.snapshots().length, 6);
  assert.deepEqual(
    table
      .snapshots()
      .map((s) => s["sequence-number"])
      .sort(),
    [1n, 2n, 3n, 4n, 5n, 6n],
  );
  assert.equal(table.currentSnapshot()!.summary["total-data-files"], "6");
});

test("an overwrite whose filter matches a concurrently appended file fails, naming it", async () => {
  const { catalog, table: a } = await newTable({ properties: FAST_RETRY });
  await a.newAppend().appendFile(dataFile("jan1-old.parquet")).commit();
  const overwrite = a.newOverwrite().overwriteByFilter(jan1).addFile(dataFile("jan1-new.parquet"));
  const b = await Table.load(catalog, a.identifier);
  await b.newAppend().appendFile(dataFile("jan1-late.parquet")).commit();
  const late = b.currentSnapshot()!["snapshot-id"];
  await assert.rejects(overwrite.commit(), (error: FloeError) => {
    assert.equal(error.kind, "validation");
    assert.equal(error.retryable, false);
    assert.match(error.message, new RegExp(`snapshot ${late} \\(append\\)`));
    assert.match(error.message, /jan1-late\.parquet/);
    return true;
  });
  await a.refresh();
  assert.deepEqual(await livePaths(a), ["jan1-late.parquet", "jan1-old.parquet"]);
  // Nothing the failed overwrite wrote is left behind.
  const files: string[] = [];
  for await (const info of a.io.list(`${a.location()}/metadata/`)) files.push(info.path);
  assert.ok(!files.some((p) => p.includes(`snap-${overwrite.snapshotId}-`)));
});

test("the same conflict is detected when the handle itself saw the concurrent append", async () => {
  const { table } = await newTable({ properties: FAST_RETRY });
  await table.newAppend().appendFile(dataFile("jan1-old.parquet")).commit();
  const del = table.newDelete().deleteFromFilter(jan1);
  await table.newAppend().appendFile(dataFile("jan1-late.parquet")).commit();
  await assert.rejects(del.commit(), /conflicts with snapshot \d+ \(append\).*jan1-late\.parquet/);
});

test("an overwrite is not bothered by a concurrent append elsewhere", async () => {
  const { catalog, table: a } = await newTable({ properties: FAST_RETRY });
  await a.newAppend().appendFile(dataFile("jan1-old.parquet")).commit();
  const overwrite = a.newOverwrite().overwriteByFilter(jan1).addFile(dataFile("jan1-new.parquet"));
  const b = await Table.load(catalog, a.identifier);
  await b
    .newAppend()
    .appendFile(dataFile("jan5.parquet", { day: "2025-01-05" }))
    .commit();
  await overwrite.commit();
  assert.deepEqual(await livePaths(a), ["jan1-new.parquet", "jan5.parquet"]);
});

test("a concurrent delete of a file this delete removes is a conflict", async () => {
  const { catalog, table: a } = await newTable({ properties: FAST_RETRY });
  await a
    .newAppend()
    .appendFiles([dataFile("x.parquet"), dataFile("y.parquet")])
    .commit();
  const mine = a.newDelete().deleteFile("x.parquet");
  const b = await Table.load(catalog, a.identifier);
  await b.newDelete().deleteFile("x.parquet").commit();
  await assert.rejects(
    mine.commit(),
    /\(delete\) committed since snapshot \d+: it already removed data file x\.parquet/,
  );
});

/** A catalog whose every commit is preceded by another writer's append: each attempt really conflicts. */
function contendedCatalog(inner: Catalog, rival: () => Promise<unknown>): { catalog: Catalog; attempts: () => number } {
  let attempts = 0;
  const catalog = Object.create(inner) as Catalog;
  catalog.commitTable = async (identifier, requirements, updates) => {
    attempts++;
    await rival();
    return inner.commitTable(identifier, requirements, updates);
  };
  return { catalog, attempts: () => attempts };
}

test("retries stop after commit.retry.num-retries and the failed action cleans up", async () => {
  const { catalog: inner, table } = await newTable({
    properties: { ...FAST_RETRY, "commit.retry.num-retries": "2" },
  });
  const rivalTable = await Table.load(inner, table.identifier);
  let n = 0;
  const { catalog, attempts } = contendedCatalog(inner, () =>
    rivalTable
      .newFastAppend()
      .appendFile(dataFile(`rival-${n++}.parquet`))
      .commit(),
  );
  const victim = await Table.load(catalog, table.identifier);
  const append = victim.newAppend().appendFile(dataFile("victim.parquet"));
  await assert.rejects(append.commit(), (error: FloeError) => error.kind === "commit-conflict");
  assert.equal(attempts(), 3, "one attempt plus two retries");
  await table.refresh();
  assert.ok(!(await livePaths(table)).includes("victim.parquet"));
  const files: string[] = [];
  for await (const info of table.io.list(`${table.location()}/metadata/`)) files.push(info.path);
  assert.ok(!files.some((p) => p.includes(`snap-${append.snapshotId}-`)), "manifest lists of every attempt deleted");
  assert.equal(files.filter((p) => p.endsWith(".avro")).length, 3 * 2, "only the rivals' manifests and lists remain");
});

test("retry policy comes from the table properties, with exponential capped backoff", () => {
  const policy = retryPolicyFromProperties({
    "commit.retry.num-retries": "7",
    "commit.retry.min-wait-ms": "100",
    "commit.retry.max-wait-ms": "500",
    "commit.retry.total-timeout-ms": "9000",
  });
  assert.deepEqual(policy, { numRetries: 7, minWaitMs: 100, maxWaitMs: 500, totalTimeoutMs: 9000 });
  for (const [retry, base] of [
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 500],
    [9, 500],
  ]) {
    const wait = backoffMs(policy, retry);
    assert.ok(wait >= base && wait <= base * 1.1, `retry ${retry}: ${wait}`);
  }
  assert.deepEqual(retryPolicyFromProperties({}), {
    numRetries: 4,
    minWaitMs: 100,
    maxWaitMs: 60000,
    totalTimeoutMs: 1800000,
  });
});
