import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { RoutingFileIO, createFileIO } from "../../src/io/resolve-file-io.ts";
import { LazyFileIO } from "../../src/io/lazy-file-io.ts";
import { S3FileIO } from "../../src/io/s3-file-io.ts";
import { bytesOf, paths } from "./conformance.ts";

test("locations are routed by scheme to local, memory and s3 FileIOs", async () => {
  const io = new RoutingFileIO({ s3: { region: "eu-west-1" } });
  assert.ok(io.fileIOFor("/tmp/x") instanceof LocalFileIO);
  assert.ok(io.fileIOFor("file:///tmp/x") instanceof LocalFileIO);
  assert.ok(io.fileIOFor("memory://m/x") instanceof MemoryFileIO);
  const s3 = io.fileIOFor("s3://b/k");
  // The S3 SDK loads on first use: the router hands out a lazy FileIO whose target is the S3FileIO.
  assert.ok(s3 instanceof LazyFileIO);
  assert.ok((await s3.target()) instanceof S3FileIO);
  // One S3 FileIO, created once, serves every S3 scheme.
  assert.equal(io.fileIOFor("s3a://b/k"), s3);
  assert.equal(io.fileIOFor("s3n://b/k"), s3);
});

test("local and memory writes land in their own stores", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "floe-routing-"));
  try {
    const memory = new MemoryFileIO();
    const io = new RoutingFileIO({ memory });
    await io.write(path.join(dir, "a.txt"), bytesOf("local"));
    await io.write("memory://m/a.txt", bytesOf("memory"));
    assert.deepEqual(await new LocalFileIO().read(path.join(dir, "a.txt")), bytesOf("local"));
    assert.deepEqual(await memory.read("memory://m/a.txt"), bytesOf("memory"));
    assert.deepEqual(await paths(io, `${dir}/`), [path.join(dir, "a.txt")]);
    assert.deepEqual(await paths(io, "memory://m/"), ["memory://m/a.txt"]);
    await io.deleteMany([path.join(dir, "a.txt"), "memory://m/a.txt"]);
    assert.equal(await io.exists(path.join(dir, "a.txt")), false);
    assert.equal(await io.exists("memory://m/a.txt"), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("unknown schemes are rejected as promise rejections, not synchronous throws", async () => {
  const io = createFileIO();
  const pending = io.read("gs://bucket/key");
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, (error: unknown) => isFloeError(error, "unsupported"));
  await assert.rejects(paths(io, "gs://bucket/"), (error: unknown) => isFloeError(error, "unsupported"));
});
