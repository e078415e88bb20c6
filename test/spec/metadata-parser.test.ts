import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import { type JsonValue, parseJson } from "../../src/core/json.ts";
import { parseTableMetadata } from "../../src/spec/metadata-parser.ts";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "..", "shared", "iceberg", "fixtures", "metadata");
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), "utf8");

type Obj = { [key: string]: JsonValue };
/** A fixture as a mutable JSON object, for variations on it. */
const fixtureJson = (name: string): Obj => parseJson(fixture(name)) as Obj;

function rejects(input: string | JsonValue, kind: string, message: RegExp): void {
  assert.throws(
    () => parseTableMetadata(input),
    (error: unknown) => {
      assert.ok(error instanceof FloeError, `expected FloeError, got ${String(error)}`);
      assert.equal(error.kind, kind, error.message);
      assert.match(error.message, message);
      return true;
    },
  );
}

/** How the reference implementation treats each fixture: parsed, or rejected for this reason. */
const EXPECTED: Record<string, "valid" | { kind: string; message: RegExp }> = {
  "TableMetadataPartitionStatisticsFiles.json": "valid",
  "TableMetadataStatisticsFiles.json": "valid",
  "TableMetadataUnsupportedVersion.json": { kind: "unsupported", message: /unsupported format version 42/ },
  "TableMetadataV1MissingSchemaType.json": { kind: "validation", message: /cannot parse type/ },
  "TableMetadataV1Valid.json": "valid",
  "TableMetadataV2CurrentSchemaNotFound.json": { kind: "validation", message: /current-schema-id=2/ },
  "TableMetadataV2MissingLastPartitionId.json": {
    kind: "validation",
    message: /last-partition-id must exist in format v2/,
  },
  "TableMetadataV2MissingPartitionSpecs.json": {
    kind: "validation",
    message: /partition-specs must exist in format v2/,
  },
  "TableMetadataV2MissingSchemas.json": { kind: "validation", message: /schemas must exist in format v2/ },
  "TableMetadataV2MissingSortOrder.json": { kind: "validation", message: /sort-orders must exist in format v2/ },
  "TableMetadataV2Valid.json": "valid",
  "TableMetadataV2ValidMinimal.json": "valid",
  "TableMetadataV3ValidMinimal.json": "valid",
};

describe("fixtures from the reference implementation", () => {
  test("every fixture has an expectation", () => {
    assert.deepEqual(readdirSync(FIXTURES).sort(), Object.keys(EXPECTED).sort());
  });
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name} is ${expected === "valid" ? "parsed" : "rejected"}`, () => {
      if (expected === "valid") assert.ok(parseTableMetadata(fixture(name)));
      else rejects(fixture(name), expected.kind, expected.message);
    });
  }
});

describe("v2 metadata", () => {
  test("TableMetadataV2Valid is read field by field", () => {
    const m = parseTableMetadata(fixture("TableMetadataV2Valid.json"));
    assert.equal(m["format-version"], 2);
    assert.equal(m["table-uuid"], "9c12d441-03fe-4693-9a96-a0705ddf69c1");
    assert.equal(m.location, "s3://bucket/test/location");
    assert.equal(m["last-sequence-number"], 34n);
    assert.equal(m["last-updated-ms"], 1602638573590);
    assert.equal(m["last-column-id"], 3);
    assert.equal(m["current-schema-id"], 1);
    assert.equal(m.schemas.length, 2);
    assert.deepEqual(m.schemas[1]["identifier-field-ids"], [1, 2]);
    assert.deepEqual(m.schemas[1].fields[1], { id: 2, name: "y", required: true, type: "long", doc: "comment" });
    assert.deepEqual(m["partition-specs"], [
      { "spec-id": 0, fields: [{ name: "x", transform: "identity", "source-id": 1, "field-id": 1000 }] },
    ]);
    assert.equal(m["last-partition-id"], 1000);
    assert.equal(m["default-sort-order-id"], 3);
    assert.deepEqual(m["sort-orders"][0].fields[1], {
      transform: "bucket[4]",
      "source-id": 3,
      direction: "desc",
      "null-order": "nulls-last",
    });
    assert.equal(m["current-snapshot-id"], 3055729675574597004n);
    assert.equal(m.snapshots.length, 2);
    assert.equal(m.snapshots[0]["snapshot-id"], 3051729675574597004n);
    assert.equal(m.snapshots[0]["sequence-number"], 0n);
    assert.equal(m.snapshots[1]["parent-snapshot-id"], 3051729675574597004n);
    assert.equal(m.snapshots[1]["schema-id"], 1);
    assert.equal(m.snapshots[1]["manifest-list"], "s3://a/b/2.avro");
    assert.deepEqual(m.snapshots[1].summary, { operation: "append" });
    assert.deepEqual(m["snapshot-log"][1], { "snapshot-id": 3055729675574597004n, "timestamp-ms": 1555100955770 });
    // refs absent: the current snapshot becomes the main branch
    assert.deepEqual(m.refs, { main: { "snapshot-id": 3055729675574597004n, type: "branch" } });
    assert.deepEqual(m.statistics, []);
    assert.deepEqual(m["partition-statistics"], []);
    assert.equal(m["next-row-id"], undefined);
  });

  test("minimal v2 metadata defaults every optional field", () => {
    const m = parseTableMetadata(fixture("TableMetadataV2ValidMinimal.json"));
    assert.deepEqual(m.properties, {});
    assert.equal(m["current-snapshot-id"], null);
    assert.deepEqual(m.snapshots, []);
    assert.deepEqual(m["snapshot-log"], []);
    assert.deepEqual(m["metadata-log"], []);
    assert.deepEqual(m.refs, {});
  });

  test("statistics and partition statistics files are read with bigint ids and sizes", () => {
    const stats = parseTableMetadata(fixture("TableMetadataStatisticsFiles.json")).statistics;
    assert.deepEqual(stats, [
      {
        "snapshot-id": 3055729675574597004n,
        "statistics-path": "s3://a/b/stats.puffin",
        "file-size-in-bytes": 413n,
        "file-footer-size-in-bytes": 42n,
        "blob-metadata": [{ type: "ndv", "snapshot-id": 3055729675574597004n, "sequence-number": 1n, fields: [1] }],
      },
    ]);
    const partitionStats = parseTableMetadata(fixture("TableMetadataPartitionStatisticsFiles.json"))[
      "partition-statistics"
    ];
    assert.deepEqual(partitionStats, [
      {
        "snapshot-id": 3055729675574597004n,
        "statistics-path": "s3://a/b/partition-stats.parquet",
        "file-size-in-bytes": 43n,
      },
    ]);
  });

  test("small int64 values still become bigint", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    (json.snapshots as Obj[])[0]["snapshot-id"] = 5;
    (json.snapshots as Obj[])[1]["parent-snapshot-id"] = 5;
    (json["snapshot-log"] as Obj[])[0]["snapshot-id"] = 5;
    const m = parseTableMetadata(json);
    assert.equal(m.snapshots[0]["snapshot-id"], 5n);
    assert.equal(typeof m.snapshots[0]["snapshot-id"], "bigint");
    assert.equal(m["snapshot-log"][0]["snapshot-id"], 5n);
  });

  test("the largest int64 snapshot id is exact", () => {
    const text = fixture("TableMetadataV2Valid.json").replaceAll("3055729675574597004", "9223372036854775807");
    const m = parseTableMetadata(text);
    assert.equal(m["current-snapshot-id"], 9223372036854775807n);
    assert.equal(m.snapshots[1]["snapshot-id"], 9223372036854775807n);
    assert.equal(m.refs.main["snapshot-id"], 9223372036854775807n);
  });

  test("current-snapshot-id -1, null or absent all mean no current snapshot", () => {
    for (const value of [-1, null, undefined]) {
      const json = fixtureJson("TableMetadataV2ValidMinimal.json");
      if (value !== undefined) json["current-snapshot-id"] = value;
      assert.equal(parseTableMetadata(json)["current-snapshot-id"], null);
    }
  });

  test("refs are read with their retention settings", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    json.refs = {
      main: { "snapshot-id": 3055729675574597004n, type: "branch", "min-snapshots-to-keep": 2 },
      audit: {
        "snapshot-id": 3051729675574597004n,
        type: "branch",
        "max-snapshot-age-ms": 1000,
        "max-ref-age-ms": 5000,
      },
      v1: { "snapshot-id": 3051729675574597004n, type: "tag", "max-ref-age-ms": 7000 },
    };
    const m = parseTableMetadata(json);
    assert.deepEqual(m.refs.audit, {
      "snapshot-id": 3051729675574597004n,
      type: "branch",
      "max-snapshot-age-ms": 1000,
      "max-ref-age-ms": 5000,
    });
    assert.deepEqual(m.refs.v1, { "snapshot-id": 3051729675574597004n, type: "tag", "max-ref-age-ms": 7000 });
  });

  test("a max-ref-age-ms of Long.MAX_VALUE reads as the largest exact number (forever)", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    json.refs = { t: { "snapshot-id": 3051729675574597004n, type: "tag", "max-ref-age-ms": 9223372036854775807n } };
    assert.equal(parseTableMetadata(json).refs.t["max-ref-age-ms"], Number.MAX_SAFE_INTEGER);
  });

  const variations: [string, (json: Obj) => void, string, RegExp][] = [
    ["missing table-uuid", (j) => delete j["table-uuid"], "validation", /table-uuid must exist in format v2/],
    ["missing location", (j) => delete j.location, "validation", /location/],
    ["missing last-sequence-number", (j) => delete j["last-sequence-number"], "validation", /last-sequence-number/],
    ["missing last-column-id", (j) => delete j["last-column-id"], "validation", /last-column-id/],
    ["missing last-updated-ms", (j) => delete j["last-updated-ms"], "validation", /last-updated-ms/],
    ["missing current-schema-id", (j) => delete j["current-schema-id"], "validation", /current-schema-id/],
    ["missing default-spec-id", (j) => delete j["default-spec-id"], "validation", /default-spec-id/],
    ["missing default-sort-order-id", (j) => delete j["default-sort-order-id"], "validation", /default-sort-order-id/],
    ["format-version 4", (j) => (j["format-version"] = 4), "unsupported", /unsupported format version 4/],
    ["format-version 0", (j) => (j["format-version"] = 0), "validation", /format-version 0/],
    ["format-version as a string", (j) => (j["format-version"] = "2"), "validation", /format-version must be an int/],
    ["schemas not an array", (j) => (j.schemas = {}), "validation", /schemas must be an array/],
    ["unknown default spec", (j) => (j["default-spec-id"] = 7), "validation", /default-spec-id=7/],
    ["unknown default sort order", (j) => (j["default-sort-order-id"] = 9), "validation", /default-sort-order-id=9/],
    ["current snapshot not in snapshots", (j) => (j["current-snapshot-id"] = 42), "validation", /current snapshot 42/],
    [
      "main ref disagreeing with current-snapshot-id",
      (j) => (j.refs = { main: { "snapshot-id": 3051729675574597004n, type: "branch" } }),
      "validation",
      /does not match branch main/,
    ],
    [
      "ref to an unknown snapshot",
      (j) => (j.refs = { x: { "snapshot-id": 1, type: "tag" } }),
      "validation",
      /snapshot 1 of ref x does not exist/,
    ],
    [
      "ref with an unknown type",
      (j) => (j.refs = { x: { "snapshot-id": 3051729675574597004n, type: "label" } }),
      "validation",
      /ref x: type must be branch or tag/,
    ],
    [
      "tag with min-snapshots-to-keep",
      (j) => (j.refs = { x: { "snapshot-id": 3051729675574597004n, type: "tag", "min-snapshots-to-keep": 1 } }),
      "validation",
      /tags do not support min-snapshots-to-keep/,
    ],
    [
      "snapshot without timestamp-ms",
      (j) => delete (j.snapshots as Obj[])[0]["timestamp-ms"],
      "validation",
      /snapshot 3051729675574597004: missing required field timestamp-ms/,
    ],
    [
      "snapshot without manifest list",
      (j) => delete (j.snapshots as Obj[])[0]["manifest-list"],
      "validation",
      /manifest-list/,
    ],
    [
      "snapshot summary without operation",
      (j) => ((j.snapshots as Obj[])[0].summary = { "added-files": "1" }),
      "validation",
      /summary is missing operation/,
    ],
    [
      "duplicate snapshot ids",
      (j) => ((j.snapshots as Obj[])[0]["snapshot-id"] = 3055729675574597004n),
      "validation",
      /snapshot id 3055729675574597004 appears more than once/,
    ],
    [
      "duplicate schema ids",
      (j) => ((j.schemas as Obj[])[0]["schema-id"] = 1),
      "validation",
      /schema id 1 appears more than once/,
    ],
    [
      "unknown primitive type",
      (j) => (((j.schemas as Obj[])[1].fields as Obj[])[2].type = "longer"),
      "validation",
      /unknown primitive type/,
    ],
    [
      "duplicate field ids",
      (j) => (((j.schemas as Obj[])[1].fields as Obj[])[2].id = 2),
      "validation",
      /field id 2 is used more than once/,
    ],
    [
      "identifier field that does not exist",
      (j) => ((j.schemas as Obj[])[1]["identifier-field-ids"] = [1, 9]),
      "validation",
      /field id 9 as an identifier field: field does not exist/,
    ],
    [
      "optional identifier field",
      (j) => (((j.schemas as Obj[])[1].fields as Obj[])[1].required = false),
      "validation",
      /not a required field/,
    ],
    [
      "v3 type in a v2 table",
      (j) => (((j.schemas as Obj[])[1].fields as Obj[])[2].type = "timestamp_ns"),
      "validation",
      /timestamp_ns is not supported until v3/,
    ],
    [
      "default value in a v2 table",
      (j) => (((j.schemas as Obj[])[1].fields as Obj[])[2]["initial-default"] = 1),
      "validation",
      /non-null default is not supported until v3/,
    ],
    [
      "default spec on a missing column",
      (j) => (((j["partition-specs"] as Obj[])[0].fields as Obj[])[0]["source-id"] = 99),
      "validation",
      /partition spec 0: cannot find source column 99/,
    ],
    [
      "default spec whose transform does not apply",
      (j) => {
        ((j.schemas as Obj[])[1].fields as Obj[])[0].type = "boolean";
        ((j["partition-specs"] as Obj[])[0].fields as Obj[])[0].transform = "day";
      },
      "validation",
      /invalid source type boolean of x for transform day/,
    ],
    [
      "default sort order on a missing column",
      (j) => (((j["sort-orders"] as Obj[])[0].fields as Obj[])[0]["source-id"] = 99),
      "validation",
      /sort order 3: cannot find source column 99/,
    ],
    [
      "sort order with an unknown direction",
      (j) => (((j["sort-orders"] as Obj[])[0].fields as Obj[])[0].direction = "up"),
      "validation",
      /invalid sort direction/,
    ],
    [
      "sorted order with id 0",
      (j) => {
        (j["sort-orders"] as Obj[])[0]["order-id"] = 0;
        j["default-sort-order-id"] = 0;
      },
      "validation",
      /order id 0 is reserved/,
    ],
    [
      "partition fields with and without field ids",
      (j) =>
        ((j["partition-specs"] as Obj[])[0].fields = [
          { name: "x", transform: "identity", "source-id": 1, "field-id": 1000 },
          { name: "y", transform: "identity", "source-id": 2 },
        ]),
      "validation",
      /missing field ids: 1 of 2/,
    ],
    [
      "snapshot log out of order",
      (j) => ((j["snapshot-log"] as Obj[])[0]["timestamp-ms"] = 1655100955770),
      "validation",
      /snapshot-log entries must be sorted/,
    ],
    [
      "last-updated-ms before the last snapshot log entry",
      (j) => (j["last-updated-ms"] = 1455100955770),
      "validation",
      /last-updated-ms 1455100955770 is before the last snapshot-log entry/,
    ],
    [
      "non-string property value",
      (j) => (j.properties = { "commit.retry.num-retries": 4 }),
      "validation",
      /value of commit.retry.num-retries must be a string/,
    ],
  ];
  for (const [what, change, kind, message] of variations) {
    test(`rejects ${what}`, () => {
      const json = fixtureJson("TableMetadataV2Valid.json");
      change(json);
      rejects(json, kind, message);
    });
  }

  test("rejects text that is not JSON and JSON that is not an object", () => {
    rejects("{not json", "bad-input", /not valid JSON/);
    rejects("[1, 2]", "validation", /table metadata must be a JSON object/);
  });

  test("a void partition field may outlive its dropped source column", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    ((json["partition-specs"] as Obj[])[0].fields as Obj[])[0]["source-id"] = 99;
    ((json["partition-specs"] as Obj[])[0].fields as Obj[])[0].transform = "void";
    assert.equal(parseTableMetadata(json)["partition-specs"][0].fields[0].transform, "void");
  });

  test("only the default spec must bind to the current schema", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    (json["partition-specs"] as Obj[]).push({
      "spec-id": 1,
      fields: [{ name: "gone", transform: "identity", "source-id": 77, "field-id": 1001 }],
    });
    assert.equal(parseTableMetadata(json)["partition-specs"].length, 2);
  });

  test("unknown transforms are kept (future transforms must stay readable)", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    ((json["partition-specs"] as Obj[])[0].fields as Obj[])[0].transform = "zorder[3]";
    assert.equal(parseTableMetadata(json)["partition-specs"][0].fields[0].transform, "zorder[3]");
  });

  test("nested list and map types are read", () => {
    const json = fixtureJson("TableMetadataV2ValidMinimal.json");
    const fields = (json.schemas as Obj[])[0].fields as Obj[];
    fields.push({
      id: 4,
      name: "tags",
      required: false,
      type: { type: "list", "element-id": 5, element: "string", "element-required": true },
    });
    fields.push({
      id: 6,
      name: "attrs",
      required: false,
      type: {
        type: "map",
        "key-id": 7,
        key: "string",
        "value-id": 8,
        value: { type: "struct", fields: [{ id: 9, name: "d", required: false, type: "decimal(9, 2)" }] },
        "value-required": false,
      },
    });
    const m = parseTableMetadata(json);
    assert.deepEqual(m.schemas[0].fields[3].type, {
      type: "list",
      "element-id": 5,
      element: "string",
      "element-required": true,
    });
    assert.deepEqual(m.schemas[0].fields[4].type, {
      type: "map",
      "key-id": 7,
      key: "string",
      "value-id": 8,
      value: { type: "struct", fields: [{ id: 9, name: "d", required: false, type: "decimal(9,2)" }] },
      "value-required": false,
    });
  });

  test("the metadata log is read", () => {
    const json = fixtureJson("TableMetadataV2Valid.json");
    json["metadata-log"] = [
      { "metadata-file": "s3://t/metadata/00000-a.metadata.json", "timestamp-ms": 1515100955770 },
    ];
    assert.deepEqual(parseTableMetadata(json)["metadata-log"], [
      { "timestamp-ms": 1515100955770, "metadata-file": "s3://t/metadata/00000-a.metadata.json" },
    ]);
  });
});

describe("v1 metadata", () => {
  test("TableMetadataV1Valid derives schemas, specs and sort orders from the legacy fields", () => {
    const m = parseTableMetadata(fixture("TableMetadataV1Valid.json"));
    assert.equal(m["format-version"], 1);
    assert.equal(m["last-sequence-number"], 0n);
    assert.equal(m["current-schema-id"], 0);
    assert.equal(m.schemas.length, 1);
    assert.equal(m.schemas[0]["schema-id"], 0);
    assert.deepEqual(
      m.schemas[0].fields.map((f) => f.name),
      ["x", "y", "z"],
    );
    assert.deepEqual(m["partition-specs"], [
      { "spec-id": 0, fields: [{ name: "x", transform: "identity", "source-id": 1, "field-id": 1000 }] },
    ]);
    assert.equal(m["default-spec-id"], 0);
    assert.equal(m["last-partition-id"], 1000);
    assert.deepEqual(m["sort-orders"], [{ "order-id": 0, fields: [] }]);
    assert.equal(m["default-sort-order-id"], 0);
    assert.equal(m["current-snapshot-id"], null);
    assert.deepEqual(m.refs, {});
  });

  test("legacy partition fields without field-id get ids from 1000", () => {
    const json = fixtureJson("TableMetadataV1Valid.json");
    json["partition-spec"] = [
      { name: "x", transform: "identity", "source-id": 1 },
      { name: "y_bucket", transform: "bucket[8]", "source-id": 2 },
    ];
    const m = parseTableMetadata(json);
    assert.deepEqual(
      m["partition-specs"][0].fields.map((f) => f["field-id"]),
      [1000, 1001],
    );
    assert.equal(m["last-partition-id"], 1001);
  });

  test("an unpartitioned v1 table without last-partition-id gets 999", () => {
    const json = fixtureJson("TableMetadataV1Valid.json");
    json["partition-spec"] = [];
    assert.equal(parseTableMetadata(json)["last-partition-id"], 999);
  });

  test("v1 may omit table-uuid, and the legacy schema may omit schema-id", () => {
    const json = fixtureJson("TableMetadataV1Valid.json");
    delete json["table-uuid"];
    const m = parseTableMetadata(json);
    assert.equal(m["table-uuid"], "");
    assert.equal(m.schemas[0]["schema-id"], 0);
  });

  test("v1 ignores a last-sequence-number and reads snapshots without sequence numbers as 0", () => {
    const json = fixtureJson("TableMetadataV1Valid.json");
    json["last-sequence-number"] = 5;
    json.snapshots = [{ "snapshot-id": 1, "timestamp-ms": 1602638573000, manifests: ["s3://a/m1.avro"] }];
    json["current-snapshot-id"] = 1;
    const m = parseTableMetadata(json);
    assert.equal(m["last-sequence-number"], 0n);
    assert.equal(m.snapshots[0]["sequence-number"], 0n);
    assert.deepEqual(m.snapshots[0].manifests, ["s3://a/m1.avro"]);
    assert.deepEqual(m.snapshots[0].summary, { operation: "append" });
    assert.deepEqual(m.refs.main, { "snapshot-id": 1n, type: "branch" });
  });

  test("v1 prefers schemas over the legacy schema when both are present", () => {
    const json = fixtureJson("TableMetadataV1Valid.json");
    json.schemas = [{ type: "struct", "schema-id": 4, fields: [{ id: 1, name: "x", required: true, type: "long" }] }];
    json["current-schema-id"] = 4;
    const m = parseTableMetadata(json);
    assert.equal(m["current-schema-id"], 4);
    assert.equal(m.schemas[0].fields.length, 1);
  });

  test("v1 without schema or partition-spec is rejected", () => {
    const noSchema = fixtureJson("TableMetadataV1Valid.json");
    delete noSchema.schema;
    rejects(noSchema, "validation", /missing required field schema/);
    const noSpec = fixtureJson("TableMetadataV1Valid.json");
    delete noSpec["partition-spec"];
    rejects(noSpec, "validation", /missing required field partition-spec/);
  });
});

describe("v3 metadata", () => {
  test("TableMetadataV3ValidMinimal keeps next-row-id and column defaults", () => {
    const m = parseTableMetadata(fixture("TableMetadataV3ValidMinimal.json"));
    assert.equal(m["format-version"], 3);
    assert.equal(m["next-row-id"], 0n);
    assert.equal(m.schemas[0].fields[0]["initial-default"], 1);
    assert.equal(m.schemas[0].fields[0]["write-default"], 1);
  });

  test("v3 requires next-row-id", () => {
    const json = fixtureJson("TableMetadataV3ValidMinimal.json");
    delete json["next-row-id"];
    rejects(json, "validation", /next-row-id/);
  });

  test("v3 types, row lineage fields and encryption keys are kept", () => {
    const json = fixtureJson("TableMetadataV3ValidMinimal.json");
    const fields = (json.schemas as Obj[])[0].fields as Obj[];
    fields.push({ id: 4, name: "v", required: false, type: "variant" });
    fields.push({ id: 5, name: "ts", required: false, type: "timestamptz_ns" });
    fields.push({ id: 6, name: "u", required: false, type: "unknown" });
    fields.push({ id: 7, name: "g", required: false, type: "geometry(srid:3857)" });
    json["last-column-id"] = 7;
    json["encryption-keys"] = [{ "key-id": "k1", "encrypted-key-metadata": "AAEC" }];
    json["row-lineage"] = true;
    json.snapshots = [
      {
        "snapshot-id": 1,
        "sequence-number": 1,
        "timestamp-ms": 1602638573000,
        "manifest-list": "s3://a/1.avro",
        summary: { operation: "append" },
        "first-row-id": 0,
        "added-rows": 10,
        "key-id": "k1",
      },
    ];
    json["current-snapshot-id"] = 1;
    const m = parseTableMetadata(json);
    assert.deepEqual(
      m.schemas[0].fields.slice(3).map((f) => f.type),
      ["variant", "timestamptz_ns", "unknown", "geometry(srid:3857)"],
    );
    assert.deepEqual(m["encryption-keys"], [{ "key-id": "k1", "encrypted-key-metadata": "AAEC" }]);
    assert.equal(m["row-lineage"], true);
    assert.equal(m.snapshots[0]["first-row-id"], 0n);
    assert.equal(m.snapshots[0]["added-rows"], 10n);
    assert.equal(m.snapshots[0]["key-id"], "k1");
  });

  test("multi-argument partition fields read source-ids", () => {
    const json = fixtureJson("TableMetadataV3ValidMinimal.json");
    (json["partition-specs"] as Obj[]).push({
      "spec-id": 1,
      fields: [{ name: "xy", transform: "zorder", "source-ids": [1, 2], "field-id": 1001 }],
    });
    const spec = parseTableMetadata(json)["partition-specs"][1];
    assert.deepEqual(spec.fields[0], {
      name: "xy",
      transform: "zorder",
      "source-id": 1,
      "source-ids": [1, 2],
      "field-id": 1001,
    });
  });

  test("a required unknown-type column is rejected", () => {
    const json = fixtureJson("TableMetadataV3ValidMinimal.json");
    ((json.schemas as Obj[])[0].fields as Obj[]).push({ id: 4, name: "u", required: true, type: "unknown" });
    rejects(json, "validation", /u of type unknown must be optional/);
  });
});
