// floe's Avro files read by independent implementations (Apache Avro's Python library and C tools,
// Debian packages python3-avro and avro-bin), and files they write read by floe. These tests fail,
// never skip, when the tools are missing: install them with `apt-get install -y avro-bin python3-avro`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { readAvroContainer, writeAvroContainer } from "../../src/avro/container.ts";
import type { AvroSchema } from "../../src/avro/schema.ts";
import { readWithAvroCat, readWithIndependentAvro, writeWithIndependentAvro } from "../support/independent-avro.ts";
import { EVERY_TYPE_RECORDS, EVERY_TYPE_SCHEMA } from "./every-type.fixture.ts";

const dir = mkdtempSync(path.join(tmpdir(), "floe-avro-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ICEBERG_METADATA = {
  schema: '{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":true,"type":"long"}]}',
  "partition-spec": "[]",
  "partition-spec-id": "0",
  "format-version": "2",
  content: "data",
};

for (const codec of ["null", "deflate"] as const) {
  test(`python3-avro reads floe's file of every type exactly (codec ${codec})`, async () => {
    const file = path.join(dir, `every-${codec}.avro`);
    writeFileSync(
      file,
      writeAvroContainer({ schema: EVERY_TYPE_SCHEMA, records: EVERY_TYPE_RECORDS, codec, metadata: ICEBERG_METADATA }),
    );
    const read = await readWithIndependentAvro(file);
    assert.deepStrictEqual(read.records, EVERY_TYPE_RECORDS);
    assert.deepStrictEqual(read.schema, EVERY_TYPE_SCHEMA, "schema with field-id, element-id, ... attributes");
    assert.equal(read.metadata["avro.codec"], codec);
    for (const [key, value] of Object.entries(ICEBERG_METADATA)) assert.equal(read.metadata[key], value, key);
  });
}

test("python3-avro reads a multi-block deflate file of 5,000 records", async () => {
  const schema: AvroSchema = {
    type: "record",
    name: "manifest_file",
    fields: [
      { name: "manifest_path", type: "string", "field-id": 500 },
      { name: "added_snapshot_id", type: "long", "field-id": 503 },
      { name: "partitions", type: ["null", { type: "array", items: "bytes", "element-id": 508 }], default: null },
    ],
  };
  const records = Array.from({ length: 5000 }, (_, index) => ({
    manifest_path: `s3://warehouse/db/t/metadata/${index}-m0.avro`,
    added_snapshot_id: 9_000_000_000_000_000_000n - BigInt(index) * 1_000_000_007n,
    partitions: index % 3 === 0 ? null : [Uint8Array.of(index & 255, index >> 8)],
  }));
  const file = path.join(dir, "many.avro");
  writeFileSync(file, writeAvroContainer({ schema, records, codec: "deflate", blockSize: 16_000 }));
  assert.deepStrictEqual((await readWithIndependentAvro(file)).records, records);
});

test("avrocat (Avro C) reads floe's file with the same values", async () => {
  const schema: AvroSchema = {
    type: "record",
    name: "Event",
    fields: [
      { name: "id", type: "long" },
      { name: "kind", type: { type: "enum", name: "Kind", symbols: ["CLICK", "VIEW"] } },
      { name: "url", type: ["null", "string"] },
      { name: "weights", type: { type: "map", values: "double" } },
      { name: "counts", type: { type: "array", items: "int" } },
      { name: "ok", type: "boolean" },
    ],
  };
  const records = [
    {
      id: -(2n ** 63n),
      kind: "CLICK",
      url: "https://example.com/ä",
      weights: new Map([["a", 0.5]]),
      counts: [1, -2],
      ok: true,
    },
    { id: 2n ** 63n - 1n, kind: "VIEW", url: null, weights: new Map(), counts: [], ok: false },
  ];
  const file = path.join(dir, "avrocat.avro");
  writeFileSync(file, writeAvroContainer({ schema, records, codec: "deflate" }));
  assert.deepStrictEqual(await readWithAvroCat(file), [
    {
      id: -(2n ** 63n),
      kind: "CLICK",
      url: { string: "https://example.com/ä" },
      weights: { a: 0.5 },
      counts: [1, -2],
      ok: true,
    },
    { id: 2n ** 63n - 1n, kind: "VIEW", url: null, weights: {}, counts: [], ok: false },
  ]);
});

/** Occurrences of the file's sync marker (its last 16 bytes): one in the header, one per block. */
function syncMarkerCount(file: Uint8Array): number {
  const buffer = Buffer.from(file);
  const sync = buffer.subarray(buffer.length - 16);
  let count = 0;
  for (let at = buffer.indexOf(sync); at >= 0; at = buffer.indexOf(sync, at + 1)) count++;
  return count;
}

for (const codec of ["null", "deflate"] as const) {
  test(`floe reads a file written by python3-avro (codec ${codec})`, async () => {
    const file = path.join(dir, `python-${codec}.avro`);
    // Python picks the LAST union branch that accepts a value, so 2^40 in ["int","long","double"]
    // becomes a double there; leave that record out. 100 copies (~130 KB) make the Python
    // writer's 64,000-byte sync interval produce several blocks.
    const unambiguous = EVERY_TYPE_RECORDS.filter((record) => typeof record.choice !== "bigint");
    const many = Array.from({ length: 100 }, () => unambiguous).flat();
    await writeWithIndependentAvro(file, {
      schema: EVERY_TYPE_SCHEMA,
      records: many,
      codec,
      metadata: { "written-by": "python3-avro ✓" },
    });
    const bytes = new Uint8Array(readFileSync(file));
    assert.ok(syncMarkerCount(bytes) >= 3, "the header and at least two blocks");
    const { schema, metadata, records } = readAvroContainer(bytes);
    assert.deepStrictEqual(records, many);
    assert.deepStrictEqual(schema, JSON.parse(metadata["avro.schema"]));
    assert.equal(metadata["written-by"], "python3-avro ✓");
    assert.equal(metadata["avro.codec"], codec);
  });
}
