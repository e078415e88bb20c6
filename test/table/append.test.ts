import assert from "node:assert/strict";
import { test } from "node:test";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { ManifestEntryStatus } from "../../src/manifest/types.ts";
import { Table } from "../../src/table/table.ts";
import { SCHEMA, dataFile, livePaths, newTable } from "./fixtures.ts";

test("fast append adds a snapshot with a new manifest and the parent's manifests unchanged", async () => {
  const { table } = await newTable();
  await table.newFastAppend().appendFile(dataFile("s3://b/d/a.parquet")).commit();
  const first = table.currentSnapshot()!;
  assert.equal(first["sequence-number"], 1n);
  assert.equal(first.summary.operation, "append");
  assert.equal(first["parent-snapshot-id"], undefined);
  const firstManifests = await readManifestList(table.io, first["manifest-list"]!);
  assert.equal(firstManifests.length, 1);

  await table
    .newFastAppend()
    .appendFiles([dataFile("s3://b/d/b.parquet", { day: "2025-01-02" }), dataFile("s3://b/d/c.parquet")])
    .commit();
  const second = table.currentSnapshot()!;
  assert.equal(second["sequence-number"], 2n);
  assert.equal(second["parent-snapshot-id"], first["snapshot-id"]);
  assert.equal(table.metadata["last-sequence-number"], 2n);
  const manifests = await readManifestList(table.io, second["manifest-list"]!);
  assert.equal(manifests.length, 2);
  // The new manifest comes first and carries the new sequence number; the old one is reused verbatim.
  assert.equal(manifests[0].sequenceNumber, 2n);
  assert.equal(manifests[0].addedSnapshotId, second["snapshot-id"]);
  assert.equal(manifests[1].manifestPath, firstManifests[0].manifestPath);
  assert.equal(manifests[1].sequenceNumber, 1n);
  const entries = await readManifest(table.io, manifests[0]);
  assert.deepEqual(
    entries.map((e) => [e.status, e.sequenceNumber, e.snapshotId]),
    [
      [ManifestEntryStatus.Added, 2n, second["snapshot-id"]],
      [ManifestEntryStatus.Added, 2n, second["snapshot-id"]],
    ],
  );
  assert.deepEqual(await livePaths(table), ["s3://b/d/a.parquet", "s3://b/d/b.parquet", "s3://b/d/c.parquet"]);
  // Files live under the table's metadata folder with the spec's naming.
  assert.match(second["manifest-list"]!, /\/metadata\/snap-\d+-1-[0-9a-f-]+\.avro$/);
  assert.match(manifests[0].manifestPath, /\/metadata\/[0-9a-f-]+-m0\.avro$/);
});

test("summary counts the added files and carries totals from the parent", async () => {
  const { table } = await newTable();
  await table
    .newAppend()
    .appendFile(dataFile("a.parquet", { records: 100n, size: 4000n }))
    .appendFile(dataFile("b.parquet", { records: 50n, size: 2000n, day: "2025-01-02" }))
    .set("writer", "test")
    .commit();
  const s1 = table.currentSnapshot()!.summary;
  assert.equal(s1.operation, "append");
  assert.equal(s1["added-data-files"], "2");
  assert.equal(s1["added-records"], "150");
  assert.equal(s1["added-files-size"], "6000");
  assert.equal(s1["changed-partition-count"], "2");
  assert.equal(s1["total-data-files"], "2");
  assert.equal(s1["total-records"], "150");
  assert.equal(s1["total-files-size"], "6000");
  assert.equal(s1["total-delete-files"], "0");
  assert.equal(s1["total-position-deletes"], "0");
  assert.equal(s1["total-equality-deletes"], "0");
  assert.equal(s1.writer, "test");
  assert.equal(s1["deleted-data-files"], undefined, "zero counters are omitted");

  await table
    .newAppend()
    .appendFile(dataFile("c.parquet", { records: 10n, size: 400n }))
    .commit();
  const s2 = table.currentSnapshot()!.summary;
  assert.equal(s2["added-data-files"], "1");
  assert.equal(s2["total-data-files"], "3");
  assert.equal(s2["total-records"], "160");
  assert.equal(s2["total-files-size"], "6400");
  assert.equal(s2["changed-partition-count"], "1");
  assert.equal(s2.writer, undefined, "custom properties belong to one snapshot");
});

test("appending to a branch leaves main alone and creates the branch", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("main-1.parquet")).commit();
  const mainId = table.currentSnapshot()!["snapshot-id"];
  await table.newFastAppend().appendFile(dataFile("audit-1.parquet")).toBranch("audit").commit();
  assert.equal(table.currentSnapshot()!["snapshot-id"], mainId);
  const audit = table.snapshotByRef("audit")!;
  assert.equal(table.refs().audit.type, "branch");
  assert.equal(audit["parent-snapshot-id"], mainId, "a new branch forks from main's head");
  assert.deepEqual(await livePaths(table, "audit"), ["audit-1.parquet", "main-1.parquet"]);
  assert.deepEqual(await livePaths(table), ["main-1.parquet"]);
  await table.newFastAppend().appendFile(dataFile("audit-2.parquet")).toBranch("audit").commit();
  assert.equal(table.snapshotByRef("audit")!["parent-snapshot-id"], audit["snapshot-id"]);
  assert.equal(table.snapshotByRef("audit")!["sequence-number"], 3n);
});

test("appending to a tag is refused", async () => {
  const { table } = await newTable();
  await table.newAppend().appendFile(dataFile("a.parquet")).commit();
  await table.manageSnapshots().createTag("v1").commit();
  await assert.rejects(table.newAppend().appendFile(dataFile("b.parquet")).toBranch("v1").commit(), /v1: it is a tag/);
});

test("a delete file cannot be appended as data and partition arity is checked", async () => {
  const { table } = await newTable();
  assert.throws(() => table.newAppend().appendFile({ ...dataFile("d.parquet"), content: 1 }), /only data files/);
  await assert.rejects(
    table
      .newAppend()
      .appendFile(dataFile("x.parquet", { partition: [] }))
      .commit(),
    /0 partition values but spec 0 has 1 fields/,
  );
  assert.equal(table.currentSnapshot(), null);
});

test("merge append bounds the manifest count and keeps entry sequence numbers", async () => {
  const { table } = await newTable({ properties: { "commit.manifest.min-count-to-merge": "3" } });
  const counts: number[] = [];
  for (let i = 0; i < 10; i++) {
    await table
      .newAppend()
      .appendFile(dataFile(`f${i}.parquet`))
      .commit();
    counts.push((await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!)).length);
  }
  assert.ok(Math.max(...counts) < 3, `manifest counts ${counts}`);
  assert.deepEqual(counts.slice(0, 3), [1, 2, 1], "the third commit reaches min-count and merges");
  assert.equal((await livePaths(table)).length, 10);
  const snapshot = table.currentSnapshot()!;
  assert.equal(snapshot.summary["total-data-files"], "10");
  // Merged entries keep the sequence number of the commit that added them.
  const bySequence = new Map<string, bigint | null>();
  for (const manifest of await readManifestList(table.io, snapshot["manifest-list"]!)) {
    for (const entry of await readManifest(table.io, manifest)) {
      bySequence.set(entry.dataFile.filePath, entry.sequenceNumber);
      // ADDED only in the manifest written by the snapshot that added the file; EXISTING once merged later.
      const expected =
        entry.snapshotId === manifest.addedSnapshotId ? ManifestEntryStatus.Added : ManifestEntryStatus.Existing;
      assert.equal(entry.status, expected);
    }
  }
  for (let i = 0; i < 10; i++) assert.equal(bySequence.get(`f${i}.parquet`), BigInt(i + 1));
  const merged = table.snapshots().find((s) => s["sequence-number"] === 3n)!;
  assert.equal(merged.summary["manifests-created"], "1");
  assert.equal(merged.summary["manifests-replaced"], "2");
});

test("fast append never merges, and merging can be switched off", async () => {
  const props = { "commit.manifest.min-count-to-merge": "2" };
  const fast = (await newTable({ properties: props })).table;
  for (let i = 0; i < 4; i++)
    await fast
      .newFastAppend()
      .appendFile(dataFile(`f${i}.parquet`))
      .commit();
  assert.equal((await readManifestList(fast.io, fast.currentSnapshot()!["manifest-list"]!)).length, 4);

  const off = (await newTable({ properties: { ...props, "commit.manifest-merge.enabled": "false" } })).table;
  for (let i = 0; i < 4; i++)
    await off
      .newAppend()
      .appendFile(dataFile(`f${i}.parquet`))
      .commit();
  assert.equal((await readManifestList(off.io, off.currentSnapshot()!["manifest-list"]!)).length, 4);
});

test("merging respects the target manifest size", async () => {
  const { table } = await newTable({
    properties: { "commit.manifest.min-count-to-merge": "2", "commit.manifest.target-size-bytes": "1" },
  });
  // Every manifest is bigger than the 1-byte target, so each sits in a bin of its own: nothing merges.
  for (let i = 0; i < 4; i++)
    await table
      .newAppend()
      .appendFile(dataFile(`f${i}.parquet`))
      .commit();
  assert.equal((await readManifestList(table.io, table.currentSnapshot()!["manifest-list"]!)).length, 4);
});

test("snapshots are not written into format v1 tables (floe writes v2 manifests only)", async () => {
  const { catalog } = await newTable();
  const loaded = await catalog.createTable(
    { namespace: ["clicks"], name: "legacy" },
    { schema: SCHEMA, formatVersion: 1 },
  );
  const legacy = new Table(catalog, loaded);
  await assert.rejects(
    legacy
      .newAppend()
      .appendFile(dataFile("a.parquet", { partition: [] }))
      .commit(),
    {
      kind: "unsupported",
    },
  );
  assert.equal((await Table.load(catalog, legacy.identifier)).currentSnapshot(), null);
});
