import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AvroRecord, writeAvroContainer } from "../../src/avro/index.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { readManifestHeader } from "../../src/manifest/manifest-header.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { manifestEntryAvroSchema, manifestFileAvroSchema } from "../../src/manifest/manifest-schemas.ts";
import { DataFileContent, ManifestContent, ManifestEntryStatus } from "../../src/manifest/types.ts";
import { partitionType } from "../../src/spec/partitioning.ts";
import { SCHEMA } from "./fixtures.ts";

// A v1 spec as old writers stored it: no field ids (they are assigned from 1000 in order).
const V1_SPEC_JSON =
  '[{"name":"category","transform":"identity","source-id":3},{"name":"d","transform":"day","source-id":2}]';
const V1_SPEC = {
  "spec-id": 0,
  fields: [
    { "source-id": 3, "field-id": 1000, name: "category", transform: "identity" },
    { "source-id": 2, "field-id": 1001, name: "d", transform: "day" },
  ],
};
// v1 table schemas had no schema-id.
const V1_SCHEMA_JSON = JSON.stringify({ type: "struct", fields: SCHEMA.fields });

function v1DataFile(path: string, partition: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    file_path: path,
    file_format: "PARQUET",
    partition,
    record_count: 10n,
    file_size_in_bytes: 1000n,
    block_size_in_bytes: 67_108_864n,
    column_sizes: null,
    value_counts: [{ key: 1, value: 10n }],
    null_value_counts: null,
    nan_value_counts: null,
    lower_bounds: null,
    upper_bounds: null,
    key_metadata: null,
    split_offsets: [4n],
    sort_order_id: null,
    ...extra,
  };
}

describe("v1 metadata", () => {
  test("a v1 manifest list and manifest read with v2 defaults", async () => {
    const io = new MemoryFileIO();
    const manifestBytes = writeAvroContainer({
      schema: manifestEntryAvroSchema(1, partitionType(V1_SPEC, SCHEMA)),
      records: [
        { status: 1, snapshot_id: 100n, data_file: v1DataFile("a.parquet", { category: "books", d: 19_000 }) },
        { status: 0, snapshot_id: 90n, data_file: v1DataFile("b.parquet", { category: null, d: null }) },
        { status: 2, snapshot_id: 100n, data_file: v1DataFile("c.parquet", { category: "toys", d: 1 }) },
      ],
      metadata: { schema: V1_SCHEMA_JSON, "partition-spec": V1_SPEC_JSON },
    });
    await io.write("memory://v1/m.avro", manifestBytes);

    // Old writers named the counts "added_data_files_count" etc.; readers go by field id.
    const listSchema = manifestFileAvroSchema(1);
    const renamed: AvroRecord = {
      ...listSchema,
      fields: listSchema.fields.map((f) =>
        f.name.endsWith("_files_count") ? { ...f, name: f.name.replace("_files_count", "_data_files_count") } : f,
      ),
    };
    const listBytes = writeAvroContainer({
      schema: renamed,
      records: [
        {
          manifest_path: "memory://v1/m.avro",
          manifest_length: BigInt(manifestBytes.length),
          partition_spec_id: 0,
          added_snapshot_id: 100n,
          added_data_files_count: 1,
          existing_data_files_count: 1,
          deleted_data_files_count: null, // unknown in v1: "assumed to be non-zero"
          added_rows_count: 10n,
          existing_rows_count: 10n,
          deleted_rows_count: null,
          partitions: [
            { contains_null: true, contains_nan: null, lower_bound: null, upper_bound: null },
            { contains_null: true, contains_nan: null, lower_bound: null, upper_bound: null },
          ],
          key_metadata: null,
        },
      ],
      metadata: { "snapshot-id": "100", "parent-snapshot-id": "90" },
    });
    await io.write("memory://v1/list.avro", listBytes);

    const [manifest] = await readManifestList(io, "memory://v1/list.avro");
    assert.deepEqual(manifest, {
      manifestPath: "memory://v1/m.avro",
      manifestLength: BigInt(manifestBytes.length),
      partitionSpecId: 0,
      content: ManifestContent.Data,
      sequenceNumber: 0n,
      minSequenceNumber: 0n,
      addedSnapshotId: 100n,
      addedFilesCount: 1,
      existingFilesCount: 1,
      deletedFilesCount: -1,
      addedRowsCount: 10n,
      existingRowsCount: 10n,
      deletedRowsCount: -1n,
      partitions: [{ containsNull: true }, { containsNull: true }],
    });

    const header = await readManifestHeader(io, "memory://v1/m.avro");
    assert.deepEqual(header, {
      schema: { type: "struct", "schema-id": 0, fields: SCHEMA.fields },
      spec: V1_SPEC,
      specId: 0,
      formatVersion: 1,
      content: "data",
    });

    const entries = await readManifest(io, manifest);
    assert.deepEqual(
      entries.map((e) => [e.status, e.snapshotId, e.sequenceNumber, e.fileSequenceNumber]),
      [
        [ManifestEntryStatus.Added, 100n, 0n, 0n],
        [ManifestEntryStatus.Existing, 90n, 0n, 0n],
        [ManifestEntryStatus.Deleted, 100n, 0n, 0n],
      ],
    );
    assert.deepEqual(entries[0].dataFile, {
      content: DataFileContent.Data,
      filePath: "a.parquet",
      fileFormat: "PARQUET",
      partition: ["books", 19_000],
      recordCount: 10n,
      fileSizeInBytes: 1000n,
      valueCounts: new Map([[1, 10n]]),
      splitOffsets: [4n],
      specId: 0,
    });
    assert.deepEqual(entries[1].dataFile.partition, [null, null]);
  });
});
