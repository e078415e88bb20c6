// Writes object-container files with floe and reads them back with floe: every type, both codecs,
// block splitting, header metadata, schema attributes, defaults and union branch choice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AvroEncoder } from "../../src/avro/binary-encoder.ts";
import {
  DEFAULT_AVRO_BLOCK_SIZE,
  iterateAvroContainer,
  openAvroContainer,
  readAvroContainer,
  writeAvroContainer,
} from "../../src/avro/container.ts";
import { encodeValue } from "../../src/avro/datum-writer.ts";
import { resolveAvroSchema } from "../../src/avro/resolved-schema.ts";
import type { AvroSchema } from "../../src/avro/schema.ts";
import { EVERY_TYPE_RECORDS, EVERY_TYPE_SCHEMA } from "./every-type.fixture.ts";

/** Counts occurrences of the file's sync marker (the last 16 bytes): the header's plus one per block. */
function countBlocks(file: Uint8Array): number {
  const sync = Buffer.from(file.subarray(file.length - 16));
  let count = -1;
  for (let at = Buffer.from(file).indexOf(sync); at >= 0; at = Buffer.from(file).indexOf(sync, at + 1)) count++;
  return count;
}

for (const codec of ["null", "deflate"] as const) {
  test(`every type round-trips exactly with codec ${codec}`, () => {
    const file = writeAvroContainer({ schema: EVERY_TYPE_SCHEMA, records: EVERY_TYPE_RECORDS, codec });
    const { schema, metadata, records } = readAvroContainer(file);
    assert.deepStrictEqual(records, EVERY_TYPE_RECORDS);
    assert.deepStrictEqual(schema, EVERY_TYPE_SCHEMA);
    assert.equal(metadata["avro.codec"], codec);
  });
}

test("the header starts with the magic and stores the schema with all its extra attributes verbatim", () => {
  const file = writeAvroContainer({ schema: EVERY_TYPE_SCHEMA, records: [] });
  assert.deepStrictEqual([...file.subarray(0, 4)], [0x4f, 0x62, 0x6a, 0x01]);
  const { metadata, records } = readAvroContainer(file);
  assert.deepStrictEqual(records, []);
  const text = metadata["avro.schema"];
  for (const attribute of [
    '"field-id":3',
    '"element-id":10',
    '"key-id":11',
    '"value-id":12',
    '"logicalType":"timestamp-micros"',
    '"adjust-to-utc":true',
    '"custom-attribute":{"nested":[1,"two"]}',
    '"doc":"all the types"',
    '"precision":10',
  ])
    assert.ok(text.includes(attribute), `schema text keeps ${attribute}: ${text}`);
  assert.deepStrictEqual(JSON.parse(text), EVERY_TYPE_SCHEMA);
});

test("caller metadata is stored in the header and reserved avro.* keys are refused", () => {
  const metadata = {
    schema: '{"type":"struct","schema-id":0,"fields":[]}',
    "partition-spec": "[]",
    "partition-spec-id": "0",
    "format-version": "2",
    content: "data",
    unicode: "ünïcödé ✓",
  };
  const file = writeAvroContainer({ schema: "long", records: [1n], metadata, codec: "deflate" });
  const read = readAvroContainer(file);
  assert.deepStrictEqual(read.metadata, { "avro.schema": '"long"', "avro.codec": "deflate", ...metadata });
  assert.throws(
    () => writeAvroContainer({ schema: "long", records: [], metadata: { "avro.codec": "snappy" } }),
    /reserved/,
  );
});

test("blocks close at the block size: 64,000 bytes by default, smaller when asked", () => {
  assert.equal(DEFAULT_AVRO_BLOCK_SIZE, 64_000);
  const schema: AvroSchema = { type: "record", name: "Row", fields: [{ name: "s", type: "string" }] };
  // Each record encodes to 1002 bytes (2-byte length + 1000), so 64 fill a default block.
  const records = Array.from({ length: 200 }, (_, index) => ({ s: String(index % 10).repeat(1000) }));
  for (const codec of ["null", "deflate"] as const) {
    const file = writeAvroContainer({ schema, records, codec });
    assert.equal(countBlocks(file), 4, `200 records in blocks of 64, 64, 64, 8 (${codec})`);
    assert.deepStrictEqual(readAvroContainer(file).records, records);
    const tiny = writeAvroContainer({ schema, records: records.slice(0, 10), codec, blockSize: 1 });
    assert.equal(countBlocks(tiny), 10, "one record per block");
    assert.deepStrictEqual(readAvroContainer(tiny).records, records.slice(0, 10));
  }
  assert.ok(
    writeAvroContainer({ schema, records, codec: "deflate" }).length <
      writeAvroContainer({ schema, records, codec: "null" }).length / 10,
    "deflate compresses repetitive data",
  );
});

test("records may come from any iterable, and iterateAvroContainer yields them lazily", () => {
  function* generate() {
    for (let index = 0; index < 1000; index++) yield { id: BigInt(index), name: `n${index}` };
  }
  const schema: AvroSchema = {
    type: "record",
    name: "Row",
    fields: [
      { name: "id", type: "long" },
      { name: "name", type: "string" },
    ],
  };
  const file = writeAvroContainer({ schema, records: generate(), blockSize: 100 });
  const iterator = iterateAvroContainer(file);
  assert.deepStrictEqual(iterator.next().value, { id: 0n, name: "n0" });
  let count = 1;
  for (const record of iterator) assert.deepStrictEqual(record, { id: BigInt(count), name: `n${count++}` });
  assert.equal(count, 1000);
  const opened = openAvroContainer(file);
  assert.equal(opened.codec, "null");
  assert.deepStrictEqual(opened.schema, schema);
});

test("a file with no records is a header only and reads back empty", () => {
  const file = writeAvroContainer({ schema: "string", records: [], codec: "deflate" });
  assert.equal(countBlocks(file), 0);
  assert.deepStrictEqual(readAvroContainer(file).records, []);
});

test("top-level non-record schemas work: unions, arrays, maps, primitives", () => {
  const cases: [AvroSchema, unknown[]][] = [
    [
      ["null", "string", "long"],
      [null, "a", 5n, 2n ** 62n],
    ],
    [{ type: "array", items: ["null", "double"] }, [[], [null, 1.5, Number.NaN]]],
    [{ type: "map", values: { type: "array", items: "boolean" } }, [new Map([["x", [true, false]]]), new Map()]],
    ["bytes", [new Uint8Array(0), Uint8Array.from({ length: 300 }, (_, i) => i % 256)]],
    ["null", [null, null]],
    [{ type: "string", logicalType: "uuid" }, ["f79c3e09-677c-4b1b-a4c9-3f3a6c9b5f3e"]],
  ];
  for (const [schema, records] of cases)
    for (const codec of ["null", "deflate"] as const)
      assert.deepStrictEqual(readAvroContainer(writeAvroContainer({ schema, records, codec })).records, records);
});

test("missing fields: a default is used, an optional field writes null", () => {
  const schema: AvroSchema = {
    type: "record",
    name: "WithDefaults",
    fields: [
      { name: "id", type: "long" },
      { name: "count", type: "long", default: 7 },
      { name: "name", type: "string", default: "unnamed" },
      { name: "raw", type: "bytes", default: "\u0000\u00ff" },
      { name: "opt", type: ["null", "string"] },
      { name: "optWithDefault", type: ["string", "null"], default: "d" },
      { name: "list", type: { type: "array", items: "int" }, default: [1, 2] },
      { name: "dict", type: { type: "map", values: "long" }, default: { a: 1 } },
      {
        name: "sub",
        type: { type: "record", name: "Sub", fields: [{ name: "x", type: "int", default: 3 }] },
        default: {},
      },
      { name: "kind", type: { type: "enum", name: "Kind", symbols: ["A", "B"] }, default: "B" },
    ],
  };
  const file = writeAvroContainer({
    schema,
    records: [{ id: 1n }, { id: 2, count: 9n, opt: "o", optWithDefault: null }],
  });
  assert.deepStrictEqual(readAvroContainer(file).records, [
    {
      id: 1n,
      count: 7n,
      name: "unnamed",
      raw: Uint8Array.of(0, 255),
      opt: null,
      optWithDefault: "d",
      list: [1, 2],
      dict: new Map([["a", 1n]]),
      sub: { x: 3 },
      kind: "B",
    },
    {
      id: 2n,
      count: 9n,
      name: "unnamed",
      raw: Uint8Array.of(0, 255),
      opt: "o",
      optWithDefault: null,
      list: [1, 2],
      dict: new Map([["a", 1n]]),
      sub: { x: 3 },
      kind: "B",
    },
  ]);
});

test("union branches are chosen by the JS value: bigint->long, number->int or double, bytes vs string", () => {
  const branchOf = (schema: AvroSchema, value: unknown) => {
    const encoder = new AvroEncoder();
    encodeValue(encoder, resolveAvroSchema(schema, { forWriting: true }), value, "test value");
    return encoder.toBytes()[0] / 2; // the zigzagged branch index (all are small)
  };
  const numeric: AvroSchema = ["null", "int", "long", "double"];
  assert.equal(branchOf(numeric, null), 0);
  assert.equal(branchOf(numeric, undefined), 0);
  assert.equal(branchOf(numeric, 5), 1);
  assert.equal(branchOf(numeric, 5n), 2);
  assert.equal(branchOf(numeric, 2 ** 40), 3, "an integer beyond int32 given as number is a double here");
  assert.equal(branchOf(numeric, 0.5), 3);
  assert.equal(branchOf(["null", "long"], 2 ** 40), 1, "a safe integer number may still be written as long");
  assert.equal(branchOf(["null", "int"], 3n), 1, "a small bigint may still be written as int");
  assert.equal(branchOf(["string", "bytes"], Uint8Array.of(1)), 1);
  assert.equal(branchOf(["bytes", "string"], "s"), 1);
  const shapes: AvroSchema = [
    "null",
    { type: "map", values: "int" },
    { type: "array", items: "int" },
    { type: "record", name: "R", fields: [] },
    { type: "fixed", name: "F", size: 2 },
    "bytes",
  ];
  assert.equal(branchOf(shapes, new Map()), 1);
  assert.equal(branchOf(shapes, []), 2);
  assert.equal(branchOf(shapes, {}), 3);
  assert.equal(branchOf(shapes, Uint8Array.of(1, 2)), 4, "fixed when the length matches");
  assert.equal(branchOf(shapes, Uint8Array.of(1, 2, 3)), 5, "bytes otherwise");
  const enums: AvroSchema = [{ type: "enum", name: "E", symbols: ["A"] }, "string"];
  assert.equal(branchOf(enums, "A"), 0);
  assert.equal(branchOf(enums, "Z"), 1);
});

test("named types resolve through namespaces, and recursive records round-trip", () => {
  const schema: AvroSchema = {
    type: "record",
    name: "Tree",
    namespace: "a.b",
    fields: [
      { name: "value", type: "int" },
      { name: "children", type: { type: "array", items: "a.b.Tree" } },
      { name: "parent", type: ["null", "Tree"], default: null },
      { name: "id", type: { type: "fixed", name: "c.Id", size: 2 } },
      { name: "otherId", type: "c.Id" },
      { name: "kind", type: { type: "enum", name: "Kind", namespace: "", symbols: ["LEAF", "NODE"] } },
      { name: "kind2", type: "Kind" },
    ],
  };
  const leaf = (value: number) => ({
    value,
    children: [],
    parent: null,
    id: Uint8Array.of(value, 0),
    otherId: Uint8Array.of(0, value),
    kind: "LEAF",
    kind2: "LEAF",
  });
  const tree = {
    ...leaf(1),
    kind: "NODE",
    children: [leaf(2), { ...leaf(3), children: [leaf(4)], parent: leaf(9) }],
  };
  assert.deepStrictEqual(readAvroContainer(writeAvroContainer({ schema, records: [tree] })).records, [tree]);
});

test("a field named __proto__ is an ordinary own property on read and write", () => {
  const schema: AvroSchema = { type: "record", name: "P", fields: [{ name: "__proto__", type: "int" }] };
  const record = JSON.parse('{"__proto__": 5}');
  const [read] = readAvroContainer(writeAvroContainer({ schema, records: [record] })).records as Record<
    string,
    unknown
  >[];
  assert.equal(Object.getPrototypeOf(read), Object.prototype);
  assert.deepStrictEqual(Object.entries(read), [["__proto__", 5]]);
});

test("a manifest-sized file of 10,000 records writes and reads quickly", () => {
  const schema: AvroSchema = {
    type: "record",
    name: "manifest_entry",
    fields: [
      { name: "status", type: "int", "field-id": 0 },
      { name: "snapshot_id", type: ["null", "long"], "field-id": 1 },
      {
        name: "data_file",
        "field-id": 2,
        type: {
          type: "record",
          name: "r2",
          fields: [
            { name: "file_path", type: "string", "field-id": 100 },
            { name: "record_count", type: "long", "field-id": 103 },
            {
              name: "lower_bounds",
              "field-id": 125,
              type: [
                "null",
                {
                  type: "array",
                  logicalType: "map",
                  items: {
                    type: "record",
                    name: "k126_v127",
                    fields: [
                      { name: "key", type: "int", "field-id": 126 },
                      { name: "value", type: "bytes", "field-id": 127 },
                    ],
                  },
                },
              ],
            },
          ],
        },
      },
    ],
  };
  const records = Array.from({ length: 10_000 }, (_, index) => ({
    status: 1,
    snapshot_id: 8_000_000_000_000_000_000n + BigInt(index),
    data_file: {
      file_path: `s3://bucket/warehouse/db/events/data/event_day=2024-01-01/${index}.parquet`,
      record_count: BigInt(index * 1000),
      lower_bounds: [
        { key: 1, value: Uint8Array.of(index & 255, 0, 0, 0) },
        { key: 2, value: new TextEncoder().encode("abc") },
      ],
    },
  }));
  const started = performance.now();
  const file = writeAvroContainer({ schema, records, codec: "deflate" });
  const { records: read } = readAvroContainer(file);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 8000, `writing and reading took ${elapsed.toFixed(0)} ms`);
  assert.deepStrictEqual(read, records);
});

test("class instances write as records, and `default: undefined` means no default", () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const schema: AvroSchema = {
    type: "record",
    name: "Point",
    fields: [
      { name: "x", type: "int" },
      { name: "y", type: "int", default: undefined },
      { name: "label", type: ["null", "string"], default: undefined },
    ],
  };
  const file = writeAvroContainer({ schema, records: [new Point(1, 2)] });
  assert.deepStrictEqual(readAvroContainer(file).records, [{ x: 1, y: 2, label: null }]);
  assert.equal(readAvroContainer(file).metadata["avro.schema"].includes("default"), false);
  assert.throws(() => writeAvroContainer({ schema, records: [{ x: 1 }] }), /at field y: required field is missing/);
});
