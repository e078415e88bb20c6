import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { bytesOf, paths, runFileIOConformance } from "./conformance.ts";

runFileIOConformance("memory", async () => ({
  io: new MemoryFileIO(),
  root: "memory://conformance/root",
  cleanup: async () => {},
}));

test("each MemoryFileIO instance is its own store", async () => {
  const first = new MemoryFileIO();
  const second = new MemoryFileIO();
  await first.write("memory://a/x", bytesOf("1"));
  assert.equal(await first.exists("memory://a/x"), true);
  assert.equal(await second.exists("memory://a/x"), false);
});

test("MemoryFileIO accepts any location string, so tests can stand in for other stores", async () => {
  const io = new MemoryFileIO();
  await io.write("s3://bucket/table/data/f.parquet", bytesOf("s3"));
  await io.write("/tmp/table/data/f.parquet", bytesOf("local"));
  assert.deepEqual(await io.read("s3://bucket/table/data/f.parquet"), bytesOf("s3"));
  assert.deepEqual(await paths(io, "s3://bucket/"), ["s3://bucket/table/data/f.parquet"]);
  assert.deepEqual(await paths(io, "/tmp/"), ["/tmp/table/data/f.parquet"]);
});

test("a list in progress is not disturbed by writes and deletes", async () => {
  const io = new MemoryFileIO();
  for (const name of ["a", "b", "c"]) await io.write(`memory://s/${name}`, bytesOf(name));
  const seen: string[] = [];
  for await (const file of io.list("memory://s/")) {
    seen.push(file.path);
    if (file.path.endsWith("/a")) {
      await io.delete("memory://s/c");
      await io.write("memory://s/d", bytesOf("d"));
    }
  }
  assert.deepEqual(seen, ["memory://s/a", "memory://s/b"]);
});
