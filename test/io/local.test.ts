import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { assertKind, bytesOf, chunksOf, paths, runFileIOConformance } from "./conformance.ts";

async function tempRoot(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "floe-local-io-"));
}

runFileIOConformance("local, plain paths", async () => {
  const root = await tempRoot();
  return { io: new LocalFileIO(), root, cleanup: () => rm(root, { recursive: true, force: true }) };
});

// The plain-path run already proves 1001-file batches; this run is about the URL style.
runFileIOConformance(
  "local, file:/// URLs",
  async () => {
    const root = await tempRoot();
    return {
      io: new LocalFileIO(),
      root: pathToFileURL(root).href,
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  },
  { manyFiles: 50 },
);

let root: string;
before(async () => {
  root = await tempRoot();
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test("file:/abs, file:///abs, file://localhost/abs and /abs name the same file, and list keeps each style", async () => {
  const io = new LocalFileIO();
  const dir = path.join(root, "styles");
  await io.write(`file:${dir}/a.txt`, bytesOf("a"));
  assert.deepEqual(await io.read(`${dir}/a.txt`), bytesOf("a"));
  assert.deepEqual(await io.read(`file://${dir}/a.txt`), bytesOf("a"));
  assert.deepEqual(await io.read(`file://localhost${dir}/a.txt`), bytesOf("a"));
  assert.deepEqual(await paths(io, `${dir}/`), [`${dir}/a.txt`]);
  assert.deepEqual(await paths(io, `file:${dir}/`), [`file:${dir}/a.txt`]);
  assert.deepEqual(await paths(io, `file://${dir}`), [`file://${dir}/a.txt`]);
  assert.deepEqual(await paths(io, `file://localhost${dir}/`), [`file://localhost${dir}/a.txt`]);
  assert.equal((await io.stat(`file:${dir}/a.txt`)).path, `file:${dir}/a.txt`);
});

test("relative paths, other hosts and other schemes are refused", async () => {
  const io = new LocalFileIO();
  await assertKind(io.read("relative/file.txt"), "bad-input", "relative/file.txt");
  await assertKind(io.read("file://otherhost/x"), "unsupported", "otherhost");
  await assertKind(io.read("s3://bucket/key"), "bad-input", "s3://bucket/key");
});

test("write creates missing parent folders and leaves no temporary files behind", async () => {
  const io = new LocalFileIO();
  const dir = path.join(root, "deep");
  await io.write(path.join(dir, "a", "b", "c.bin"), bytesOf("c"));
  await io.writeStream(path.join(dir, "a", "b", "d.bin"), chunksOf([bytesOf("d")]));
  await assertKind(io.write(path.join(dir, "a", "b", "c.bin"), bytesOf("again")), "already-exists", "c.bin");
  await io.write(path.join(dir, "a", "b", "c.bin"), bytesOf("again"), { overwrite: true });
  assert.deepEqual((await readdir(path.join(dir, "a", "b"))).sort(), ["c.bin", "d.bin"]);
});

test("a failed stream and a refused create leave no temporary files behind", async () => {
  const io = new LocalFileIO();
  const dir = path.join(root, "failures");
  await io.write(path.join(dir, "taken.bin"), bytesOf("x"));
  await assertKind(io.write(path.join(dir, "taken.bin"), bytesOf("y")), "already-exists", "taken.bin");
  async function* failing(): AsyncIterable<Uint8Array> {
    yield bytesOf("partial");
    throw new Error("boom");
  }
  await assert.rejects(io.writeStream(path.join(dir, "broken.bin"), failing()), /boom/);
  assert.deepEqual(await readdir(dir), ["taken.bin"]);
});

test("list leaves out the temporary files of writes in progress", async () => {
  const io = new LocalFileIO();
  const dir = path.join(root, "in-progress");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, ".data.bin.0b5e8f5c-3f0c-4c39-9d1a-2a4f2f0f1a11.floe-tmp"), "partial");
  await io.write(path.join(dir, "done.bin"), bytesOf("done"));
  assert.deepEqual(await paths(io, `${dir}/`), [path.join(dir, "done.bin")]);
});

test("a write whose parent is a file fails with an io error naming the location", async () => {
  const io = new LocalFileIO();
  const file = path.join(root, "plain-file");
  await io.write(file, bytesOf("x"));
  await assertKind(io.write(path.join(file, "child.bin"), bytesOf("y")), "io", path.join(file, "child.bin"));
  assert.equal(await io.exists(path.join(file, "child.bin")), false);
});

test("deleting a folder location fails with io rather than removing anything", async () => {
  const io = new LocalFileIO();
  const dir = path.join(root, "folder-delete");
  await io.write(path.join(dir, "x.bin"), bytesOf("x"));
  await assertKind(io.delete(dir), "io", dir);
  assert.equal(await io.exists(path.join(dir, "x.bin")), true);
});

test("local listings come in path order, folders sorted as if their names ended in a slash", async () => {
  const io = new LocalFileIO();
  const dir = path.join(root, "order");
  for (const name of ["b.txt", "a/z.txt", "a-c.txt", "a/b/c.txt", "A.txt"])
    await io.write(path.join(dir, name), bytesOf(name));
  assert.deepEqual(
    await paths(io, `${dir}/`),
    ["A.txt", "a-c.txt", "a/b/c.txt", "a/z.txt", "b.txt"].map((n) => path.join(dir, n)),
  );
});
