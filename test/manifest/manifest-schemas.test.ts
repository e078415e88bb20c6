// The manifest schemas checked field by field against the tables of the spec ("Manifests",
// "Manifest Lists", v2 columns): id, name, requiredness, and the Java-compatible record names.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AvroField, AvroRecord, AvroSchema } from "../../src/avro/schema.ts";
import { manifestEntryAvroSchema, manifestFileAvroSchema } from "../../src/manifest/manifest-schemas.ts";
import { partitionType } from "../../src/spec/partitioning.ts";
import { MIXED_SPEC, SCHEMA } from "./fixtures.ts";

type Row = [id: number, name: string, required: boolean];
const rows = (record: AvroRecord): Row[] =>
  record.fields.map((f) => [f["field-id"] as number, f.name, !Array.isArray(f.type)]);
const field = (record: AvroRecord, name: string): AvroField => {
  const found = record.fields.find((f) => f.name === name);
  assert.ok(found, `field ${name} in ${record.name}`);
  return found;
};
const nonNull = (schema: AvroSchema): AvroSchema =>
  Array.isArray(schema) ? (schema.find((s) => s !== "null") as AvroSchema) : schema;

describe("manifest schemas (v2)", () => {
  const entry = manifestEntryAvroSchema(2, partitionType(MIXED_SPEC, SCHEMA));
  const dataFile = field(entry, "data_file").type as AvroRecord;

  test("manifest_entry", () => {
    assert.equal(entry.name, "manifest_entry");
    assert.deepEqual(rows(entry), [
      [0, "status", true],
      [1, "snapshot_id", false],
      [3, "sequence_number", false],
      [4, "file_sequence_number", false],
      [2, "data_file", true],
    ]);
    for (const f of entry.fields)
      if (Array.isArray(f.type)) assert.equal(f.default, null, `${f.name} defaults to null`);
  });

  test("data_file", () => {
    assert.equal(dataFile.name, "r2");
    assert.deepEqual(rows(dataFile), [
      [134, "content", true],
      [100, "file_path", true],
      [101, "file_format", true],
      [102, "partition", true],
      [103, "record_count", true],
      [104, "file_size_in_bytes", true],
      [108, "column_sizes", false],
      [109, "value_counts", false],
      [110, "null_value_counts", false],
      [137, "nan_value_counts", false],
      [125, "lower_bounds", false],
      [128, "upper_bounds", false],
      [131, "key_metadata", false],
      [132, "split_offsets", false],
      [135, "equality_ids", false],
      [140, "sort_order_id", false],
      [143, "referenced_data_file", false],
    ]);
    const types = Object.fromEntries(dataFile.fields.map((f) => [f.name, nonNull(f.type)]));
    assert.deepEqual(
      [types.content, types.file_path, types.record_count, types.key_metadata, types.sort_order_id],
      ["int", "string", "long", "bytes", "int"],
    );
  });

  test("int-keyed metric maps are arrays of k<id>_v<id> records with logicalType map", () => {
    const maps: [string, number, number, string][] = [
      ["column_sizes", 117, 118, "long"],
      ["value_counts", 119, 120, "long"],
      ["null_value_counts", 121, 122, "long"],
      ["nan_value_counts", 138, 139, "long"],
      ["lower_bounds", 126, 127, "bytes"],
      ["upper_bounds", 129, 130, "bytes"],
    ];
    for (const [name, keyId, valueId, valueType] of maps) {
      assert.deepEqual(nonNull(field(dataFile, name).type), {
        type: "array",
        logicalType: "map",
        items: {
          type: "record",
          name: `k${keyId}_v${valueId}`,
          fields: [
            { name: "key", type: "int", "field-id": keyId },
            { name: "value", type: valueType, "field-id": valueId },
          ],
        },
      });
    }
    assert.deepEqual(nonNull(field(dataFile, "split_offsets").type), {
      type: "array",
      items: "long",
      "element-id": 133,
    });
    assert.deepEqual(nonNull(field(dataFile, "equality_ids").type), { type: "array", items: "int", "element-id": 136 });
  });

  test("partition is record r102 with the partition field ids, all optional", () => {
    const partition = field(dataFile, "partition").type as AvroRecord;
    assert.equal(partition.name, "r102");
    assert.deepEqual(rows(partition), [
      [1000, "event_time_day", false],
      [1001, "id_bucket", false],
      [1002, "category_trunc", false],
      [1003, "category", false],
    ]);
    assert.deepEqual(partition.fields[0].type, ["null", { type: "int", logicalType: "date" }]);
  });

  test("manifest_file and field_summary", () => {
    const list = manifestFileAvroSchema(2);
    assert.equal(list.name, "manifest_file");
    assert.deepEqual(rows(list), [
      [500, "manifest_path", true],
      [501, "manifest_length", true],
      [502, "partition_spec_id", true],
      [517, "content", true],
      [515, "sequence_number", true],
      [516, "min_sequence_number", true],
      [503, "added_snapshot_id", true],
      [504, "added_files_count", true],
      [505, "existing_files_count", true],
      [506, "deleted_files_count", true],
      [512, "added_rows_count", true],
      [513, "existing_rows_count", true],
      [514, "deleted_rows_count", true],
      [507, "partitions", false],
      [519, "key_metadata", false],
    ]);
    const partitions = nonNull(field(list, "partitions").type) as unknown as {
      items: AvroRecord;
      "element-id": number;
    };
    assert.equal(partitions["element-id"], 508);
    assert.equal(partitions.items.name, "r508");
    assert.deepEqual(rows(partitions.items), [
      [509, "contains_null", true],
      [518, "contains_nan", false],
      [510, "lower_bound", false],
      [511, "upper_bound", false],
    ]);
  });
});

describe("manifest schemas (v1)", () => {
  test("v1 manifest_entry has a required snapshot_id, no sequence numbers, and block_size_in_bytes", () => {
    const entry = manifestEntryAvroSchema(1, { type: "struct", fields: [] });
    assert.deepEqual(rows(entry), [
      [0, "status", true],
      [1, "snapshot_id", true],
      [2, "data_file", true],
    ]);
    const dataFile = field(entry, "data_file").type as AvroRecord;
    assert.deepEqual(rows(dataFile).slice(0, 6), [
      [100, "file_path", true],
      [101, "file_format", true],
      [102, "partition", true],
      [103, "record_count", true],
      [104, "file_size_in_bytes", true],
      [105, "block_size_in_bytes", true],
    ]);
    assert.ok(!dataFile.fields.some((f) => f.name === "content" || f.name === "equality_ids"));
  });

  test("v1 manifest_file has no content or sequence numbers and optional counts", () => {
    const list = manifestFileAvroSchema(1);
    assert.deepEqual(
      rows(list).map(([id, , required]) => [id, required]),
      [
        [500, true],
        [501, true],
        [502, true],
        [503, true],
        [504, false],
        [505, false],
        [506, false],
        [512, false],
        [513, false],
        [514, false],
        [507, false],
        [519, false],
      ],
    );
  });
});
