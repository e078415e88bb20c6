import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readAvroContainer, writeAvroContainer } from "../../src/avro/container.ts";
import { avroFieldName, decimalFixedSize, structToAvroRecord, typeToAvro } from "../../src/manifest/iceberg-to-avro.ts";
import type { StructType } from "../../src/spec/types.ts";

describe("Iceberg type to Avro (Appendix A)", () => {
  test("primitives carry the spec's logical types", () => {
    const cases: [string, unknown][] = [
      ["boolean", "boolean"],
      ["int", "int"],
      ["long", "long"],
      ["float", "float"],
      ["double", "double"],
      ["string", "string"],
      ["binary", "bytes"],
      ["date", { type: "int", logicalType: "date" }],
      ["time", { type: "long", logicalType: "time-micros" }],
      ["timestamp", { type: "long", logicalType: "timestamp-micros", "adjust-to-utc": false }],
      ["timestamptz", { type: "long", logicalType: "timestamp-micros", "adjust-to-utc": true }],
      ["timestamp_ns", { type: "long", logicalType: "timestamp-nanos", "adjust-to-utc": false }],
      ["timestamptz_ns", { type: "long", logicalType: "timestamp-nanos", "adjust-to-utc": true }],
      ["uuid", { type: "fixed", name: "uuid_fixed", size: 16, logicalType: "uuid" }],
      ["fixed[7]", { type: "fixed", name: "fixed_7", size: 7 }],
      ["decimal(9,2)", { type: "fixed", name: "decimal_9_2", size: 4, logicalType: "decimal", precision: 9, scale: 2 }],
    ];
    for (const [type, avro] of cases) assert.deepEqual(typeToAvro(type, "r"), avro, type);
  });

  test("decimal fixed sizes are the minimum for the precision", () => {
    // precision → bytes, from the reference implementation's formula ceil((log2(10^P - 1) + 1) / 8).
    const expected = Array.from({ length: 38 }, (_, i) => Math.ceil((Math.log2(10 ** (i + 1) - 1) + 1) / 8));
    assert.equal(expected[37], 16);
    assert.deepEqual(
      expected.map((_, i) => decimalFixedSize(i + 1)),
      expected,
    );
  });

  test("structs, lists and maps carry field, element, key and value ids", () => {
    const struct: StructType = {
      type: "struct",
      fields: [
        { id: 1, name: "id", required: true, type: "long" },
        {
          id: 2,
          name: "tags",
          required: false,
          type: { type: "list", "element-id": 3, element: "string", "element-required": false },
        },
        {
          id: 4,
          name: "props",
          required: true,
          type: { type: "map", "key-id": 5, key: "string", "value-id": 6, value: "int", "value-required": true },
        },
        {
          id: 7,
          name: "by_id",
          required: false,
          type: {
            type: "map",
            "key-id": 8,
            key: "int",
            "value-id": 9,
            value: { type: "struct", fields: [{ id: 10, name: "x", required: false, type: "decimal(9,2)" }] },
            "value-required": false,
          },
        },
        { id: 11, name: "price", required: false, type: "decimal(9,2)" },
      ],
    };
    assert.deepEqual(structToAvroRecord(struct, "table"), {
      type: "record",
      name: "table",
      fields: [
        { name: "id", type: "long", "field-id": 1 },
        {
          name: "tags",
          type: ["null", { type: "array", items: ["null", "string"], "element-id": 3 }],
          default: null,
          "field-id": 2,
        },
        { name: "props", type: { type: "map", values: "int", "key-id": 5, "value-id": 6 }, "field-id": 4 },
        {
          name: "by_id",
          type: [
            "null",
            {
              type: "array",
              logicalType: "map",
              items: {
                type: "record",
                name: "k8_v9",
                fields: [
                  { name: "key", type: "int", "field-id": 8 },
                  {
                    name: "value",
                    type: [
                      "null",
                      {
                        type: "record",
                        name: "r9",
                        fields: [
                          {
                            name: "x",
                            type: [
                              "null",
                              {
                                type: "fixed",
                                name: "decimal_9_2",
                                size: 4,
                                logicalType: "decimal",
                                precision: 9,
                                scale: 2,
                              },
                            ],
                            default: null,
                            "field-id": 10,
                          },
                        ],
                      },
                    ],
                    "field-id": 9,
                  },
                ],
              },
            },
          ],
          default: null,
          "field-id": 7,
        },
        // The second decimal(9,2) refers to the named type defined above, as Avro requires.
        { name: "price", type: ["null", "decimal_9_2"], default: null, "field-id": 11 },
      ],
    });
  });

  test("the converted schema is accepted by the Avro writer, including repeated named types", () => {
    const struct: StructType = {
      type: "struct",
      fields: [
        { id: 1, name: "a", required: false, type: "uuid" },
        { id: 2, name: "b", required: false, type: "uuid" },
        { id: 3, name: "c", required: true, type: "decimal(20,4)" },
      ],
    };
    const schema = structToAvroRecord(struct, "r102");
    const bytes = writeAvroContainer({
      schema,
      records: [{ a: new Uint8Array(16), b: null, c: new Uint8Array(9) }],
    });
    assert.deepEqual(readAvroContainer(bytes).records, [{ a: new Uint8Array(16), b: null, c: new Uint8Array(9) }]);
  });

  test("names Avro cannot hold are sanitized as the reference implementation does", () => {
    assert.equal(avroFieldName("ok_name1"), "ok_name1");
    assert.equal(avroFieldName("a-b"), "a_x2Db");
    assert.equal(avroFieldName("1st"), "_1st");
    assert.equal(avroFieldName("a.b c"), "a_x2Eb_x20c");
    const record = structToAvroRecord(
      { type: "struct", fields: [{ id: 1, name: "x-y", required: true, type: "int" }] },
      "r",
    );
    assert.deepEqual(record.fields[0], { name: "x_x2Dy", type: "int", "field-id": 1, "iceberg-field-name": "x-y" });
  });
});
