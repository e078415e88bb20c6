import assert from "node:assert/strict";
import { test } from "node:test";
import { dataFile, livePaths, newTable } from "./fixtures.ts";

async function history(count: number) {
  const setup = await newTable();
  const ids: bigint[] = [];
  for (let i = 0; i < count; i++) {
    await setup.table
      .newFastAppend()
      .appendFile(dataFile(`f${i}.parquet`))
      .commit();
    ids.push(setup.table.currentSnapshot()!["snapshot-id"]);
  }
  return { ...setup, ids };
}

test("expire by count keeps the newest snapshots and reports the unreferenced manifest lists", async () => {
  const { table, ids } = await history(5);
  const lists = ids.map((id) => table.snapshot(id)!["manifest-list"]!);
  const result = await table
    .expireSnapshots()
    .expireOlderThan(Date.now() + 1000)
    .retainLast(2)
    .commitWithResult();
  assert.deepEqual(result.expiredSnapshotIds, ids.slice(0, 3));
  assert.deepEqual(
    table.snapshots().map((s) => s["snapshot-id"]),
    ids.slice(3),
  );
  assert.deepEqual(result.manifestLists.sort(), lists.slice(0, 3).sort());
  // Fast appends reuse every older manifest, so no manifest or data file became unreferenced.
  assert.deepEqual(result.manifests, []);
  assert.deepEqual(result.dataFiles, []);
  assert.equal((await livePaths(table)).length, 5);
});

test("expiry honours refs: a tagged snapshot survives, and removed files are reported", async () => {
  const { table, ids } = await history(3);
  await table.manageSnapshots().createTag("keep", ids[0]).commit();
  await table.newDelete().deleteFile("f1.parquet").commit();
  const deleteId = table.currentSnapshot()!["snapshot-id"];
  const result = await table
    .expireSnapshots()
    .expireOlderThan(Date.now() + 1000)
    .retainLast(1)
    .commitWithResult();
  assert.deepEqual(result.expiredSnapshotIds, [ids[1], ids[2]]);
  assert.deepEqual(
    table
      .snapshots()
      .map((s) => s["snapshot-id"])
      .sort(),
    [ids[0], deleteId].sort(),
  );
  // f1 was added by an expired snapshot and removed by the kept delete: no kept snapshot reads it.
  assert.deepEqual(result.dataFiles, ["f1.parquet"]);
  assert.equal(table.refs().keep["snapshot-id"], ids[0]);
});

test("expired tags go with their max-ref-age, explicit ids too, and the current snapshot never", async () => {
  const { table, ids } = await history(3);
  await table.manageSnapshots().createTag("old", ids[0], { maxRefAgeMs: 1 }).commit();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await table.expireSnapshots().expireSnapshotId(ids[1]).commit();
  assert.equal(table.refs().old, undefined);
  assert.deepEqual(
    table.snapshots().map((s) => s["snapshot-id"]),
    [ids[0], ids[2]],
  );
  await assert.rejects(table.expireSnapshots().expireSnapshotId(ids[2]).commit(), /still referenced/);
});
