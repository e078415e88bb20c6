/**
 * The behaviour every FileIO must share, as one suite each implementation's test file runs:
 * `runFileIOConformance("local", setup)`. `setup` runs once before the cases and returns the
 * FileIO, a root location under which each case works in its own folder, and a cleanup.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { type ErrorKind, isFloeError } from "../../src/core/errors.ts";
import type { FileIO, FileInfo } from "../../src/io/file-io.ts";
import { joinLocation } from "../../src/io/locations.ts";

/** What one conformance run works on. */
export interface ConformanceTarget {
  io: FileIO;
  root: string;
  cleanup(): Promise<void>;
}

/** Knobs for stores whose limits differ; the defaults are what local and memory storage pass. */
export interface ConformanceOptions {
  /** Files used to prove batched deletes and paginated listing (default 1001). */
  manyFiles?: number;
  /**
   * Whether the store publishes a file only once it is complete. Real S3 does; s3rver writes in
   * place, so its run reports the concurrent-reader case as skipped, with this reason.
   */
  partialReadsImpossible?: true | { skipReason: string };
  /** Whether overwrite:false is atomic between racing creators (same shape as above). */
  atomicCreate?: true | { skipReason: string };
}

const MIB = 1024 * 1024;

/** Registers the shared FileIO cases under `describe(name)`. */
export function runFileIOConformance(
  name: string,
  setup: () => Promise<ConformanceTarget>,
  options: ConformanceOptions = {},
): void {
  const manyFiles = options.manyFiles ?? 1001;
  describe(`FileIO conformance: ${name}`, () => {
    let target: ConformanceTarget | undefined;
    let caseNumber = 0;
    before(async () => {
      target = await setup();
    });
    after(async () => {
      await target?.cleanup();
    });
    /** The FileIO and a fresh folder for one case. */
    const fresh = (): { io: FileIO; dir: string } => {
      assert.ok(target, "setup did not run");
      caseNumber += 1;
      return { io: target.io, dir: joinLocation(target.root, `case-${caseNumber}`) };
    };

    test("write then read returns the same bytes: small binary, empty and multi-MiB files", async () => {
      const { io, dir } = fresh();
      const binary = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      const large = randomBytes(6 * MIB);
      await io.write(joinLocation(dir, "binary.bin"), binary);
      await io.write(joinLocation(dir, "empty.bin"), new Uint8Array(0));
      await io.write(joinLocation(dir, "large.bin"), large);
      assert.deepEqual(await io.read(joinLocation(dir, "binary.bin")), binary);
      assert.deepEqual(await io.read(joinLocation(dir, "empty.bin")), new Uint8Array(0));
      assert.ok(equalBytes(await io.read(joinLocation(dir, "large.bin")), large), "large file differs");
    });

    test("names are taken literally: spaces and percent escapes round-trip through write, read and list", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "day=2024-01-01", "name=a%20b c", "file.bin");
      await io.write(location, bytesOf("literal"));
      assert.deepEqual(await io.read(location), bytesOf("literal"));
      assert.deepEqual(await paths(io, dir), [location]);
    });

    test("written data is copied: changing the caller's buffer afterwards changes nothing", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "copy.bin");
      const data = bytesOf("original");
      await io.write(location, data);
      data.fill(0);
      const read = await io.read(location);
      assert.deepEqual(read, bytesOf("original"));
      read.fill(0);
      assert.deepEqual(await io.read(location), bytesOf("original"));
    });

    test("readRange reads at the start, middle and end, and cuts ranges at the end of the file", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "range.bin");
      const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
      await io.write(location, data);
      assert.deepEqual(await io.readRange(location, 0, 10), data.slice(0, 10));
      assert.deepEqual(await io.readRange(location, 500, 100), data.slice(500, 600));
      assert.deepEqual(await io.readRange(location, 990, 10), data.slice(990, 1000));
      assert.deepEqual(await io.readRange(location, 0, 1000), data);
      // Documented semantics (src/io/arguments.ts): past-end ranges are cut short, never an error.
      assert.deepEqual(await io.readRange(location, 995, 10), data.slice(995, 1000));
      assert.deepEqual(await io.readRange(location, 1000, 10), new Uint8Array(0));
      assert.deepEqual(await io.readRange(location, 5000, 10), new Uint8Array(0));
      assert.deepEqual(await io.readRange(location, 10, 0), new Uint8Array(0));
      await assertKind(io.readRange(location, -1, 10), "bad-input", "-1");
      await assertKind(io.readRange(location, 0, -5), "bad-input", "-5");
      await assertKind(io.readRange(location, 0.5, 1), "bad-input", "0.5");
    });

    test("readRange of an empty file is empty", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "empty.bin");
      await io.write(location, new Uint8Array(0));
      assert.deepEqual(await io.readRange(location, 0, 10), new Uint8Array(0));
    });

    test("stat reports the size, a plausible modification time and the path as given", async () => {
      const { io, dir } = fresh();
      const started = Date.now();
      await io.write(joinLocation(dir, "a.bin"), new Uint8Array(1234));
      await io.write(joinLocation(dir, "empty.bin"), new Uint8Array(0));
      const info = await io.stat(joinLocation(dir, "a.bin"));
      assert.equal(info.path, joinLocation(dir, "a.bin"));
      assert.equal(info.size, 1234);
      // S3 keeps whole seconds; allow for that and for a little clock skew.
      assert.ok(Math.abs(info.lastModified - started) < 60_000, `lastModified ${info.lastModified} vs ${started}`);
      assert.equal((await io.stat(joinLocation(dir, "empty.bin"))).size, 0);
    });

    test("exists is true for a file and false for a missing file or a folder", async () => {
      const { io, dir } = fresh();
      await io.write(joinLocation(dir, "folder", "file.txt"), bytesOf("x"));
      assert.equal(await io.exists(joinLocation(dir, "folder", "file.txt")), true);
      assert.equal(await io.exists(joinLocation(dir, "folder", "missing.txt")), false);
      assert.equal(await io.exists(joinLocation(dir, "folder")), false);
      assert.equal(await io.exists(joinLocation(dir, "no-such-folder", "file.txt")), false);
    });

    test("missing files give not-found FloeErrors that name the location", async () => {
      const { io, dir } = fresh();
      const missing = joinLocation(dir, "missing.bin");
      await assertKind(io.read(missing), "not-found", missing);
      await assertKind(io.readRange(missing, 0, 10), "not-found", missing);
      await assertKind(io.readRange(missing, 0, 0), "not-found", missing);
      await assertKind(io.stat(missing), "not-found", missing);
      await io.write(joinLocation(dir, "folder", "inside.bin"), bytesOf("x"));
      await assertKind(io.read(joinLocation(dir, "folder")), "not-found", joinLocation(dir, "folder"));
    });

    test("writing without overwrite (the default) refuses an existing file and keeps it", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "once.txt");
      await io.write(location, bytesOf("first"));
      await assertKind(io.write(location, bytesOf("second")), "already-exists", location);
      await assertKind(io.write(location, bytesOf("second"), { overwrite: false }), "already-exists", location);
      let drained = false;
      async function* third(): AsyncIterable<Uint8Array> {
        drained = true;
        yield bytesOf("third");
      }
      await assertKind(io.writeStream(location, third()), "already-exists", location);
      assert.equal(drained, false, "a refused writeStream should not read its source");
      assert.deepEqual(await io.read(location), bytesOf("first"));
    });

    test("overwrite:true replaces an existing file, by write and by writeStream", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "replace.txt");
      await io.write(location, bytesOf("first version, longer"));
      await io.write(location, bytesOf("second"), { overwrite: true });
      assert.deepEqual(await io.read(location), bytesOf("second"));
      assert.equal((await io.stat(location)).size, 6);
      await io.writeStream(location, chunksOf([bytesOf("th"), bytesOf("ird")]), { overwrite: true });
      assert.deepEqual(await io.read(location), bytesOf("third"));
      // overwrite:true also creates when nothing is there.
      await io.write(joinLocation(dir, "new.txt"), bytesOf("new"), { overwrite: true });
      assert.deepEqual(await io.read(joinLocation(dir, "new.txt")), bytesOf("new"));
    });

    test("a location ending in a slash cannot be written", async () => {
      const { io, dir } = fresh();
      await assertKind(io.write(`${dir}/`, bytesOf("x")), "bad-input", dir);
      await assertKind(io.writeStream(`${dir}/folder/`, chunksOf([bytesOf("x")])), "bad-input", dir);
    });

    test("writeStream of many chunks (several multipart parts on S3) stores them in order", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "stream.bin");
      const chunks = Array.from({ length: 192 }, () => randomBytes(64 * 1024)); // 12 MiB
      await io.writeStream(location, chunksOf(chunks));
      const expected = concat(chunks);
      assert.equal((await io.stat(location)).size, expected.length);
      assert.ok(equalBytes(await io.read(location), expected), "streamed file differs");
      assert.deepEqual(await io.readRange(location, 5 * MIB - 3, 6), expected.slice(5 * MIB - 3, 5 * MIB + 3));
    });

    test("writeStream of no chunks writes an empty file; odd chunk sizes are fine", async () => {
      const { io, dir } = fresh();
      await io.writeStream(joinLocation(dir, "empty.bin"), chunksOf([]));
      assert.equal((await io.stat(joinLocation(dir, "empty.bin"))).size, 0);
      const odd = [new Uint8Array(0), bytesOf("a"), new Uint8Array(0), bytesOf("bcd"), bytesOf("e")];
      await io.writeStream(joinLocation(dir, "odd.bin"), chunksOf(odd));
      assert.deepEqual(await io.read(joinLocation(dir, "odd.bin")), bytesOf("abcde"));
    });

    test("a writeStream whose source fails leaves no file behind", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "broken.bin");
      async function* failing(): AsyncIterable<Uint8Array> {
        yield randomBytes(MIB);
        yield randomBytes(MIB);
        throw new Error("source broke");
      }
      await assert.rejects(io.writeStream(location, failing()), (error: unknown) => {
        assert.ok(isFloeError(error), `expected a FloeError, got ${String(error)}`);
        assert.match(error.message, /source broke/);
        return true;
      });
      assert.equal(await io.exists(location), false);
      assert.deepEqual(await paths(io, dir), []);
    });

    test("delete removes a file; deleting a missing file is fine", async () => {
      const { io, dir } = fresh();
      const location = joinLocation(dir, "doomed.txt");
      await io.write(location, bytesOf("x"));
      await io.delete(location);
      assert.equal(await io.exists(location), false);
      await io.delete(location);
      await io.delete(joinLocation(dir, "never-existed.txt"));
      // The name is free again.
      await io.write(location, bytesOf("again"));
      assert.deepEqual(await io.read(location), bytesOf("again"));
    });

    test("list is recursive, matches by string prefix and reports sizes", async () => {
      const { io, dir } = fresh();
      const layout: [string[], number][] = [
        [["list", "a.txt"], 1],
        [["list", "b", "c.txt"], 2],
        [["list", "b", "d", "e.txt"], 3],
        [["list-other", "x.txt"], 4],
        [["listing.txt"], 5],
        [["unrelated", "z.txt"], 6],
      ];
      for (const [parts, size] of layout) await io.write(joinLocation(dir, ...parts), new Uint8Array(size));
      const at = (...parts: string[]) => joinLocation(dir, ...parts);

      const inFolder = (await listAll(io, `${at("list")}/`)).sort((a, b) => compare(a.path, b.path));
      assert.deepEqual(
        inFolder.map((f) => [f.path, f.size]),
        [
          [at("list", "a.txt"), 1],
          [at("list", "b", "c.txt"), 2],
          [at("list", "b", "d", "e.txt"), 3],
        ],
      );
      for (const file of inFolder) assert.ok(file.lastModified > 0);
      assert.deepEqual(await sortedPaths(io, at("list")), [
        at("list-other", "x.txt"),
        at("list", "a.txt"),
        at("list", "b", "c.txt"),
        at("list", "b", "d", "e.txt"),
        at("listing.txt"),
      ]);
      assert.deepEqual(await paths(io, at("list", "b", "d")), [at("list", "b", "d", "e.txt")]);
      assert.deepEqual(await paths(io, at("list", "b", "c")), [at("list", "b", "c.txt")]);
      assert.deepEqual(await paths(io, at("list", "a.txt")), [at("list", "a.txt")]);
      assert.deepEqual(await paths(io, at("nothing-here")), []);
      assert.deepEqual(await paths(io, `${at("nothing-here")}/`), []);
      assert.equal((await paths(io, dir)).length, layout.length);
    });

    test(`list returns all of ${manyFiles} files (several pages on S3), then deleteMany (in batches) removes them`, async () => {
      const { io, dir } = fresh();
      const keep = joinLocation(dir, "keep.txt");
      await io.write(keep, bytesOf("keep"));
      const files = await writeMany(io, joinLocation(dir, "many"), manyFiles);
      const listed = await paths(io, joinLocation(dir, "many"));
      assert.equal(listed.length, manyFiles);
      assert.deepEqual([...listed].sort(), [...files].sort());

      await io.deleteMany([]);
      await io.deleteMany([...files, joinLocation(dir, "missing-1"), joinLocation(dir, "many", "missing-2")]);
      assert.deepEqual(await paths(io, joinLocation(dir, "many")), []);
      assert.equal(await io.exists(files[0]), false);
      assert.equal(await io.exists(files[files.length - 1]), false);
      assert.equal(await io.exists(keep), true);
    });

    const atomicCreate = options.atomicCreate ?? true;
    test(
      "racing creators of one path: exactly one wins, the rest get already-exists",
      atomicCreate === true ? {} : { skip: atomicCreate.skipReason },
      async () => {
        const { io, dir } = fresh();
        const location = joinLocation(dir, "contended.txt");
        const contents = Array.from({ length: 8 }, (_, i) => bytesOf(`writer ${i} `.repeat(1000)));
        const results = await Promise.allSettled(contents.map((data) => io.write(location, data)));
        const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
        assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
        for (const result of results) {
          if (result.status === "rejected")
            assert.ok(isFloeError(result.reason, "already-exists"), String(result.reason));
        }
        assert.deepEqual(await io.read(location), contents[winners[0]]);
      },
    );

    const partialReadsImpossible = options.partialReadsImpossible ?? true;
    test(
      "a reader racing a large write sees either no file or the whole file",
      partialReadsImpossible === true ? {} : { skip: partialReadsImpossible.skipReason },
      async () => {
        const { io, dir } = fresh();
        const location = joinLocation(dir, "big.bin");
        const chunks = Array.from({ length: 64 }, () => randomBytes(256 * 1024)); // 16 MiB
        const expected = concat(chunks);
        let writing = true;
        const writer = (async () => {
          try {
            await io.writeStream(location, slowly(chunks));
          } finally {
            writing = false;
          }
        })();
        let sawMissing = 0;
        let sawWhole = 0;
        while (writing) {
          try {
            const data = await io.read(location);
            assert.equal(data.length, expected.length, "a reader saw a partial file");
            assert.ok(equalBytes(data, expected), "a reader saw different bytes");
            sawWhole += 1;
          } catch (error) {
            if (!isFloeError(error, "not-found")) throw error;
            sawMissing += 1;
          }
          const listed = await paths(io, dir);
          assert.ok(listed.length === 0 || (listed.length === 1 && listed[0] === location), `listed ${listed}`);
          await yieldToEventLoop();
        }
        await writer;
        assert.ok(sawMissing > 0, "the reader never ran while the write was in progress");
        assert.ok(equalBytes(await io.read(location), expected));
        // sawWhole may be zero: the loop ends once the write has returned.
        void sawWhole;
      },
    );
  });
}

/** Asserts that `promise` rejects with a FloeError of `kind` whose message mentions `mention`. */
export async function assertKind(promise: Promise<unknown>, kind: ErrorKind, mention: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isFloeError(error), `expected a FloeError, got ${String(error)}`);
    assert.equal(error.kind, kind, `wrong kind for: ${error.message}`);
    assert.ok(error.message.includes(mention), `"${error.message}" does not mention "${mention}"`);
    return true;
  });
}

/** Every FileInfo under `prefix`. */
export async function listAll(io: FileIO, prefix: string): Promise<FileInfo[]> {
  const files: FileInfo[] = [];
  for await (const file of io.list(prefix)) files.push(file);
  return files;
}

/** The paths under `prefix`, in the order list yields them. */
export async function paths(io: FileIO, prefix: string): Promise<string[]> {
  return (await listAll(io, prefix)).map((file) => file.path);
}

/** The paths under `prefix`, sorted. */
export async function sortedPaths(io: FileIO, prefix: string): Promise<string[]> {
  return (await paths(io, prefix)).sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Writes `count` tiny files below `dir` (a few at a time) and returns their locations. */
export async function writeMany(io: FileIO, dir: string, count: number): Promise<string[]> {
  const files = Array.from({ length: count }, (_, i) =>
    joinLocation(dir, `sub-${i % 3}`, `f-${String(i).padStart(5, "0")}`),
  );
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      await io.write(files[i], bytesOf(String(i)));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return files;
}

/** UTF-8 bytes of a string. */
export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** An async iterable over the given chunks. */
export async function* chunksOf(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Like chunksOf, but lets other work run between chunks so races can happen. */
async function* slowly(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) {
    await yieldToEventLoop();
    yield chunk;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Byte equality without building a huge assertion diff for multi-MiB buffers. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
