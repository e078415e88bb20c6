import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import { assignFreshIds } from "../../src/spec/fresh-ids.ts";
import { parseTableMetadata } from "../../src/spec/metadata-parser.ts";
import { serializeTableMetadata } from "../../src/spec/metadata-writer.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import type { Schema } from "../../src/spec/types.ts";

/** A schema with deliberately odd ids, nested types and identifier fields. */
const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 7,
  "identifier-field-ids": [50, 52],
  fields: [
    { id: 50, name: "event_id", required: true, type: "long" },
    {
      id: 40,
      name: "location",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 41, name: "lat", required: false, type: "double" },
          { id: 42, name: "lon", required: false, type: "double" },
        ],
      },
    },
    { id: 52, name: "event_time", required: true, type: "timestamptz" },
    {
      id: 30,
      name: "tags",
      required: false,
      type: { type: "list", "element-id": 31, element: "string", "element-required": false },
    },
    {
      id: 20,
      name: "props",
      required: false,
      type: {
        type: "map",
        "key-id": 21,
        key: "string",
        "value-id": 22,
        value: { type: "struct", fields: [{ id: 23, name: "v", required: false, type: "string" }] },
        "value-required": true,
      },
    },
    { id: 60, name: "element_id", required: false, type: "string", doc: "the clicked element" },
  ],
};

function throwsFloe(fn: () => unknown, kind: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FloeError);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return true;
  });
}

describe("assignFreshIds", () => {
  test("numbers each struct level first, then nested types in order, like Java", () => {
    let next = 0;
    const fresh = assignFreshIds(SCHEMA, () => ++next);
    // top level: event_id 1, location 2, event_time 3, tags 4, props 5, element_id 6
    assert.deepEqual(
      fresh.fields.map((f) => [f.name, f.id]),
      [
        ["event_id", 1],
        ["location", 2],
        ["event_time", 3],
        ["tags", 4],
        ["props", 5],
        ["element_id", 6],
      ],
    );
    // then location's fields 7, 8; tags' element 9; props' key 10, value 11, value struct field 12
    assert.deepEqual(fresh.fields[1].type, {
      type: "struct",
      fields: [
        { id: 7, name: "lat", required: false, type: "double" },
        { id: 8, name: "lon", required: false, type: "double" },
      ],
    });
    assert.deepEqual(fresh.fields[3].type, {
      type: "list",
      "element-id": 9,
      element: "string",
      "element-required": false,
    });
    assert.deepEqual(fresh.fields[4].type, {
      type: "map",
      "key-id": 10,
      key: "string",
      "value-id": 11,
      value: { type: "struct", fields: [{ id: 12, name: "v", required: false, type: "string" }] },
      "value-required": true,
    });
    assert.equal(fresh.fields[5].doc, "the clicked element");
    assert.equal(next, 12);
  });

  test("remaps identifier field ids by name and keeps the schema id; the input is untouched", () => {
    let next = 100;
    const before = structuredClone(SCHEMA);
    const fresh = assignFreshIds(SCHEMA, () => ++next);
    assert.deepEqual(fresh["identifier-field-ids"], [101, 103]);
    assert.equal(fresh["schema-id"], 7);
    assert.deepEqual(SCHEMA, before);
  });
});

describe("newTableMetadata", () => {
  test("builds v2 metadata with fresh ids, spec 0 from field id 1000 and sort order 1", () => {
    const m = newTableMetadata({
      schema: SCHEMA,
      partitionSpec: {
        "spec-id": 5,
        fields: [
          { name: "event_day", transform: "day", "source-id": 52 },
          { name: "element_bucket", transform: "bucket[16]", "source-id": 60 },
        ],
      },
      sortOrder: {
        "order-id": 9,
        fields: [
          { transform: "identity", "source-id": 60, direction: "asc", "null-order": "nulls-first" },
          { transform: "identity", "source-id": 52, direction: "desc", "null-order": "nulls-last" },
        ],
      },
      location: "s3://bucket/clicks/events/",
      properties: { "write.target-file-size-bytes": "268435456", "format-version": "2" },
      tableUuid: "0f3a5e6c-5a43-4a5b-9f5a-6f0c1d2e3f40",
      nowMs: 1_700_000_000_000,
    });
    assert.equal(m["format-version"], 2);
    assert.equal(m["table-uuid"], "0f3a5e6c-5a43-4a5b-9f5a-6f0c1d2e3f40");
    assert.equal(m.location, "s3://bucket/clicks/events");
    assert.equal(m["last-updated-ms"], 1_700_000_000_000);
    assert.equal(m["last-sequence-number"], 0n);
    assert.equal(m["last-column-id"], 12);
    assert.equal(m["current-schema-id"], 0);
    assert.equal(m.schemas[0]["schema-id"], 0);
    assert.deepEqual(m.schemas[0]["identifier-field-ids"], [1, 3]);
    assert.deepEqual(m["partition-specs"], [
      {
        "spec-id": 0,
        fields: [
          { name: "event_day", transform: "day", "source-id": 3, "field-id": 1000 },
          { name: "element_bucket", transform: "bucket[16]", "source-id": 6, "field-id": 1001 },
        ],
      },
    ]);
    assert.equal(m["default-spec-id"], 0);
    assert.equal(m["last-partition-id"], 1001);
    assert.deepEqual(m["sort-orders"], [
      {
        "order-id": 1,
        fields: [
          { transform: "identity", "source-id": 6, direction: "asc", "null-order": "nulls-first" },
          { transform: "identity", "source-id": 3, direction: "desc", "null-order": "nulls-last" },
        ],
      },
    ]);
    assert.equal(m["default-sort-order-id"], 1);
    assert.deepEqual(m.properties, { "write.target-file-size-bytes": "268435456" });
    assert.equal(m["current-snapshot-id"], null);
    assert.deepEqual(m.snapshots, []);
    assert.deepEqual(m.refs, {});
    assert.equal(m["next-row-id"], undefined);
    assert.deepEqual(parseTableMetadata(serializeTableMetadata(m)), m);
  });

  test("unpartitioned and unsorted by default: last-partition-id 999, order id 0, a random uuid", () => {
    const m = newTableMetadata({ schema: SCHEMA, location: "file:///tmp/t" });
    assert.deepEqual(m["partition-specs"], [{ "spec-id": 0, fields: [] }]);
    assert.equal(m["last-partition-id"], 999);
    assert.deepEqual(m["sort-orders"], [{ "order-id": 0, fields: [] }]);
    assert.equal(m["default-sort-order-id"], 0);
    assert.match(m["table-uuid"], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(newTableMetadata({ schema: SCHEMA, location: "x" })["table-uuid"], m["table-uuid"]);
  });

  test("keeps explicit partition field ids and continues after the highest", () => {
    const m = newTableMetadata({
      schema: SCHEMA,
      location: "s3://b/t",
      partitionSpec: {
        "spec-id": 0,
        fields: [
          { name: "a", transform: "identity", "source-id": 50, "field-id": 1005 },
          { name: "b", transform: "truncate[4]", "source-id": 60 },
        ],
      },
    });
    assert.deepEqual(
      m["partition-specs"][0].fields.map((f) => f["field-id"]),
      [1005, 1006],
    );
    assert.equal(m["last-partition-id"], 1006);
  });

  test("the format version comes from the option, else the format-version property, else 2", () => {
    assert.equal(newTableMetadata({ schema: SCHEMA, location: "l" })["format-version"], 2);
    const v1 = newTableMetadata({ schema: SCHEMA, location: "l", properties: { "format-version": "1" } });
    assert.equal(v1["format-version"], 1);
    assert.deepEqual(v1.properties, {});
    const v3 = newTableMetadata({
      schema: SCHEMA,
      location: "l",
      formatVersion: 3,
      properties: { "format-version": "1" },
    });
    assert.equal(v3["format-version"], 3);
    assert.equal(v3["next-row-id"], 0n);
    const v1Json = serializeTableMetadata(v1);
    assert.deepEqual(parseTableMetadata(v1Json), v1);
  });

  test("rejects unsupported versions, reserved properties and specs that do not fit the schema", () => {
    throwsFloe(
      () => newTableMetadata({ schema: SCHEMA, location: "l", formatVersion: 4 as 3 }),
      "unsupported",
      /format version 4/,
    );
    throwsFloe(
      () => newTableMetadata({ schema: SCHEMA, location: "l", properties: { "format-version": "x" } }),
      "validation",
      /format-version must be an int/,
    );
    throwsFloe(
      () => newTableMetadata({ schema: SCHEMA, location: "l", properties: { "current-snapshot-id": "1" } }),
      "validation",
      /reserved property current-snapshot-id/,
    );
    throwsFloe(
      () =>
        newTableMetadata({
          schema: SCHEMA,
          location: "l",
          partitionSpec: { "spec-id": 0, fields: [{ name: "p", transform: "identity", "source-id": 999 }] },
        }),
      "validation",
      /partition field p: cannot find source column 999/,
    );
    throwsFloe(
      () =>
        newTableMetadata({
          schema: SCHEMA,
          location: "l",
          partitionSpec: { "spec-id": 0, fields: [{ name: "p", transform: "day", "source-id": 60 }] },
        }),
      "validation",
      /invalid source type string of element_id for transform day/,
    );
    throwsFloe(
      () =>
        newTableMetadata({
          schema: SCHEMA,
          location: "l",
          sortOrder: {
            "order-id": 1,
            fields: [{ transform: "identity", "source-id": 40, direction: "asc", "null-order": "nulls-first" }],
          },
        }),
      "validation",
      /non-primitive source field location/,
    );
    throwsFloe(
      () =>
        newTableMetadata({
          schema: {
            ...SCHEMA,
            fields: [{ id: 1, name: "t", required: false, type: "timestamp_ns" }],
            "identifier-field-ids": [],
          },
          location: "l",
        }),
      "validation",
      /timestamp_ns is not supported until v3/,
    );
  });
});
