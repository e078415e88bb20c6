import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { planScan, selectSnapshot } from "../../src/scan/index.ts";
import { dataFile, newTable, taskPaths, tick } from "./fixtures.ts";

/** A table with three appends (a; a,b; a,b,c), a tag on the first and a branch off the second. */
async function historyTable() {
  const { table, io } = await newTable();
  await table.newFastAppend().appendFile(dataFile("a.parquet")).commit();
  const s1 = table.currentSnapshot()!;
  await tick();
  await table.newFastAppend().appendFile(dataFile("b.parquet")).commit();
  const s2 = table.currentSnapshot()!;
  await tick();
  await table.newFastAppend().appendFile(dataFile("c.parquet")).commit();
  const s3 = table.currentSnapshot()!;
  await table.manageSnapshots().createTag("v1", s1["snapshot-id"]).createBranch("audit", s2["snapshot-id"]).commit();
  await table.newFastAppend().appendFile(dataFile("audit-only.parquet")).toBranch("audit").commit();
  return { table, io, s1, s2, s3 };
}

test("the default is the current snapshot; an empty table plans nothing", async () => {
  const { table, io, s3 } = await historyTable();
  assert.equal(selectSnapshot(table.metadata, {})!["snapshot-id"], s3["snapshot-id"]);
  const plan = await planScan(io, table.metadata);
  assert.deepEqual(taskPaths(plan.tasks), ["a.parquet", "b.parquet", "c.parquet"]);

  const empty = await newTable();
  assert.equal(selectSnapshot(empty.table.metadata, {}), null);
  const emptyPlan = await planScan(empty.io, empty.table.metadata);
  assert.equal(emptyPlan.snapshot, null);
  assert.deepEqual(emptyPlan.tasks, []);
  assert.equal(emptyPlan.explain.snapshotId, null);
});

test("time travel by snapshot id reads that snapshot's files; an unknown id is not-found naming it", async () => {
  const { table, io, s1, s2 } = await historyTable();
  assert.deepEqual(taskPaths((await planScan(io, table.metadata, { snapshotId: s1["snapshot-id"] })).tasks), [
    "a.parquet",
  ]);
  const plan = await planScan(io, table.metadata, { snapshotId: s2["snapshot-id"] });
  assert.equal(plan.snapshot!["snapshot-id"], s2["snapshot-id"]);
  assert.deepEqual(taskPaths(plan.tasks), ["a.parquet", "b.parquet"]);
  assert.throws(
    () => selectSnapshot(table.metadata, { snapshotId: 12345n }),
    (e: unknown) => isFloeError(e, "not-found") && /snapshot 12345 does not exist/.test(e.message),
  );
});

test("refs: a tag and a branch select their snapshots; an unknown ref is not-found naming it", async () => {
  const { table, io, s1 } = await historyTable();
  assert.equal(selectSnapshot(table.metadata, { ref: "v1" })!["snapshot-id"], s1["snapshot-id"]);
  assert.deepEqual(taskPaths((await planScan(io, table.metadata, { ref: "v1" })).tasks), ["a.parquet"]);
  assert.deepEqual(taskPaths((await planScan(io, table.metadata, { ref: "audit" })).tasks), [
    "a.parquet",
    "audit-only.parquet",
    "b.parquet",
  ]);
  assert.deepEqual(taskPaths((await planScan(io, table.metadata, { ref: "main" })).tasks), [
    "a.parquet",
    "b.parquet",
    "c.parquet",
  ]);
  assert.throws(
    () => selectSnapshot(table.metadata, { ref: "nope" }),
    (e: unknown) => isFloeError(e, "not-found") && /no branch or tag named nope/.test(e.message),
  );
});

test("as-of timestamp picks the snapshot current at that time per the snapshot log", async () => {
  const { table, io, s1, s2, s3 } = await historyTable();
  const log = table.metadata["snapshot-log"];
  const at = (id: bigint) => log.find((entry) => entry["snapshot-id"] === id)!["timestamp-ms"];
  assert.ok(at(s1["snapshot-id"]) < at(s2["snapshot-id"]) && at(s2["snapshot-id"]) < at(s3["snapshot-id"]));

  assert.equal(
    selectSnapshot(table.metadata, { asOfTimestampMs: at(s1["snapshot-id"]) })!["snapshot-id"],
    s1["snapshot-id"],
  );
  // Between the second and third commit the second was current.
  assert.equal(
    selectSnapshot(table.metadata, { asOfTimestampMs: at(s3["snapshot-id"]) - 1 })!["snapshot-id"],
    s2["snapshot-id"],
  );
  const plan = await planScan(io, table.metadata, { asOfTimestampMs: at(s2["snapshot-id"]) });
  assert.deepEqual(taskPaths(plan.tasks), ["a.parquet", "b.parquet"]);
  // Long after: the current one (branch commits do not enter the main snapshot log).
  assert.equal(
    selectSnapshot(table.metadata, { asOfTimestampMs: Date.now() + 60_000 })!["snapshot-id"],
    s3["snapshot-id"],
  );
});

test("as-of a time before the first snapshot is a not-found error naming the time", async () => {
  const { table, s1 } = await historyTable();
  const first = table.metadata["snapshot-log"][0]["timestamp-ms"];
  assert.equal(table.metadata["snapshot-log"][0]["snapshot-id"], s1["snapshot-id"]);
  assert.throws(
    () => selectSnapshot(table.metadata, { asOfTimestampMs: first - 1 }),
    (e: unknown) =>
      isFloeError(e, "not-found") &&
      e.message.includes(`no snapshot was current at ${first - 1}`) &&
      e.message.includes("first"),
  );
});

test("choosing the snapshot two ways at once is bad input", async () => {
  const { table, s1 } = await historyTable();
  assert.throws(
    () => selectSnapshot(table.metadata, { snapshotId: s1["snapshot-id"], ref: "main" }),
    (e: unknown) => isFloeError(e, "bad-input") && /snapshotId and ref/.test(e.message),
  );
});

test("time travel reads with the snapshot's schema; a branch and the current state with the table's", async () => {
  const { table, io } = await newTable();
  await table.newFastAppend().appendFile(dataFile("old.parquet")).commit();
  const before = table.currentSnapshot()!;
  await table.manageSnapshots().createBranch("dev").createTag("before", before["snapshot-id"]).commit();
  await table.updateSchema().renameColumn("page", "url").commit();
  await table.newFastAppend().appendFile(dataFile("new.parquet")).commit();

  const old = await planScan(io, table.metadata, { snapshotId: before["snapshot-id"] });
  assert.equal(old.schema["schema-id"], 0);
  assert.ok(old.schema.fields.some((f) => f.name === "page"));
  // The old name binds against the old schema, and the new name does not.
  await planScan(io, table.metadata, { snapshotId: before["snapshot-id"], filter: { op: "is-null", term: "page" } });
  await assert.rejects(
    planScan(io, table.metadata, { snapshotId: before["snapshot-id"], filter: { op: "is-null", term: "url" } }),
    (e: unknown) => isFloeError(e, "validation") && /url/.test(e.message),
  );
  assert.equal((await planScan(io, table.metadata, { ref: "before" })).schema["schema-id"], 0);
  assert.equal((await planScan(io, table.metadata, { ref: "dev" })).schema["schema-id"], 1);
  assert.equal((await planScan(io, table.metadata)).schema["schema-id"], 1);
});

test("selected columns are checked against the scan schema and kept on the plan", async () => {
  const { table, io } = await newTable();
  await table.newFastAppend().appendFile(dataFile("a.parquet")).commit();
  const plan = await planScan(io, table.metadata, { select: ["element_id", "page"] });
  assert.deepEqual(plan.select, ["element_id", "page"]);
  await assert.rejects(
    planScan(io, table.metadata, { select: ["nope"] }),
    (e: unknown) => isFloeError(e, "validation") && /selected column nope/.test(e.message),
  );
});
