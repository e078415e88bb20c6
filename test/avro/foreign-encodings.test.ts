// Encodings other writers may produce and floe's writer does not: negative array/map/header block
// counts with byte sizes, multi-block arrays, a missing avro.codec, snappy blocks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readAvroContainer } from "../../src/avro/container.ts";
import { crc32 } from "../../src/avro/snappy.ts";
import { isFloeError } from "../../src/core/errors.ts";
import { bytesOf, handBuiltContainer } from "./hand-built-container.ts";

test("arrays and maps in several blocks, with negative counts followed by byte sizes, decode", () => {
  const schema = JSON.stringify({
    type: "record",
    name: "R",
    fields: [
      { name: "list", type: { type: "array", items: "int" } },
      { name: "dict", type: { type: "map", values: "string" } },
    ],
  });
  const record = bytesOf((e) => {
    // list: a block of 2 (count -2, then its byte size), then a block of 1, then the end.
    const firstItems = bytesOf((inner) => {
      inner.writeInt(10);
      inner.writeInt(-20);
    });
    e.writeLong(-2);
    e.writeLong(firstItems.length);
    e.writeRaw(firstItems);
    e.writeLong(1);
    e.writeInt(30);
    e.writeLong(0);
    // dict: one entry in a negative-count block, one in a positive one.
    const entry = bytesOf((inner) => {
      inner.writeString("a");
      inner.writeString("x");
    });
    e.writeLong(-1);
    e.writeLong(entry.length);
    e.writeRaw(entry);
    e.writeLong(1);
    e.writeString("b");
    e.writeString("y");
    e.writeLong(0);
  });
  const file = handBuiltContainer({
    metadata: [["avro.schema", schema]], // no avro.codec: means "null"
    blocks: [
      { count: 1, data: record },
      { count: 0, data: new Uint8Array(0) }, // an empty block is legal
      { count: 2, data: Uint8Array.of(...record, ...record) },
    ],
    negativeHeaderCount: true,
  });
  const expected = {
    list: [10, -20, 30],
    dict: new Map([
      ["a", "x"],
      ["b", "y"],
    ]),
  };
  const { records, metadata } = readAvroContainer(file);
  assert.deepStrictEqual(records, [expected, expected, expected]);
  assert.deepStrictEqual(metadata, { "avro.schema": schema });
});

test("CRC-32 matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

/** A snappy block by hand: literal "abcd", then copies (1-byte, 2-byte and 4-byte offsets). */
function snappyBlock(): { compressed: Uint8Array; plain: Uint8Array } {
  const plain = new TextEncoder().encode(`abcd${"abcd".repeat(2)}${"cd".repeat(3)}dddd`);
  const body = [
    plain.length, // preamble: uncompressed length (< 128, one varint byte)
    (4 - 1) << 2, // literal of 4
    ...new TextEncoder().encode("abcd"),
    0b001 | ((8 - 4) << 2), // copy, 1-byte offset: length 8, offset 4 (overlapping)
    4,
    0b10 | ((6 - 1) << 2), // copy, 2-byte offset: length 6, offset 2
    2,
    0,
    0b11 | ((4 - 1) << 2), // copy, 4-byte offset: length 4, offset 1 (run of "d")
    1,
    0,
    0,
    0,
  ];
  const crc = crc32(plain);
  const compressed = Uint8Array.of(...body, crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255);
  return { compressed, plain };
}

test("snappy blocks (with their big-endian CRC-32) decode; a wrong checksum is corrupt", () => {
  const { compressed: block, plain } = snappyBlock();
  assert.equal(new TextDecoder().decode(plain), "abcdabcdabcdcdcdcddddd");
  // A fixed of the same size encodes as the raw bytes, so the block data is exactly `plain`.
  const metadata: [string, string][] = [
    ["avro.schema", JSON.stringify({ type: "fixed", name: "F", size: plain.length })],
    ["avro.codec", "snappy"],
  ];
  const file = handBuiltContainer({ metadata, blocks: [{ count: 1, data: block }] });
  assert.deepStrictEqual(readAvroContainer(file).records, [plain]);

  const broken = block.slice();
  broken[broken.length - 1] ^= 1;
  assert.throws(
    () => readAvroContainer(handBuiltContainer({ metadata, blocks: [{ count: 1, data: broken }] })),
    (error: unknown) => isFloeError(error, "bad-input") && /CRC-32/.test(error.message),
  );
  const badReference = block.slice();
  badReference[7] = 9; // the first copy's offset: 9 reaches before the 4 bytes written so far
  assert.throws(
    () => readAvroContainer(handBuiltContainer({ metadata, blocks: [{ count: 1, data: badReference }] })),
    (error: unknown) => isFloeError(error, "bad-input") && /back-reference/.test(error.message),
  );
});
