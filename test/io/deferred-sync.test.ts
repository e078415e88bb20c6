import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { deferSync, deferredWriteCount, syncDeferredWrites } from "../../src/io/deferred-sync.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { type DataFile, DataFileContent } from "../../src/manifest/types.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "floe-deferred-sync-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("a local write is recorded for the next barrier, and the barrier takes it", async () => {
  await syncDeferredWrites();
  const io = new LocalFileIO();
  const file = path.join(dir, "a", "one.bin");
  await io.write(file, new Uint8Array([1, 2, 3]));
  assert.equal(deferredWriteCount(), 1);
  // The file is complete under its final name before any barrier: writes stay atomic.
  assert.deepEqual([...(await readFile(file))], [1, 2, 3]);
  await syncDeferredWrites();
  assert.equal(deferredWriteCount(), 0);
});

test("a recorded file deleted before the barrier is skipped, not an error", async () => {
  const io = new LocalFileIO();
  const file = path.join(dir, "gone.bin");
  await io.write(file, new Uint8Array([9]));
  await io.delete(file);
  await syncDeferredWrites();
  assert.equal(deferredWriteCount(), 0);
});

test("a path that cannot be opened fails the barrier with an io error", async () => {
  deferSync(path.join(dir, "not-a-dir.bin", "child"));
  await new LocalFileIO().write(path.join(dir, "not-a-dir.bin"), new Uint8Array([1]));
  await assert.rejects(syncDeferredWrites(), (error: Error & { kind?: string }) => error.kind === "io");
  assert.equal(deferredWriteCount(), 0);
});

test("a second barrier waits for one already running that took its files", async () => {
  const io = new LocalFileIO();
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => io.write(path.join(dir, "many", `${i}.bin`), new Uint8Array(4096))),
  );
  const first = syncDeferredWrites();
  let firstDone = false;
  first.then(() => {
    firstDone = true;
  });
  // Nothing is pending any more, yet the second barrier must not return before the first.
  assert.equal(deferredWriteCount(), 0);
  await syncDeferredWrites();
  assert.equal(firstDone, true);
});

test("a table commit publishes only after the barrier took every file it wrote", async () => {
  const warehouse = path.join(dir, "warehouse");
  const catalog = await openCatalog(`sqlite:${path.join(dir, "catalog.db")}`, { warehouse });
  try {
    await catalog.createNamespace(["db"]);
    const schema: Schema = {
      type: "struct",
      "schema-id": 0,
      fields: [{ id: 1, name: "id", required: true, type: "long" }],
    };
    await catalog.createTable({ namespace: ["db"], name: "t" }, { schema });
    assert.equal(deferredWriteCount(), 0, "createTable left its metadata file outside a barrier");
    const table = await Table.load(catalog, { namespace: ["db"], name: "t" });
    await table.newAppend().appendFile(fileAt(table.location())).commit();
    assert.equal(deferredWriteCount(), 0, "the append published files no barrier took");
  } finally {
    await catalog.close();
  }
});

function fileAt(location: string): DataFile {
  return {
    content: DataFileContent.Data,
    filePath: `${location}/data/f.parquet`,
    fileFormat: "PARQUET",
    partition: [],
    recordCount: 1n,
    fileSizeInBytes: 10n,
  };
}
