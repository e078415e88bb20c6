import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readAvroContainer } from "../../src/avro/container.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { readManifestHeader } from "../../src/manifest/manifest-header.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import {
  DataFileContent,
  ManifestContent,
  type ManifestEntry,
  ManifestEntryStatus,
  type ManifestFile,
} from "../../src/manifest/types.ts";
import { MIXED_SPEC, SCHEMA, TYPED_SPEC, UNPARTITIONED, added, dataFile, deleted, existing } from "./fixtures.ts";

const SNAPSHOT = 7_000_000_000_000_000_001n; // beyond 2^53: must survive as an exact bigint

/** The manifest as a committed snapshot would list it. */
const committed = (manifest: ManifestFile, sequenceNumber: bigint): ManifestFile => ({
  ...manifest,
  sequenceNumber,
  minSequenceNumber: manifest.minSequenceNumber === -1n ? sequenceNumber : manifest.minSequenceNumber,
});

/** What reading should return for a written entry once inheritance is applied. */
const inherited = (entry: ManifestEntry, sequenceNumber: bigint, specId: number): ManifestEntry => ({
  ...entry,
  snapshotId: entry.snapshotId ?? SNAPSHOT,
  sequenceNumber: entry.sequenceNumber ?? sequenceNumber,
  fileSequenceNumber: entry.fileSequenceNumber ?? sequenceNumber,
  dataFile: { ...entry.dataFile, specId },
});

describe("manifest round trips", () => {
  test("unpartitioned data manifest with all metric maps and optional fields", async () => {
    const io = new MemoryFileIO();
    const file = dataFile("s3://bucket/t/data/a.parquet", [], {
      recordCount: 12_345n,
      fileSizeInBytes: 9_007_199_254_740_993n, // 2^53 + 1
      columnSizes: new Map([
        [1, 1000n],
        [2, 2000n],
      ]),
      valueCounts: new Map([
        [1, 12_345n],
        [2, 12_345n],
      ]),
      nullValueCounts: new Map([
        [1, 0n],
        [2, 17n],
      ]),
      nanValueCounts: new Map([[6, 3n]]),
      lowerBounds: new Map([
        [1, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0)],
        [3, new TextEncoder().encode("apple")],
      ]),
      upperBounds: new Map([
        [1, Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0)],
        [3, new TextEncoder().encode("zebra")],
      ]),
      keyMetadata: Uint8Array.of(9, 8, 7),
      splitOffsets: [4n, 1_048_576n],
      sortOrderId: 1,
    });
    const entries = [added(file), added(dataFile("s3://bucket/t/data/b.parquet", []))];
    const manifest = await writeManifest(io, "memory://t/metadata/m1.avro", {
      spec: UNPARTITIONED,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: SNAPSHOT,
      entries,
    });
    assert.equal(manifest.manifestLength, BigInt((await io.read("memory://t/metadata/m1.avro")).length));
    assert.equal(manifest.addedFilesCount, 2);
    assert.equal(manifest.addedRowsCount, 12_445n);
    assert.deepEqual(manifest.partitions, []);
    const read = await readManifest(io, committed(manifest, 5n));
    assert.deepEqual(
      read,
      entries.map((e) => inherited(e, 5n, 0)),
    );
  });

  test("day + bucket + truncate + identity string partitions, with nulls", async () => {
    const io = new MemoryFileIO();
    const entries = [
      added(dataFile("f1.parquet", [19_000, 3, "elec", "electronics"])),
      added(dataFile("f2.parquet", [19_001, 15, "book", "books"])),
      added(dataFile("f3.parquet", [null, 0, null, null])),
      existing(dataFile("f4.parquet", [-1, 7, "", ""]), 11n, 2n, 3n),
      deleted(dataFile("f5.parquet", [20_000, 1, "toys", "toys"]), SNAPSHOT, 1n),
    ];
    const manifest = await writeManifest(io, "memory://t/m2.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: SNAPSHOT,
      entries,
    });
    assert.deepEqual([manifest.addedFilesCount, manifest.existingFilesCount, manifest.deletedFilesCount], [3, 1, 1]);
    assert.deepEqual(
      [manifest.addedRowsCount, manifest.existingRowsCount, manifest.deletedRowsCount],
      [300n, 100n, 100n],
    );
    assert.equal(manifest.partitionSpecId, 1);
    assert.equal(manifest.sequenceNumber, -1n);
    assert.equal(manifest.minSequenceNumber, 2n, "the explicit live sequence number is the minimum");
    const read = await readManifest(io, committed(manifest, 9n));
    assert.deepEqual(
      read,
      entries.map((e) => inherited(e, 9n, 1)),
    );
  });

  test("decimal, uuid, double and date partitions keep their Value representation", async () => {
    const io = new MemoryFileIO();
    const maxDecimal38 = 10n ** 38n - 1n;
    const entries = [
      added(dataFile("a.parquet", [-12_345n, "f79c3e09-677c-4bbd-a479-3f349cb785e7", -0.5, 19_500, maxDecimal38])),
      added(
        dataFile("b.parquet", [99_999_999_99n, "00000000-0000-0000-0000-000000000000", Number.NaN, -3, -maxDecimal38]),
      ),
      added(dataFile("c.parquet", [0n, null, null, null, 0n])),
    ];
    const manifest = await writeManifest(io, "memory://t/m3.avro", {
      spec: TYPED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: SNAPSHOT,
      entries,
    });
    const read = await readManifest(io, committed(manifest, 1n));
    assert.deepEqual(
      read.map((e) => e.dataFile.partition),
      entries.map((e) => e.dataFile.partition),
    );
    // The Avro form is Appendix A's: fixed of minimal size for the precision, uuid as fixed[16].
    const { schema, records } = readAvroContainer(await io.read("memory://t/m3.avro"));
    const text = JSON.stringify(schema);
    assert.match(text, /"name":"decimal_10_2","size":5,"logicalType":"decimal","precision":10,"scale":2/);
    assert.match(text, /"name":"decimal_38_0","size":16,"logicalType":"decimal","precision":38,"scale":0/);
    assert.match(text, /"name":"uuid_fixed","size":16,"logicalType":"uuid"/);
    const partition = (records[0] as { data_file: { partition: Record<string, unknown> } }).data_file.partition;
    assert.deepEqual(partition.amount, Uint8Array.of(0xff, 0xff, 0xff, 0xcf, 0xc7)); // -12345, 5 bytes
    assert.equal(partition.event_date, 19_500);
  });

  test("delete manifest with position and equality delete files", async () => {
    const io = new MemoryFileIO();
    const entries = [
      added(
        dataFile("eq-deletes.parquet", [19_000, 3, "elec", "electronics"], {
          content: DataFileContent.EqualityDeletes,
          equalityIds: [1, 3],
          recordCount: 4n,
          sortOrderId: 0,
        }),
      ),
      added(
        dataFile("pos-deletes.parquet", [19_000, 3, "elec", "electronics"], {
          content: DataFileContent.PositionDeletes,
          referencedDataFile: "f1.parquet",
          recordCount: 2n,
        }),
      ),
    ];
    const manifest = await writeManifest(io, "memory://t/d1.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Deletes,
      snapshotId: SNAPSHOT,
      entries,
    });
    assert.equal(manifest.content, ManifestContent.Deletes);
    const read = await readManifest(io, committed(manifest, 4n));
    assert.deepEqual(
      read,
      entries.map((e) => inherited(e, 4n, 1)),
    );
    const header = await readManifestHeader(io, "memory://t/d1.avro");
    assert.equal(header.content, "deletes");
  });

  test("header metadata holds schema, spec, ids, format version and content", async () => {
    const io = new MemoryFileIO();
    await writeManifest(io, "memory://t/h.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 1n,
      entries: [added(dataFile("x.parquet", [1, 2, "a", "a"]))],
    });
    const { metadata } = readAvroContainer(await io.read("memory://t/h.avro"));
    assert.equal(metadata["avro.codec"], "deflate");
    assert.equal(metadata["schema-id"], "3");
    assert.equal(metadata["partition-spec-id"], "1");
    assert.equal(metadata["format-version"], "2");
    assert.equal(metadata.content, "data");
    assert.deepEqual(JSON.parse(metadata["partition-spec"]), MIXED_SPEC.fields);
    assert.deepEqual(JSON.parse(metadata.schema), SCHEMA);
    const header = await readManifestHeader(io, "memory://t/h.avro");
    assert.deepEqual(header, { schema: SCHEMA, spec: MIXED_SPEC, specId: 1, formatVersion: 2, content: "data" });
  });

  test("partition values are matched by field id, not by position or name", async () => {
    const io = new MemoryFileIO();
    await writeManifest(io, "memory://t/p.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 1n,
      entries: [added(dataFile("x.parquet", [5, 2, "abcd", "abcdef"]))],
    });
    // The same fields, renamed and listed in another order: values follow the field ids.
    const reordered = {
      "spec-id": 1,
      fields: [MIXED_SPEC.fields[3], MIXED_SPEC.fields[0]].map((f) => ({ ...f, name: `renamed_${f.name}` })),
    };
    const manifest: ManifestFile = {
      manifestPath: "memory://t/p.avro",
      manifestLength: 0n,
      partitionSpecId: 1,
      content: ManifestContent.Data,
      sequenceNumber: 1n,
      minSequenceNumber: 1n,
      addedSnapshotId: 1n,
      addedFilesCount: 1,
      existingFilesCount: 0,
      deletedFilesCount: 0,
      addedRowsCount: 100n,
      existingRowsCount: 0n,
      deletedRowsCount: 0n,
    };
    const [entry] = await readManifest(io, manifest, { spec: reordered });
    assert.deepEqual(entry.dataFile.partition, ["abcdef", 5]);
  });

  test("rejects entries that break the spec's rules", async () => {
    const io = new MemoryFileIO();
    const write = (entries: ManifestEntry[], content = ManifestContent.Data) =>
      writeManifest(io, `memory://t/bad-${Math.random()}.avro`, {
        spec: MIXED_SPEC,
        schema: SCHEMA,
        content,
        snapshotId: 1n,
        entries,
      });
    await assert.rejects(
      write([{ ...existing(dataFile("x", [1, 2, "a", "a"]), 1n, 1n), sequenceNumber: null }]),
      (e: Error) =>
        e.name === "FloeError" && /existing entry needs explicit data and file sequence numbers/.test(e.message),
    );
    await assert.rejects(
      write([added(dataFile("x", [1, 2, "a"]))]),
      /partition has 3 values but the spec has 4 fields/,
    );
    await assert.rejects(
      write([added(dataFile("x", [1, 2, "a", "a"]))], ManifestContent.Deletes),
      /delete manifest cannot hold a file with content Data/,
    );
    await assert.rejects(
      write(
        [added(dataFile("x", [1, 2, "a", "a"], { content: DataFileContent.EqualityDeletes }))],
        ManifestContent.Deletes,
      ),
      /equality delete file has no equality ids/,
    );
    // Manifests are immutable: writing over an existing one fails.
    await writeManifest(io, "memory://t/once.avro", {
      spec: UNPARTITIONED,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 1n,
      entries: [],
    });
    await assert.rejects(
      writeManifest(io, "memory://t/once.avro", {
        spec: UNPARTITIONED,
        schema: SCHEMA,
        content: ManifestContent.Data,
        snapshotId: 1n,
        entries: [],
      }),
      (e: Error & { kind?: string }) => e.kind === "already-exists",
    );
  });

  test("status values survive as the enum", async () => {
    const io = new MemoryFileIO();
    const manifest = await writeManifest(io, "memory://t/s.avro", {
      spec: UNPARTITIONED,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 1n,
      entries: [existing(dataFile("e", []), 1n, 1n), deleted(dataFile("d", []), 1n, 1n), added(dataFile("a", []))],
    });
    const read = await readManifest(io, committed(manifest, 2n));
    assert.deepEqual(
      read.map((e) => e.status),
      [ManifestEntryStatus.Existing, ManifestEntryStatus.Deleted, ManifestEntryStatus.Added],
    );
  });
});
