import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readAvroContainer } from "../../src/avro/container.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { readManifestList, writeManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import { ManifestContent, type ManifestFile } from "../../src/manifest/types.ts";
import { MIXED_SPEC, SCHEMA, added, dataFile, existing } from "./fixtures.ts";

const OLD: ManifestFile = {
  manifestPath: "memory://t/old.avro",
  manifestLength: 1234n,
  partitionSpecId: 0,
  content: ManifestContent.Data,
  sequenceNumber: 3n,
  minSequenceNumber: 1n,
  addedSnapshotId: 9_223_372_036_854_775_807n, // int64 max
  addedFilesCount: 0,
  existingFilesCount: 4,
  deletedFilesCount: 0,
  addedRowsCount: 0n,
  existingRowsCount: 400n,
  deletedRowsCount: 0n,
  partitions: [],
  keyMetadata: Uint8Array.of(1, 2),
};

describe("manifest lists", () => {
  test("the writer assigns the snapshot's sequence number to unassigned manifests only", async () => {
    const io = new MemoryFileIO();
    const fresh = await writeManifest(io, "memory://t/new.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 77n,
      entries: [added(dataFile("a", [1, 2, "ab", "abc"])), added(dataFile("b", [null, 2, "zz", "zz"]))],
    });
    const mixed = await writeManifest(io, "memory://t/mixed.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 77n,
      entries: [added(dataFile("c", [1, 2, "ab", "abc"])), existing(dataFile("d", [1, 2, "ab", "abc"]), 5n, 2n)],
    });
    assert.deepEqual([fresh.sequenceNumber, fresh.minSequenceNumber], [-1n, -1n]);
    assert.deepEqual([mixed.sequenceNumber, mixed.minSequenceNumber], [-1n, 2n]);

    await writeManifestList(io, "memory://t/snap-77.avro", {
      snapshotId: 77n,
      parentSnapshotId: 76n,
      sequenceNumber: 12n,
      manifests: [fresh, mixed, OLD],
    });
    const listed = await readManifestList(io, "memory://t/snap-77.avro");
    assert.deepEqual(listed, [
      { ...fresh, sequenceNumber: 12n, minSequenceNumber: 12n },
      { ...mixed, sequenceNumber: 12n, minSequenceNumber: 2n },
      OLD,
    ]);
    // Entries read through the list inherit the assigned number.
    const entries = await readManifest(io, listed[0]);
    assert.deepEqual(
      entries.map((e) => [e.sequenceNumber, e.fileSequenceNumber, e.snapshotId]),
      [
        [12n, 12n, 77n],
        [12n, 12n, 77n],
      ],
    );
  });

  test("header metadata: snapshot-id, parent-snapshot-id, sequence-number, format-version", async () => {
    const io = new MemoryFileIO();
    await writeManifestList(io, "memory://t/a.avro", {
      snapshotId: 5n,
      parentSnapshotId: null,
      sequenceNumber: 1n,
      manifests: [],
    });
    await writeManifestList(io, "memory://t/b.avro", {
      snapshotId: 6n,
      parentSnapshotId: 5n,
      sequenceNumber: 2n,
      manifests: [OLD],
    });
    const a = readAvroContainer(await io.read("memory://t/a.avro")).metadata;
    assert.deepEqual(
      [a["snapshot-id"], a["parent-snapshot-id"], a["sequence-number"], a["format-version"], a["avro.codec"]],
      ["5", "null", "1", "2", "deflate"],
    );
    const b = readAvroContainer(await io.read("memory://t/b.avro")).metadata;
    assert.equal(b["parent-snapshot-id"], "5");
    assert.deepEqual(await readManifestList(io, "memory://t/a.avro"), []);
  });

  test("an unassigned manifest from another snapshot is refused", async () => {
    const io = new MemoryFileIO();
    await assert.rejects(
      writeManifestList(io, "memory://t/x.avro", {
        snapshotId: 2n,
        parentSnapshotId: 1n,
        sequenceNumber: 3n,
        manifests: [{ ...OLD, sequenceNumber: -1n, addedSnapshotId: 1n }],
      }),
      /has an unassigned sequence number but was added by snapshot 1, not 2/,
    );
  });

  test("field summaries, including absent bounds and contains_nan, round trip", async () => {
    const io = new MemoryFileIO();
    const manifest: ManifestFile = {
      ...OLD,
      partitions: [
        { containsNull: true, containsNan: false, lowerBound: Uint8Array.of(1), upperBound: Uint8Array.of(9) },
        { containsNull: true },
        { containsNull: false, containsNan: true },
      ],
    };
    await writeManifestList(io, "memory://t/s.avro", {
      snapshotId: 1n,
      parentSnapshotId: null,
      sequenceNumber: 1n,
      manifests: [manifest],
    });
    assert.deepEqual(await readManifestList(io, "memory://t/s.avro"), [manifest]);
  });
});
