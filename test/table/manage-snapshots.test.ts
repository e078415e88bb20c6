import assert from "node:assert/strict";
import { test } from "node:test";
import { dataFile, livePaths, newTable } from "./fixtures.ts";

async function threeAppends() {
  const setup = await newTable();
  const ids: bigint[] = [];
  for (const name of ["a", "b", "c"]) {
    await setup.table
      .newAppend()
      .appendFile(dataFile(`${name}.parquet`))
      .commit();
    ids.push(setup.table.currentSnapshot()!["snapshot-id"]);
  }
  return { ...setup, ids };
}

test("rollback to an ancestor moves main back; a non-ancestor is refused", async () => {
  const { table, ids } = await threeAppends();
  await table.manageSnapshots().rollbackTo(ids[0]).commit();
  assert.equal(table.currentSnapshot()!["snapshot-id"], ids[0]);
  assert.deepEqual(await livePaths(table), ["a.parquet"]);
  assert.equal(table.history().at(-1)!["snapshot-id"], ids[0]);
  // ids[2] is no longer an ancestor of the current snapshot.
  await assert.rejects(table.manageSnapshots().rollbackTo(ids[2]).commit(), /not an ancestor of the current snapshot/);
  // but it can be made current explicitly
  await table.manageSnapshots().setCurrentSnapshot(ids[2]).commit();
  assert.deepEqual(await livePaths(table), ["a.parquet", "b.parquet", "c.parquet"]);
  await assert.rejects(table.manageSnapshots().setCurrentSnapshot(42n).commit(), /snapshot 42 does not exist/);
});

test("rollback to time picks the latest ancestor strictly older than the time", async () => {
  const { table, ids } = await threeAppends();
  const secondTime = table.snapshot(ids[1])!["timestamp-ms"];
  const thirdTime = table.snapshot(ids[2])!["timestamp-ms"];
  const target = secondTime < thirdTime ? ids[1] : ids[0];
  await table.manageSnapshots().rollbackToTime(thirdTime).commit();
  assert.ok(table.snapshot(table.currentSnapshot()!["snapshot-id"])!["timestamp-ms"] < thirdTime);
  assert.equal(table.currentSnapshot()!["snapshot-id"] === target || secondTime === thirdTime, true);
  await assert.rejects(table.manageSnapshots().rollbackToTime(0).commit(), /no ancestor/);
});

test("branches and tags: create, replace, rename, fast-forward, remove", async () => {
  const { table, ids } = await threeAppends();
  await table
    .manageSnapshots()
    .createBranch("dev", ids[0], { minSnapshotsToKeep: 2, maxSnapshotAgeMs: 1000 })
    .createTag("v1", ids[1], { maxRefAgeMs: 5000 })
    .createTag("latest")
    .commit();
  assert.deepEqual(table.refs().dev, {
    "snapshot-id": ids[0],
    type: "branch",
    "min-snapshots-to-keep": 2,
    "max-snapshot-age-ms": 1000,
  });
  assert.deepEqual(table.refs().v1, { "snapshot-id": ids[1], type: "tag", "max-ref-age-ms": 5000 });
  assert.equal(table.refs().latest["snapshot-id"], ids[2]);
  await assert.rejects(table.manageSnapshots().createTag("v1", ids[0]).commit(), { kind: "already-exists" });

  await table.manageSnapshots().fastForward("dev", "main").commit();
  assert.equal(table.refs().dev["snapshot-id"], ids[2]);
  assert.equal(table.refs().dev["min-snapshots-to-keep"], 2, "retention survives moves");
  await table.manageSnapshots().replaceBranch("dev", ids[1]).replaceTag("v1", ids[0]).commit();
  assert.equal(table.refs().dev["snapshot-id"], ids[1]);
  assert.equal(table.refs().v1["snapshot-id"], ids[0]);
  await table.newAppend().appendFile(dataFile("d.parquet")).commit();
  await assert.rejects(table.manageSnapshots().fastForward("main", "dev").commit(), /cannot fast-forward main to dev/);
  await table.manageSnapshots().renameBranch("dev", "staging").commit();
  assert.equal(table.refs().dev, undefined);
  assert.equal(table.refs().staging["snapshot-id"], ids[1]);
  await table.manageSnapshots().removeBranch("staging").removeTag("v1").commit();
  assert.deepEqual(Object.keys(table.refs()).sort(), ["latest", "main"]);
  await assert.rejects(table.manageSnapshots().removeBranch("main").commit(), /main branch cannot be removed/);
  await assert.rejects(table.manageSnapshots().removeTag("latest2").commit(), { kind: "not-found" });
  await assert.rejects(table.manageSnapshots().removeBranch("latest").commit(), /latest is a tag, not a branch/);
});

test("cherry-pick re-applies an append from another branch as a new snapshot", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("base.parquet")).commit();
  await table.newFastAppend().appendFile(dataFile("staged.parquet")).set("wap.id", "w-1").toBranch("audit").commit();
  const staged = table.snapshotByRef("audit")!["snapshot-id"];
  await table.newAppend().appendFile(dataFile("main-2.parquet")).commit();
  await table.manageSnapshots().cherrypick(staged).commit();
  const picked = table.currentSnapshot()!;
  assert.notEqual(picked["snapshot-id"], staged);
  assert.equal(picked.summary.operation, "append");
  assert.equal(picked.summary["source-snapshot-id"], String(staged));
  assert.equal(picked.summary["published-wap-id"], "w-1");
  assert.equal(picked.summary["added-data-files"], "1");
  assert.deepEqual(await livePaths(table), ["base.parquet", "main-2.parquet", "staged.parquet"]);
  await assert.rejects(table.manageSnapshots().cherrypick(staged).commit(), /duplicate cherry-pick/);
});

test("cherry-pick fast-forwards when the snapshot sits on top of main, and refuses non-appends", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("a.parquet")).commit();
  await table.newFastAppend().appendFile(dataFile("b.parquet")).toBranch("audit").commit();
  const staged = table.snapshotByRef("audit")!["snapshot-id"];
  await table.manageSnapshots().cherrypick(staged).commit();
  assert.equal(table.currentSnapshot()!["snapshot-id"], staged);

  await table.newDelete().deleteFile("a.parquet").toBranch("audit").commit();
  const deletion = table.snapshotByRef("audit")!["snapshot-id"];
  await assert.rejects(
    table.manageSnapshots().cherrypick(deletion).commit(),
    new RegExp(`cannot cherry-pick snapshot ${deletion}: its operation is delete; only append snapshots`),
  );
});
