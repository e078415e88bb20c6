// The local cache of remote data files: local files pass through, remote ones are fetched once,
// the least recently used copies go when the byte budget is exceeded, and copies survive a restart.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { FileCache } from "../../src/engine/read/file-cache.ts";
import type { FileIO } from "../../src/io/file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { tempDir } from "./read-fixtures.ts";

const { dir, cleanup } = tempDir("file-cache");
after(cleanup);

/** A MemoryFileIO that counts whole-file reads. */
function countingIO(): { io: FileIO; reads: string[] } {
  const memory = new MemoryFileIO();
  const reads: string[] = [];
  const io: FileIO = Object.assign(Object.create(memory) as FileIO, {
    read: async (p: string) => {
      reads.push(p);
      return memory.read(p);
    },
  });
  return { io, reads };
}

test("local locations are read in place; remote ones are fetched once and reused", async () => {
  const { io, reads } = countingIO();
  await io.write("memory://b/a.parquet", new Uint8Array(100).fill(1));
  const cache = new FileCache({ directory: path.join(dir, "one"), maxBytes: 1000 });
  const [local, remote] = await cache.localPaths(io, ["file:///data/x.parquet", "memory://b/a.parquet"]);
  assert.equal(local, "/data/x.parquet");
  assert.deepEqual([...readFileSync(remote)], new Array(100).fill(1));
  const [again] = await cache.localPaths(io, ["memory://b/a.parquet"]);
  assert.equal(again, remote);
  assert.deepEqual(reads, ["memory://b/a.parquet"]);
  assert.equal(cache.size, 100);
});

test("the least recently used copies are evicted beyond the byte budget, never those of the current read", async () => {
  const { io } = countingIO();
  for (const name of ["a", "b", "c"]) await io.write(`memory://b/${name}`, new Uint8Array(40));
  const cache = new FileCache({ directory: path.join(dir, "two"), maxBytes: 100 });
  const [a] = await cache.localPaths(io, ["memory://b/a"]);
  const [b] = await cache.localPaths(io, ["memory://b/b"]);
  await cache.localPaths(io, ["memory://b/a"]); // a is now more recent than b
  const [c] = await cache.localPaths(io, ["memory://b/c"]);
  assert.ok(existsSync(a) && existsSync(c));
  assert.ok(!existsSync(b), "b was the least recently used");
  assert.equal(cache.size, 80);
  // One read needing more than the budget keeps all of its files.
  const all = await cache.localPaths(io, ["memory://b/a", "memory://b/b", "memory://b/c"]);
  assert.ok(all.every((p) => existsSync(p)));
  // A new cache over the same directory finds the copies.
  const reopened = new FileCache({ directory: path.join(dir, "two"), maxBytes: 100 });
  assert.equal(reopened.size, cache.size);
});
