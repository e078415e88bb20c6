import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import { DataFileContent, ManifestContent, type ManifestEntry, type ManifestFile } from "../../src/manifest/types.ts";
import { SCHEMA, UNPARTITIONED, added, dataFile, deleted, existing } from "./fixtures.ts";

async function write(io: MemoryFileIO, path: string, entries: ManifestEntry[], content = ManifestContent.Data) {
  return writeManifest(io, path, { spec: UNPARTITIONED, schema: SCHEMA, content, snapshotId: 42n, entries });
}

describe("sequence number inheritance", () => {
  test("null sequence numbers of ADDED entries become the manifest's; explicit ones stay", async () => {
    const io = new MemoryFileIO();
    const explicitAdded = { ...added(dataFile("old-data.parquet", [])), sequenceNumber: 3n, fileSequenceNumber: null };
    const manifest = await write(io, "memory://m.avro", [
      added(dataFile("new.parquet", [])),
      explicitAdded,
      existing(dataFile("kept.parquet", []), 7n, 2n, 4n),
    ]);
    // Java semantics: the minimum of the explicit live data sequence numbers (2), not "unassigned".
    assert.equal(manifest.minSequenceNumber, 2n);
    const [fresh, old, kept] = await readManifest(io, { ...manifest, sequenceNumber: 10n, minSequenceNumber: 2n });
    assert.deepEqual([fresh.snapshotId, fresh.sequenceNumber, fresh.fileSequenceNumber], [42n, 10n, 10n]);
    assert.deepEqual([old.snapshotId, old.sequenceNumber, old.fileSequenceNumber], [42n, 3n, 10n]);
    assert.deepEqual([kept.snapshotId, kept.sequenceNumber, kept.fileSequenceNumber], [7n, 2n, 4n]);
  });

  test("a manifest whose live entries all inherit has an unassigned min sequence number", async () => {
    const io = new MemoryFileIO();
    const manifest = await write(io, "memory://m.avro", [
      added(dataFile("a", [])),
      deleted(dataFile("gone", []), 42n, 1n), // deleted entries do not count toward the minimum
    ]);
    assert.equal(manifest.sequenceNumber, -1n);
    assert.equal(manifest.minSequenceNumber, -1n);
  });

  test("snapshot_id is written for every entry and a null one inherits added_snapshot_id", async () => {
    const io = new MemoryFileIO();
    const manifest = await write(io, "memory://m.avro", [added(dataFile("a", []))]);
    const [entry] = await readManifest(io, { ...manifest, sequenceNumber: 1n, addedSnapshotId: 99n });
    assert.equal(entry.snapshotId, 42n, "the writer stored the snapshot id explicitly");
  });

  test("EXISTING and DELETED entries never inherit from a non-zero manifest sequence number", async () => {
    // Such entries can only be produced by other writers (floe refuses to write them): build one
    // with the raw Avro writer through the manifest writer's own schema.
    const { writeAvroContainer } = await import("../../src/avro/container.ts");
    const { manifestEntryAvroSchema } = await import("../../src/manifest/manifest-schemas.ts");
    const io = new MemoryFileIO();
    const record = (status: number) => ({
      status,
      snapshot_id: null,
      sequence_number: null,
      file_sequence_number: null,
      data_file: {
        content: 0,
        file_path: `f${status}`,
        file_format: "parquet",
        partition: {},
        record_count: 1n,
        file_size_in_bytes: 1n,
        column_sizes: null,
        value_counts: null,
        null_value_counts: null,
        nan_value_counts: null,
        lower_bounds: null,
        upper_bounds: null,
        key_metadata: null,
        split_offsets: null,
        equality_ids: null,
        sort_order_id: null,
        referenced_data_file: null,
      },
    });
    const bytes = writeAvroContainer({
      schema: manifestEntryAvroSchema(2, { type: "struct", fields: [] }),
      records: [record(0), record(1), record(2)],
      metadata: {
        schema: JSON.stringify(SCHEMA),
        "partition-spec": "[]",
        "partition-spec-id": "0",
        "format-version": "2",
      },
    });
    await io.write("memory://other.avro", bytes);
    const manifest: ManifestFile = {
      manifestPath: "memory://other.avro",
      manifestLength: BigInt(bytes.length),
      partitionSpecId: 0,
      content: ManifestContent.Data,
      sequenceNumber: 8n,
      minSequenceNumber: 8n,
      addedSnapshotId: 5n,
      addedFilesCount: 1,
      existingFilesCount: 1,
      deletedFilesCount: 1,
      addedRowsCount: 1n,
      existingRowsCount: 1n,
      deletedRowsCount: 1n,
    };
    const entries = await readManifest(io, manifest);
    assert.deepEqual(
      entries.map((e) => [e.snapshotId, e.sequenceNumber, e.fileSequenceNumber]),
      [
        [5n, null, null],
        [5n, 8n, 8n],
        [5n, null, null],
      ],
    );
    assert.equal(entries[0].dataFile.fileFormat, "PARQUET", "lower-case format names are accepted");
    // A manifest carried over from v1 metadata has sequence number 0: every null inherits 0.
    const fromV1 = await readManifest(io, { ...manifest, sequenceNumber: 0n, minSequenceNumber: 0n });
    assert.deepEqual(
      fromV1.map((e) => [e.sequenceNumber, e.fileSequenceNumber]),
      [
        [0n, 0n],
        [0n, 0n],
        [0n, 0n],
      ],
    );
    // An unassigned manifest (not yet in a list) leaves nulls as null rather than inventing -1.
    const unassigned = await readManifest(io, { ...manifest, sequenceNumber: -1n });
    assert.deepEqual(unassigned[1].sequenceNumber, null);
  });
});

describe("first row id inheritance", () => {
  test("null first_row_id of live data files is the manifest's first_row_id plus preceding inherited rows", async () => {
    // v3 data_file fields (first_row_id 142, content_offset 144, ...) are read although floe writes v2:
    // build such a file with the raw Avro writer and the v2 schema extended by the v3 fields.
    const { writeAvroContainer } = await import("../../src/avro/container.ts");
    const { manifestEntryAvroSchema } = await import("../../src/manifest/manifest-schemas.ts");
    const schema = manifestEntryAvroSchema(2, { type: "struct", fields: [] });
    const dataFileRecord = schema.fields[4].type as { fields: Record<string, unknown>[] };
    for (const [id, name] of [
      [142, "first_row_id"],
      [144, "content_offset"],
      [145, "content_size_in_bytes"],
    ] as const)
      dataFileRecord.fields.push({ name, type: ["null", "long"], default: null, "field-id": id });
    const record = (status: number, path: string, recordCount: bigint, firstRowId: bigint | null) => ({
      status,
      snapshot_id: 1n,
      sequence_number: status === 1 ? null : 1n,
      file_sequence_number: status === 1 ? null : 1n,
      data_file: {
        content: 0,
        file_path: path,
        file_format: "PARQUET",
        partition: {},
        record_count: recordCount,
        file_size_in_bytes: 1n,
        column_sizes: null,
        value_counts: null,
        null_value_counts: null,
        nan_value_counts: null,
        lower_bounds: null,
        upper_bounds: null,
        key_metadata: null,
        split_offsets: null,
        equality_ids: null,
        sort_order_id: null,
        referenced_data_file: null,
        first_row_id: firstRowId,
        content_offset: path === "b" ? 4n : null,
        content_size_in_bytes: path === "b" ? 40n : null,
      },
    });
    const io = new MemoryFileIO();
    await io.write(
      "memory://v3.avro",
      writeAvroContainer({
        schema,
        records: [
          record(1, "a", 10n, null),
          record(0, "b", 5n, 500n),
          record(1, "c", 7n, null),
          record(2, "d", 3n, null),
          record(1, "e", 1n, null),
        ],
        metadata: { schema: JSON.stringify(SCHEMA), "partition-spec": "[]", "format-version": "3", content: "data" },
      }),
    );
    const manifest: ManifestFile = {
      manifestPath: "memory://v3.avro",
      manifestLength: 1n,
      partitionSpecId: 0,
      content: ManifestContent.Data,
      sequenceNumber: 2n,
      minSequenceNumber: 1n,
      addedSnapshotId: 1n,
      addedFilesCount: 3,
      existingFilesCount: 1,
      deletedFilesCount: 1,
      addedRowsCount: 18n,
      existingRowsCount: 5n,
      deletedRowsCount: 3n,
      firstRowId: 1000n,
    };
    const entries = await readManifest(io, manifest);
    assert.deepEqual(
      entries.map((e) => e.dataFile.firstRowId),
      [1000n, 500n, 1010n, undefined, 1017n],
    );
    assert.deepEqual([entries[1].dataFile.contentOffset, entries[1].dataFile.contentSizeInBytes], [4n, 40n]);
    // Without a manifest first_row_id nothing is assigned.
    const plain = await readManifest(io, { ...manifest, firstRowId: undefined });
    assert.deepEqual(
      plain.map((e) => e.dataFile.firstRowId),
      [undefined, 500n, undefined, undefined, undefined],
    );
  });

  test("delete files never get a first_row_id", async () => {
    const io = new MemoryFileIO();
    const manifest = await write(
      io,
      "memory://deletes.avro",
      [added(dataFile("p", [], { content: DataFileContent.PositionDeletes }))],
      ManifestContent.Deletes,
    );
    const [entry] = await readManifest(io, { ...manifest, sequenceNumber: 2n, firstRowId: 1000n });
    assert.equal(entry.dataFile.firstRowId, undefined);
  });
});
