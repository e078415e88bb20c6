import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import type { FileIO } from "../../src/io/file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import {
  DEFAULT_MANIFEST_CACHE_RECORDS,
  clearManifestCaches,
  manifestCacheStats,
  setManifestCacheBudget,
} from "../../src/manifest/manifest-cache.ts";
import { readManifestList, writeManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import {
  ManifestContent,
  type ManifestEntry,
  ManifestEntryStatus,
  type ManifestFile,
} from "../../src/manifest/types.ts";
import { MIXED_SPEC, SCHEMA, added, dataFile, existing } from "./fixtures.ts";

/** Writes a manifest of `names` (one added file each) and returns it as a list row committed at `sequence`. */
async function writeNamed(io: FileIO, path: string, names: string[], sequence = 4n): Promise<ManifestFile> {
  const manifest = await writeManifest(io, path, {
    spec: MIXED_SPEC,
    schema: SCHEMA,
    content: ManifestContent.Data,
    snapshotId: 7n,
    entries: names.map((name) => added(dataFile(name, [1, 2, "ab", "abc"]))),
  });
  return { ...manifest, sequenceNumber: sequence, minSequenceNumber: sequence };
}

/** An io that counts reads, to see when the cache spares one. */
class CountingIO extends MemoryFileIO {
  reads = 0;
  override async read(path: string): Promise<Uint8Array> {
    this.reads += 1;
    return super.read(path);
  }
}

const paths = (entries: ManifestEntry[]) => entries.map((entry) => entry.dataFile.filePath);

describe("decoded-manifest cache", () => {
  beforeEach(() => setManifestCacheBudget(DEFAULT_MANIFEST_CACHE_RECORDS));

  test("a second read of a manifest is served from the cache, without reading the file again", async () => {
    const io = new CountingIO();
    const manifest = await writeNamed(io, "memory://t/m.avro", ["a", "b", "c"]);
    const first = await readManifest(io, manifest);
    assert.equal(io.reads, 1);
    const second = await readManifest(io, manifest);
    assert.equal(io.reads, 1, "the same FileIO trusts the identity it saw");
    assert.deepEqual(second, first);
    assert.deepEqual(manifestCacheStats().manifests, { entries: 1, records: 3, hits: 1, misses: 1 });

    // Another FileIO over the same bytes re-reads (it cannot know the store) but does not decode.
    const other = new CountingIO();
    await other.write(manifest.manifestPath, await io.read(manifest.manifestPath));
    assert.deepEqual(await readManifest(other, manifest), first);
    assert.equal(other.reads, 1);
    assert.equal(manifestCacheStats().manifests.hits, 2);
  });

  test("readers get fresh objects: changing one read's entries does not change the next read", async () => {
    const io = new MemoryFileIO();
    const manifest = await writeNamed(io, "memory://t/m.avro", ["a"]);
    const [entry] = await readManifest(io, manifest);
    entry.dataFile.filePath = "changed";
    entry.sequenceNumber = 99n;
    const [again] = await readManifest(io, manifest);
    assert.equal(again.dataFile.filePath, "a");
    assert.equal(again.sequenceNumber, 4n);
    const list = [manifest];
    await writeManifestList(io, "memory://t/snap.avro", {
      snapshotId: 7n,
      parentSnapshotId: null,
      sequenceNumber: 4n,
      manifests: list,
    });
    const [row] = await readManifestList(io, "memory://t/snap.avro");
    row.addedFilesCount = 1000;
    assert.equal((await readManifestList(io, "memory://t/snap.avro"))[0].addedFilesCount, manifest.addedFilesCount);
  });

  test("different files at the same location in different stores never share an entry", async () => {
    const one = new MemoryFileIO();
    const two = new MemoryFileIO();
    // Same location, same length (one-letter names), different content.
    const a = await writeNamed(one, "memory://t/m.avro", ["a", "b"]);
    const b = await writeNamed(two, "memory://t/m.avro", ["x", "y"]);
    assert.deepEqual(paths(await readManifest(one, a)), ["a", "b"]);
    assert.deepEqual(paths(await readManifest(two, b)), ["x", "y"]);
    assert.deepEqual(paths(await readManifest(one, a)), ["a", "b"]);

    for (const [io, names] of [
      [one, [a]],
      [two, [b]],
    ] as const)
      await writeManifestList(io, "memory://t/snap-1.avro", {
        snapshotId: 7n,
        parentSnapshotId: null,
        sequenceNumber: 4n,
        manifests: [...names],
      });
    const [fromOne] = await readManifestList(one, "memory://t/snap-1.avro");
    const [fromTwo] = await readManifestList(two, "memory://t/snap-1.avro");
    assert.deepEqual(paths(await readManifest(one, fromOne)), ["a", "b"]);
    assert.deepEqual(paths(await readManifest(two, fromTwo)), ["x", "y"]);
  });

  test("inheritance follows each list row, though the decoded file is cached once", async () => {
    const io = new MemoryFileIO();
    const manifest = await writeManifest(io, "memory://t/m.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 7n,
      entries: [added(dataFile("a", [1, 2, "ab", "abc"])), existing(dataFile("b", [1, 2, "ab", "abc"]), 2n, 2n)],
    });
    const at = (sequence: bigint, snapshot: bigint) =>
      readManifest(io, { ...manifest, sequenceNumber: sequence, minSequenceNumber: 2n, addedSnapshotId: snapshot });
    const [addedAt5, existingAt5] = await at(5n, 70n);
    const [addedAt6] = await at(6n, 71n);
    assert.deepEqual([addedAt5.sequenceNumber, addedAt5.snapshotId], [5n, 7n]);
    assert.equal(existingAt5.status, ManifestEntryStatus.Existing);
    assert.equal(existingAt5.sequenceNumber, 2n);
    assert.deepEqual([addedAt6.sequenceNumber, addedAt6.fileSequenceNumber], [6n, 6n]);
  });

  test("the budget bounds what is kept: least recently used manifests are dropped", async () => {
    setManifestCacheBudget(8); // 4 records of manifests, 4 of lists
    const io = new CountingIO();
    const first = await writeNamed(io, "memory://t/1.avro", ["a", "b"]);
    const second = await writeNamed(io, "memory://t/2.avro", ["c", "d"]);
    const third = await writeNamed(io, "memory://t/3.avro", ["e", "f"]);
    await readManifest(io, first);
    await readManifest(io, second);
    assert.equal(manifestCacheStats().manifests.records, 4);
    await readManifest(io, first); // now the most recently used
    await readManifest(io, third); // evicts the second
    const stats = manifestCacheStats().manifests;
    assert.deepEqual([stats.entries, stats.records], [2, 4]);
    const reads = io.reads;
    await readManifest(io, first);
    assert.equal(manifestCacheStats().manifests.hits, stats.hits + 1);
    await readManifest(io, second);
    assert.equal(io.reads, reads + 1, "the evicted manifest is read and decoded again");
    assert.deepEqual(paths(await readManifest(io, second)), ["c", "d"]);

    clearManifestCaches();
    assert.deepEqual(manifestCacheStats().manifests, { entries: 0, records: 0, hits: 0, misses: 0 });
  });
});
