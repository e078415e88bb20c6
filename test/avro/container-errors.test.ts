// Corrupt or truncated files fail with clear bad-input errors; invalid values and schemas fail on
// write with messages naming the record and the field path.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { iterateAvroContainer, readAvroContainer, writeAvroContainer } from "../../src/avro/container.ts";
import type { AvroSchema } from "../../src/avro/schema.ts";
import { type ErrorKind, isFloeError } from "../../src/core/errors.ts";
import { bytesOf, handBuiltContainer, TEST_SYNC } from "./hand-built-container.ts";

function assertFails(action: () => unknown, kind: ErrorKind, message: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(isFloeError(error, kind), `expected a ${kind} FloeError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

const SCHEMA: AvroSchema = {
  type: "record",
  name: "Row",
  fields: [
    { name: "id", type: "long" },
    { name: "name", type: "string" },
  ],
};
const ROWS = Array.from({ length: 50 }, (_, index) => ({ id: BigInt(index), name: `row-${index}` }));

test("a file that is not Avro is refused at open time, before any record is requested", () => {
  assertFails(() => readAvroContainer(new TextEncoder().encode("PAR1 not avro")), "bad-input", /Obj\\x01/);
  assertFails(() => iterateAvroContainer(new Uint8Array(0)), "bad-input", /not an Avro object container/);
  assertFails(() => iterateAvroContainer(Uint8Array.of(0x4f, 0x62)), "bad-input", /not an Avro object container/);
});

test("every truncation of a valid file fails with a bad-input error, except at block boundaries", () => {
  for (const codec of ["null", "deflate"] as const) {
    const file = writeAvroContainer({ schema: SCHEMA, records: ROWS, codec, blockSize: 100 });
    // Avro has no trailer: a file cut right after a sync marker is a valid file with fewer blocks.
    const sync = Buffer.from(file.subarray(file.length - 16));
    const boundaries = new Set<number>();
    for (let at = Buffer.from(file).indexOf(sync); at >= 0; at = Buffer.from(file).indexOf(sync, at + 1))
      boundaries.add(at + 16);
    assert.ok(boundaries.size > 3, "several blocks");
    for (let length = 0; length < file.length; length++) {
      const prefix = file.subarray(0, length);
      if (boundaries.has(length)) {
        const { records } = readAvroContainer(prefix);
        assert.deepStrictEqual(records, ROWS.slice(0, records.length));
        continue;
      }
      assert.throws(
        () => readAvroContainer(prefix),
        (error: unknown) => isFloeError(error, "bad-input") && /truncated|corrupt|not an Avro/.test(error.message),
        `prefix of ${length} of ${file.length} bytes (${codec})`,
      );
    }
  }
});

test("a damaged sync marker is reported with the block it ends", () => {
  const file = writeAvroContainer({ schema: SCHEMA, records: ROWS, blockSize: 300 });
  const damaged = file.slice();
  damaged[damaged.length - 3] ^= 0xff;
  assertFails(() => readAvroContainer(damaged), "bad-input", /Avro block \d+ .*sync marker does not match/);
});

test("corrupt block contents are detected: bad deflate data, leftover bytes, bad union or enum indexes", () => {
  const schema = JSON.stringify(SCHEMA);
  const goodRecord = bytesOf((e) => {
    e.writeLong(1);
    e.writeString("a");
  });
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [
            ["avro.schema", schema],
            ["avro.codec", "deflate"],
          ],
          blocks: [{ count: 1, data: Uint8Array.of(0xff, 0xff, 0xff, 0xff) }],
        }),
      ),
    "bad-input",
    /Avro block 0 .*deflate/,
  );
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [
            ["avro.schema", schema],
            ["avro.codec", "deflate"],
          ],
          blocks: [{ count: 1, data: new Uint8Array(deflateRawSync(Uint8Array.of(...goodRecord, 7, 7))) }],
        }),
      ),
    "bad-input",
    /2 bytes remain after its 1 records/,
  );
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [["avro.schema", '["null","long"]']],
          blocks: [{ count: 1, data: bytesOf((e) => e.writeInt(2)) }],
        }),
      ),
    "bad-input",
    /union branch 2 is out of range/,
  );
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [["avro.schema", '{"type":"enum","name":"E","symbols":["A"]}']],
          blocks: [{ count: 1, data: bytesOf((e) => e.writeInt(1)) }],
        }),
      ),
    "bad-input",
    /enum index 1 is out of range/,
  );
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [["avro.schema", '{"type":"array","items":"long"}']],
          blocks: [{ count: 1, data: bytesOf((e) => e.writeLong(1_000_000)) }],
        }),
      ),
    "bad-input",
    /claims 1000000 items/,
  );
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [["avro.schema", schema]],
          blocks: [{ count: 3, data: goodRecord }],
        }),
      ),
    "bad-input",
    /Avro block 0 .*truncated/,
  );
});

test("bad headers: missing or invalid schema, unknown codec, negative block sizes", () => {
  assertFails(() => readAvroContainer(handBuiltContainer({ metadata: [], blocks: [] })), "bad-input", /no avro.schema/);
  assertFails(
    () => readAvroContainer(handBuiltContainer({ metadata: [["avro.schema", "{not json"]], blocks: [] })),
    "bad-input",
    /avro.schema.*not valid JSON/,
  );
  assertFails(
    () => readAvroContainer(handBuiltContainer({ metadata: [["avro.schema", '{"type":"wat"}']], blocks: [] })),
    "bad-input",
    /unknown type "wat"/,
  );
  assertFails(
    () =>
      readAvroContainer(
        handBuiltContainer({
          metadata: [
            ["avro.schema", '"long"'],
            ["avro.codec", "zstandard"],
          ],
          blocks: [],
        }),
      ),
    "unsupported",
    /codec "zstandard" is not supported/,
  );
  const negative = handBuiltContainer({ metadata: [["avro.schema", '"long"']], blocks: [] });
  const withBlock = Uint8Array.of(...negative, 0x01, 0x02, ...TEST_SYNC); // count -1
  assertFails(() => readAvroContainer(withBlock), "bad-input", /negative record count -1/);
});

test("write errors name the record number and the field path, and say what was expected", () => {
  const schema: AvroSchema = {
    type: "record",
    name: "manifest_entry",
    fields: [
      { name: "status", type: "int" },
      {
        name: "data_file",
        type: {
          type: "record",
          name: "r2",
          fields: [
            { name: "split_offsets", type: ["null", { type: "array", items: "long" }] },
            { name: "bounds", type: { type: "map", values: { type: "fixed", name: "F4", size: 4 } } },
            { name: "content", type: "int" },
          ],
        },
      },
    ],
  };
  const good = { status: 1, data_file: { split_offsets: [4n], bounds: new Map(), content: 0 } };
  const write = (record: unknown) => writeAvroContainer({ schema, records: [good, record] });
  assertFails(
    () => write({ status: 1, data_file: { split_offsets: [4n, 1.5], bounds: new Map(), content: 0 } }),
    "bad-input",
    /record #1 .* at field data_file\.split_offsets\[1\]: number 1\.5 matches no branch|at field data_file\.split_offsets\[1\]: expected long but got number 1\.5/,
  );
  assertFails(
    () => write({ status: 1, data_file: { split_offsets: "x", bounds: new Map(), content: 0 } }),
    "bad-input",
    /record #1 .*at field data_file\.split_offsets: string "x" matches no branch of union \[null, array<long>\]/,
  );
  assertFails(
    () => write({ status: 1, data_file: { bounds: new Map([["k", Uint8Array.of(1)]]), content: 0 } }),
    "bad-input",
    /at field data_file\.bounds\["k"\]: expected fixed F4 but got Uint8Array of 1 bytes \(exactly 4 bytes\)/,
  );
  assertFails(
    () => write({ status: 1, data_file: { bounds: new Map() } }),
    "bad-input",
    /at field data_file\.content: required field is missing/,
  );
  assertFails(
    () => write({ ...good, status: 2 ** 31 }),
    "bad-input",
    /at field status: expected int but got number 2147483648/,
  );
  assertFails(() => write("not a record"), "bad-input", /record #1 .*expected record manifest_entry but got string/);
  assertFails(
    () => writeAvroContainer({ schema: "long", records: [2n ** 63n] }),
    "bad-input",
    /expected long but got bigint 9223372036854775808/,
  );
  assertFails(() => writeAvroContainer({ schema: "long", records: [2 ** 60] }), "bad-input", /safe integer number/);
});

test("invalid schemas are refused before anything is written", () => {
  const cases: [unknown, RegExp][] = [
    [{ type: "record", name: "R", fields: [{ name: "a", type: "Missing" }] }, /R\.a refers to unknown type "Missing"/],
    [
      {
        type: "record",
        name: "R",
        fields: [
          { name: "a", type: "int" },
          { name: "a", type: "int" },
        ],
      },
      /two fields named "a"/,
    ],
    [{ type: "record", name: "bad-name", fields: [] }, /not a valid Avro name/],
    [{ type: "record", name: "R", fields: [{ name: "x-y", type: "int" }] }, /field name "x-y"/],
    [["null", ["int"]], /directly contains another union/],
    [["string", "string"], /contains "string" more than once/],
    [{ type: "fixed", name: "F", size: -1 }, /negative size/],
    [{ type: "enum", name: "E", symbols: ["A", "A"] }, /repeats a symbol/],
    [{ type: "array" }, /no "items"/],
    [{ type: "record", name: "R", fields: [{ name: "a", type: "long", default: "x" }] }, /default for R\.a/],
    [
      { type: "record", name: "R", fields: [{ name: "a", type: ["string", "null"], default: null }] },
      /default for R\.a/,
    ],
    [
      {
        type: "record",
        name: "R",
        fields: [
          { name: "a", type: { type: "fixed", name: "F", size: 1 } },
          { name: "b", type: { type: "fixed", name: "F", size: 1 } },
        ],
      },
      /"F" is defined twice/,
    ],
  ];
  for (const [schema, message] of cases)
    assertFails(() => writeAvroContainer({ schema: schema as AvroSchema, records: [] }), "bad-input", message);
  assertFails(
    () => writeAvroContainer({ schema: "long", records: [], codec: "snappy" as "deflate" }),
    "bad-input",
    /codec "snappy" cannot be written/,
  );
  assertFails(() => writeAvroContainer({ schema: "long", records: [], blockSize: 0 }), "bad-input", /block size/);
});
