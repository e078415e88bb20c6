import assert from "node:assert/strict";
import { test } from "node:test";
import { AvroDecoder } from "../../src/avro/binary-decoder.ts";
import { AvroEncoder } from "../../src/avro/binary-encoder.ts";
import { readAvroContainer, writeAvroContainer } from "../../src/avro/container.ts";
import type { AvroSchema } from "../../src/avro/schema.ts";

const encode = (write: (encoder: AvroEncoder) => void): Uint8Array => {
  const encoder = new AvroEncoder(64);
  write(encoder);
  return encoder.toBytes();
};

test("ints and longs decode the same through the one-byte fast path and the general one", () => {
  const longs = [
    ...Array.from({ length: 130 }, (_, i) => BigInt(i - 65)), // every one-byte value and both neighbours
    1_000n,
    -(2n ** 31n),
    2n ** 53n + 1n,
    -(2n ** 63n),
    2n ** 63n - 1n,
  ];
  const bytes = encode((e) => {
    for (const value of longs) e.writeLong(value);
  });
  const decoder = new AvroDecoder(bytes, "longs");
  assert.deepEqual(
    longs.map(() => decoder.readLong()),
    longs,
  );
  assert.equal(decoder.remaining, 0);

  const ints = [0, 1, -1, 63, -64, 64, -65, 300, -(2 ** 31), 2 ** 31 - 1];
  const intDecoder = new AvroDecoder(
    encode((e) => {
      for (const value of ints) e.writeInt(value);
    }),
    "ints",
  );
  assert.deepEqual(
    ints.map(() => intDecoder.readInt()),
    ints,
  );
  assert.throws(() => new AvroDecoder(new Uint8Array(0), "empty").readInt(), /empty is truncated/);
  assert.throws(() => new AvroDecoder(new Uint8Array(0), "empty").readLong(), /empty is truncated/);
});

test("strings decode the same with and without the ASCII fast path, and bad UTF-8 still fails", () => {
  const texts = ["", "s3://bucket/data/part-00001.parquet", "é", "clicks 🖱", "x".repeat(256), "y".repeat(1000)];
  const decoder = new AvroDecoder(
    encode((e) => {
      for (const text of texts) e.writeString(text);
    }),
    "strings",
  );
  assert.deepEqual(
    texts.map(() => decoder.readString()),
    texts,
  );
  const bad = Uint8Array.of(4, 0x61, 0xff); // length 2: "a" then a byte that is never UTF-8
  assert.throws(() => new AvroDecoder(bad, "bad").readString(), /not valid UTF-8/);
});

test("files with the same schema text share one compiled reader and decode independently", () => {
  const schema: AvroSchema = {
    type: "record",
    name: "entry",
    fields: [
      { name: "id", type: "long" },
      { name: "tags", type: ["null", { type: "array", items: "string" }] },
      { name: "sizes", type: { type: "map", values: "long" } },
    ],
  };
  const first = [{ id: 1n, tags: ["a"], sizes: new Map([["x", 2n]]) }];
  const second = [
    { id: 2n, tags: null, sizes: new Map() },
    { id: -3n, tags: [], sizes: new Map([["y", 300n]]) },
  ];
  const one = readAvroContainer(writeAvroContainer({ schema, records: first }));
  const two = readAvroContainer(writeAvroContainer({ schema, records: second, codec: "deflate" }));
  assert.deepEqual(one.records, first);
  assert.deepEqual(two.records, second);
  assert.deepEqual(two.schema, schema);
});
