import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadedTable } from "../../src/catalog/catalog.ts";
import { type SwapMetadataPointer, commitTable, droppedMetadataFiles } from "../../src/catalog/commit-table.ts";
import { alreadyExists, isFloeError } from "../../src/core/errors.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import { EVENTS_SCHEMA, assertRejectsKind } from "./conformance.ts";

const identifier = { namespace: ["web"], name: "events" };
const LOCATION = "memory://wh/web/events";

/** A pointer held in a variable, swapped the way every catalog must: only from the expected value. */
function pointer() {
  const state: { location: string | null; swaps: number } = { location: null, swaps: 0 };
  const swap: SwapMetadataPointer = async (expected, next) => {
    if (state.location !== expected) return false;
    state.location = next;
    state.swaps += 1;
    return true;
  };
  return { state, swap };
}

async function metadataFiles(io: MemoryFileIO): Promise<string[]> {
  const files: string[] = [];
  for await (const file of io.list(`${LOCATION}/metadata/`)) files.push(file.path);
  return files;
}

async function created(io: MemoryFileIO, swap: SwapMetadataPointer, properties: Record<string, string> = {}) {
  return commitTable({
    identifier,
    io,
    current: null,
    createBase: newTableMetadata({ schema: EVENTS_SCHEMA, location: LOCATION, properties }),
    requirements: [{ type: "assert-create" }],
    updates: [],
    swap,
  });
}

const setProperty = (io: MemoryFileIO, swap: SwapMetadataPointer, current: LoadedTable, value: string) =>
  commitTable({
    identifier,
    io,
    current,
    requirements: [],
    updates: [{ action: "set-properties", updates: { n: value } }],
    swap,
    nowMs: Date.now(),
  });

test("a create writes version 0 and swaps from no table", async () => {
  const io = new MemoryFileIO();
  const { state, swap } = pointer();
  const table = await created(io, swap);
  assert.equal(state.location, table.metadataLocation);
  assert.match(table.metadataLocation, /^memory:\/\/wh\/web\/events\/metadata\/00000-[0-9a-f-]{36}\.metadata\.json$/);
  assert.deepEqual(await metadataFiles(io), [table.metadataLocation]);
  assert.deepEqual(table.metadata["metadata-log"], []);
});

test("a commit from a stale table fails with a retryable commit-conflict and deletes the file it wrote", async () => {
  const io = new MemoryFileIO();
  const { state, swap } = pointer();
  const v0 = await created(io, swap);
  const v1 = await setProperty(io, swap, v0, "1");
  assert.equal(state.location, v1.metadataLocation);
  assert.equal(v1.metadata["metadata-log"].at(-1)?.["metadata-file"], v0.metadataLocation);
  await assert.rejects(setProperty(io, swap, v0, "stale"), (error: unknown) => {
    assert.ok(isFloeError(error, "commit-conflict"), String(error));
    assert.equal(error.retryable, true);
    assert.ok(error.message.includes("web.events"), error.message);
    assert.ok(error.message.includes(v0.metadataLocation), error.message);
    return true;
  });
  assert.equal(state.location, v1.metadataLocation);
  assert.equal(state.swaps, 2);
  assert.deepEqual((await metadataFiles(io)).sort(), [v0.metadataLocation, v1.metadataLocation].sort());
});

test("a failing requirement writes nothing; a losing create removes its file", async () => {
  const io = new MemoryFileIO();
  const { swap } = pointer();
  const v0 = await created(io, swap);
  await assertRejectsKind(
    commitTable({
      identifier,
      io,
      current: v0,
      requirements: [{ type: "assert-default-spec-id", "default-spec-id": 7 }],
      updates: [{ action: "set-properties", updates: { a: "b" } }],
      swap,
    }),
    "commit-conflict",
    "assert-default-spec-id",
  );
  // A second create passes its requirements (it saw no table) but loses the swap; its file goes.
  await assertRejectsKind(created(io, swap), "commit-conflict", "expected no table");
  assert.deepEqual(await metadataFiles(io), [v0.metadataLocation]);
});

test("a swap that reports already-exists leaves no file; an unknown swap failure keeps it", async () => {
  const io = new MemoryFileIO();
  const { swap } = pointer();
  const v0 = await created(io, swap);
  await assertRejectsKind(
    created(io, async () => {
      throw alreadyExists("table web.events exists");
    }),
    "already-exists",
  );
  assert.deepEqual(await metadataFiles(io), [v0.metadataLocation]);
  await assert.rejects(
    setProperty(
      io,
      async () => {
        throw new Error("connection reset");
      },
      v0,
      "x",
    ),
    /connection reset/,
  );
  assert.equal((await metadataFiles(io)).length, 2, "the commit may have landed, so its file must stay");
});

test("updates that change nothing write no new file", async () => {
  const io = new MemoryFileIO();
  const { state, swap } = pointer();
  const v0 = await created(io, swap, { n: "same" });
  const again = await setProperty(io, swap, v0, "same");
  assert.equal(again.metadataLocation, v0.metadataLocation);
  const empty = await commitTable({ identifier, io, current: v0, requirements: [], updates: [], swap });
  assert.equal(empty, v0);
  assert.equal(state.swaps, 1);
  assert.deepEqual(await metadataFiles(io), [v0.metadataLocation]);
});

test("delete-after-commit removes exactly the files dropped from the metadata log", async () => {
  const io = new MemoryFileIO();
  const { swap } = pointer();
  let table = await created(io, swap, {
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "2",
  });
  const locations = [table.metadataLocation];
  for (let i = 1; i <= 4; i += 1) {
    table = await setProperty(io, swap, table, String(i));
    locations.push(table.metadataLocation);
  }
  assert.deepEqual(
    table.metadata["metadata-log"].map((entry) => entry["metadata-file"]),
    locations.slice(2, 4),
  );
  assert.deepEqual((await metadataFiles(io)).sort(), locations.slice(2).sort());
  assert.deepEqual(
    locations.map((location) => location.split("/").at(-1)?.slice(0, 5)),
    ["00000", "00001", "00002", "00003", "00004"],
  );
});

test("droppedMetadataFiles lists entries of the old log missing from the new one", () => {
  const base = newTableMetadata({ schema: EVENTS_SCHEMA, location: LOCATION });
  const log = (...files: string[]) => files.map((file, i) => ({ "timestamp-ms": i, "metadata-file": file }));
  assert.deepEqual(
    droppedMetadataFiles({ ...base, "metadata-log": log("a", "b", "c") }, { ...base, "metadata-log": log("c", "d") }),
    ["a", "b"],
  );
  assert.deepEqual(
    droppedMetadataFiles({ ...base, "metadata-log": log("a") }, { ...base, "metadata-log": log("a", "b") }),
    [],
  );
});
