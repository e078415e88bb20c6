// Manifests and manifest lists written by floe, read back by an independent Avro implementation
// (the Apache Avro Python library), and a manifest written by that library read by floe. If the
// library is missing, these tests FAIL with the install command (they never skip).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { readAvroContainer } from "../../src/avro/container.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { readManifestList, writeManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { manifestEntryAvroSchema } from "../../src/manifest/manifest-schemas.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import { ManifestContent, ManifestEntryStatus } from "../../src/manifest/types.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import { partitionType } from "../../src/spec/partitioning.ts";
import { readWithIndependentAvro, writeWithIndependentAvro } from "../support/independent-avro.ts";
import { MIXED_SPEC, SCHEMA, TYPED_SPEC, added, dataFile, existing } from "./fixtures.ts";

const SNAPSHOT = 8_765_432_109_876_543_210n; // > 2^53
const LOWER = Uint8Array.of(0x00, 0x01, 0x80, 0xff);
const UPPER = Uint8Array.of(0xff, 0xfe);

interface JsonRecord {
  name: string;
  fields: { name: string; type: unknown; "field-id"?: number }[];
}
/** [field-id, name] of every field of a record schema read from the file. */
const idsAndNames = (record: JsonRecord) => record.fields.map((f) => [f["field-id"], f.name]);
const recordOf = (type: unknown): JsonRecord =>
  (Array.isArray(type) ? type.find((t) => t !== "null") : type) as JsonRecord;

describe("independent read of floe-written manifests", () => {
  let dir: string;
  const io = new LocalFileIO();
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "floe-manifest-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a manifest: schema ids, header metadata and values as python3-avro sees them", async () => {
    const manifestPath = path.join(dir, "m-1.avro");
    const file = dataFile("s3://bucket/t/data/a.parquet", [19_000, 3, "elec", "electronics"], {
      recordCount: 9_007_199_254_740_993n,
      fileSizeInBytes: 123_456_789_012n,
      columnSizes: new Map([[1, 4096n]]),
      valueCounts: new Map([
        [1, 10n],
        [3, 10n],
      ]),
      nullValueCounts: new Map([[3, 2n]]),
      lowerBounds: new Map([[1, LOWER]]),
      upperBounds: new Map([[1, UPPER]]),
      splitOffsets: [4n],
      sortOrderId: 0,
    });
    const manifest = await writeManifest(io, manifestPath, {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: SNAPSHOT,
      entries: [added(file), existing(dataFile("old.parquet", [null, 0, null, null]), 3n, 1n, 2n)],
    });

    const independent = await readWithIndependentAvro(manifestPath);
    // Header metadata keys of spec "Manifest Metadata" (v2: all required).
    for (const key of ["schema", "schema-id", "partition-spec", "partition-spec-id", "format-version", "content"])
      assert.ok(key in independent.metadata, `header has ${key}`);
    assert.equal(independent.metadata["avro.codec"], "deflate");
    assert.equal(independent.metadata["format-version"], "2");
    assert.equal(independent.metadata["partition-spec-id"], "1");
    assert.equal(independent.metadata["schema-id"], "3");
    assert.equal(independent.metadata.content, "data");
    assert.deepEqual(JSON.parse(independent.metadata["partition-spec"]), MIXED_SPEC.fields);

    // Field names and ids as stored in the file's schema.
    const entrySchema = independent.schema as JsonRecord;
    assert.equal(entrySchema.name, "manifest_entry");
    assert.deepEqual(idsAndNames(entrySchema), [
      [0, "status"],
      [1, "snapshot_id"],
      [3, "sequence_number"],
      [4, "file_sequence_number"],
      [2, "data_file"],
    ]);
    const dataFileSchema = recordOf(entrySchema.fields[4].type);
    assert.equal(dataFileSchema.name, "r2");
    assert.deepEqual(
      idsAndNames(dataFileSchema).map(([id]) => id),
      [134, 100, 101, 102, 103, 104, 108, 109, 110, 137, 125, 128, 131, 132, 135, 140, 143],
    );
    const partitionSchema = recordOf(dataFileSchema.fields[3].type);
    assert.equal(partitionSchema.name, "r102");
    assert.deepEqual(idsAndNames(partitionSchema), [
      [1000, "event_time_day"],
      [1001, "id_bucket"],
      [1002, "category_trunc"],
      [1003, "category"],
    ]);

    // Values: exact int64s, inherited (null) sequence numbers, maps as key/value records, bytes.
    const [first, second] = independent.records as Record<string, unknown>[];
    assert.deepEqual(first, {
      status: ManifestEntryStatus.Added,
      snapshot_id: SNAPSHOT,
      sequence_number: null,
      file_sequence_number: null,
      data_file: {
        content: 0,
        file_path: "s3://bucket/t/data/a.parquet",
        file_format: "PARQUET",
        partition: { event_time_day: 19_000, id_bucket: 3, category_trunc: "elec", category: "electronics" },
        record_count: 9_007_199_254_740_993n,
        file_size_in_bytes: 123_456_789_012n,
        column_sizes: [{ key: 1, value: 4096n }],
        value_counts: [
          { key: 1, value: 10n },
          { key: 3, value: 10n },
        ],
        null_value_counts: [{ key: 3, value: 2n }],
        nan_value_counts: null,
        lower_bounds: [{ key: 1, value: LOWER }],
        upper_bounds: [{ key: 1, value: UPPER }],
        key_metadata: null,
        split_offsets: [4n],
        equality_ids: null,
        sort_order_id: 0,
        referenced_data_file: null,
      },
    });
    assert.deepEqual(
      [second.status, second.snapshot_id, second.sequence_number, second.file_sequence_number],
      [ManifestEntryStatus.Existing, 3n, 1n, 2n],
    );
    // Both implementations decode the same records.
    assert.deepEqual(independent.records, readAvroContainer(await io.read(manifestPath)).records);
    assert.equal(manifest.manifestLength > 0n, true);
  });

  test("a manifest list: ids, header metadata and assigned sequence numbers", async () => {
    const manifestPath = path.join(dir, "m-2.avro");
    const manifest = await writeManifest(io, manifestPath, {
      spec: TYPED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: SNAPSHOT,
      entries: [added(dataFile("x.parquet", [-12_345n, "f79c3e09-677c-4bbd-a479-3f349cb785e7", 1.5, 19_000, null]))],
    });
    const listPath = path.join(dir, "snap-1.avro");
    await writeManifestList(io, listPath, {
      snapshotId: SNAPSHOT,
      parentSnapshotId: null,
      sequenceNumber: 17n,
      manifests: [manifest],
    });

    const independent = await readWithIndependentAvro(listPath);
    assert.deepEqual(
      Object.fromEntries(
        ["snapshot-id", "parent-snapshot-id", "sequence-number", "format-version"].map((k) => [
          k,
          independent.metadata[k],
        ]),
      ),
      { "snapshot-id": String(SNAPSHOT), "parent-snapshot-id": "null", "sequence-number": "17", "format-version": "2" },
    );
    const listSchema = independent.schema as JsonRecord;
    assert.equal(listSchema.name, "manifest_file");
    assert.deepEqual(
      idsAndNames(listSchema).map(([id]) => id),
      [500, 501, 502, 517, 515, 516, 503, 504, 505, 506, 512, 513, 514, 507, 519],
    );
    const summary = recordOf((recordOf(listSchema.fields[13].type) as unknown as { items: unknown }).items);
    assert.equal(summary.name, "r508");
    assert.deepEqual(idsAndNames(summary), [
      [509, "contains_null"],
      [518, "contains_nan"],
      [510, "lower_bound"],
      [511, "upper_bound"],
    ]);

    assert.deepEqual(independent.records, [
      {
        manifest_path: manifestPath,
        manifest_length: manifest.manifestLength,
        partition_spec_id: 2,
        content: 0,
        sequence_number: 17n,
        min_sequence_number: 17n,
        added_snapshot_id: SNAPSHOT,
        added_files_count: 1,
        existing_files_count: 0,
        deleted_files_count: 0,
        added_rows_count: 100n,
        existing_rows_count: 0n,
        deleted_rows_count: 0n,
        partitions: [
          {
            contains_null: false,
            contains_nan: false,
            lower_bound: toBytes("decimal(10,2)", -12_345n),
            upper_bound: toBytes("decimal(10,2)", -12_345n),
          },
          {
            contains_null: false,
            contains_nan: false,
            lower_bound: toBytes("uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7"),
            upper_bound: toBytes("uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7"),
          },
          {
            contains_null: false,
            contains_nan: false,
            lower_bound: toBytes("double", 1.5),
            upper_bound: toBytes("double", 1.5),
          },
          {
            contains_null: false,
            contains_nan: false,
            lower_bound: toBytes("date", 19_000),
            upper_bound: toBytes("date", 19_000),
          },
          { contains_null: true, contains_nan: false, lower_bound: null, upper_bound: null },
        ],
        key_metadata: null,
      },
    ]);
  });

  test("a manifest written by python3-avro (v1 schema) reads in floe", async () => {
    const spec = { "spec-id": 0, fields: [MIXED_SPEC.fields[3]] };
    const manifestPath = path.join(dir, "python-v1.avro");
    await writeWithIndependentAvro(manifestPath, {
      schema: manifestEntryAvroSchema(1, partitionType(spec, SCHEMA)),
      codec: "deflate",
      metadata: {
        schema: JSON.stringify(SCHEMA),
        "partition-spec": JSON.stringify(spec.fields),
        "partition-spec-id": "0",
      },
      records: [
        {
          status: 1,
          snapshot_id: SNAPSHOT,
          data_file: {
            file_path: "p.parquet",
            file_format: "PARQUET",
            partition: { category: "books" },
            record_count: 3n,
            file_size_in_bytes: 300n,
            block_size_in_bytes: 67_108_864n,
            column_sizes: null,
            value_counts: null,
            null_value_counts: null,
            nan_value_counts: null,
            lower_bounds: [{ key: 3, value: LOWER }],
            upper_bounds: null,
            key_metadata: null,
            split_offsets: null,
            sort_order_id: null,
          },
        },
      ],
    });
    const listPath = path.join(dir, "python-v1-list.avro");
    const { manifestFileAvroSchema } = await import("../../src/manifest/manifest-schemas.ts");
    await writeWithIndependentAvro(listPath, {
      schema: manifestFileAvroSchema(1),
      records: [
        {
          manifest_path: manifestPath,
          manifest_length: 1n,
          partition_spec_id: 0,
          added_snapshot_id: SNAPSHOT,
          added_files_count: 1,
          existing_files_count: 0,
          deleted_files_count: 0,
          added_rows_count: 3n,
          existing_rows_count: 0n,
          deleted_rows_count: 0n,
          partitions: null,
          key_metadata: null,
        },
      ],
    });
    const [listed] = await readManifestList(io, listPath);
    assert.deepEqual(
      [listed.content, listed.sequenceNumber, listed.addedSnapshotId],
      [ManifestContent.Data, 0n, SNAPSHOT],
    );
    const [entry] = await readManifest(io, listed);
    assert.deepEqual(entry, {
      status: ManifestEntryStatus.Added,
      snapshotId: SNAPSHOT,
      sequenceNumber: 0n,
      fileSequenceNumber: 0n,
      dataFile: {
        content: 0,
        filePath: "p.parquet",
        fileFormat: "PARQUET",
        partition: ["books"],
        recordCount: 3n,
        fileSizeInBytes: 300n,
        lowerBounds: new Map([[3, LOWER]]),
        specId: 0,
      },
    });
  });
});
