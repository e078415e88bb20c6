import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { type JsonValue, parseJson, stringifyJson } from "../../src/core/json.ts";
import { parseTableMetadata } from "../../src/spec/metadata-parser.ts";
import { serializeTableMetadata, tableMetadataToJson } from "../../src/spec/metadata-writer.ts";
import type { TableMetadata } from "../../src/spec/table-metadata.ts";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "..", "shared", "iceberg", "fixtures", "metadata");
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), "utf8");
const VALID = readdirSync(FIXTURES).filter((name) => name.includes("Valid") || name.includes("StatisticsFiles"));

type Obj = { [key: string]: JsonValue };
const isObj = (v: JsonValue): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every key path of `source` (objects and arrays, recursively) must exist in `target`. */
function missingKeys(source: JsonValue, target: JsonValue, at = "$"): string[] {
  if (Array.isArray(source)) {
    if (!Array.isArray(target) || target.length !== source.length) return [`${at} (array length)`];
    return source.flatMap((item, i) => missingKeys(item, target[i], `${at}[${i}]`));
  }
  if (!isObj(source)) return [];
  if (!isObj(target)) return [at];
  return Object.keys(source).flatMap((key) =>
    key in target ? missingKeys(source[key], target[key], `${at}.${key}`) : [`${at}.${key}`],
  );
}

describe("round trip of every valid fixture", () => {
  test("the valid fixtures are the expected ones", () => {
    assert.deepEqual(VALID.sort(), [
      "TableMetadataPartitionStatisticsFiles.json",
      "TableMetadataStatisticsFiles.json",
      "TableMetadataV1Valid.json",
      "TableMetadataV2Valid.json",
      "TableMetadataV2ValidMinimal.json",
      "TableMetadataV3ValidMinimal.json",
    ]);
  });
  for (const name of VALID) {
    test(`${name}: parse(serialize(m)) equals m and every key reappears`, () => {
      const parsed = parseTableMetadata(fixture(name));
      const written = serializeTableMetadata(parsed);
      assert.deepEqual(parseTableMetadata(written), parsed);
      assert.deepEqual(missingKeys(parseJson(fixture(name)), parseJson(written)), []);
    });
  }
});

describe("what is written per format version", () => {
  test("v2 writes no legacy fields and no v3 fields", () => {
    const json = parseJson(serializeTableMetadata(parseTableMetadata(fixture("TableMetadataV2Valid.json")))) as Obj;
    assert.equal(json["format-version"], 2);
    assert.equal("schema" in json, false);
    assert.equal("partition-spec" in json, false);
    assert.equal("next-row-id" in json, false);
    assert.equal(json["last-sequence-number"], 34);
    assert.deepEqual(json.refs, { main: { "snapshot-id": 3055729675574597004n, type: "branch" } });
    assert.deepEqual(json.statistics, []);
    assert.deepEqual(json["partition-statistics"], []);
  });

  test("v1 also writes the current schema as schema and the default spec's fields as partition-spec", () => {
    const json = parseJson(serializeTableMetadata(parseTableMetadata(fixture("TableMetadataV1Valid.json")))) as Obj;
    assert.equal(json["format-version"], 1);
    assert.equal("last-sequence-number" in json, false);
    assert.deepEqual(json.schema, (json.schemas as JsonValue[])[0]);
    assert.deepEqual(json["partition-spec"], [{ name: "x", transform: "identity", "source-id": 1, "field-id": 1000 }]);
    assert.deepEqual(json["partition-specs"], [{ "spec-id": 0, fields: json["partition-spec"] }]);
  });

  test("v1 snapshots are written without sequence numbers; a v1 table without uuid stays without", () => {
    const text = fixture("TableMetadataV1Valid.json")
      .replace('"table-uuid": "d20125c8-7284-442c-9aea-15fee620737c",', "")
      .replace('"current-snapshot-id": -1', '"current-snapshot-id": 7')
      .replace(
        '"snapshots": []',
        '"snapshots": [{"snapshot-id": 7, "timestamp-ms": 1602638573000, "manifests": ["m.avro"]}]',
      );
    const parsed = parseTableMetadata(text);
    const json = parseJson(serializeTableMetadata(parsed)) as Obj;
    assert.equal("table-uuid" in json, false);
    const snapshot = (json.snapshots as Obj[])[0];
    assert.equal("sequence-number" in snapshot, false);
    assert.deepEqual(snapshot.manifests, ["m.avro"]);
    assert.deepEqual(parseTableMetadata(serializeTableMetadata(parsed)), parsed);
  });

  test("v3 writes next-row-id, encryption keys and snapshot row lineage", () => {
    const base = parseTableMetadata(fixture("TableMetadataV3ValidMinimal.json"));
    const metadata: TableMetadata = {
      ...base,
      "next-row-id": 9007199254740993n,
      "encryption-keys": [{ "key-id": "k" }],
      "row-lineage": true,
      snapshots: [
        {
          "snapshot-id": 1n,
          "sequence-number": 35n,
          "timestamp-ms": 1602638573000,
          "manifest-list": "s3://a/1.avro",
          summary: { operation: "append", "added-records": "3" },
          "first-row-id": 9007199254740990n,
          "added-rows": 3n,
          "key-id": "k",
        },
      ],
    };
    const text = serializeTableMetadata(metadata);
    assert.match(text, /"next-row-id":9007199254740993/);
    assert.match(text, /"first-row-id":9007199254740990/);
    assert.match(text, /"row-lineage":true/);
    assert.deepEqual(parseTableMetadata(text), metadata);
  });

  test("no current snapshot is written as -1, which every reader understands", () => {
    const json = parseJson(
      serializeTableMetadata(parseTableMetadata(fixture("TableMetadataV2ValidMinimal.json"))),
    ) as Obj;
    assert.equal(json["current-snapshot-id"], -1);
  });

  test("indent pretty-prints; the default is compact", () => {
    const m = parseTableMetadata(fixture("TableMetadataV2ValidMinimal.json"));
    assert.equal(serializeTableMetadata(m).includes("\n"), false);
    assert.match(serializeTableMetadata(m, 2), /^\{\n {2}"format-version": 2,/);
  });

  test("a field order like the reference implementation's", () => {
    const json = parseJson(serializeTableMetadata(parseTableMetadata(fixture("TableMetadataV2Valid.json")))) as Obj;
    assert.deepEqual(Object.keys(json), [
      "format-version",
      "table-uuid",
      "location",
      "last-sequence-number",
      "last-updated-ms",
      "last-column-id",
      "current-schema-id",
      "schemas",
      "default-spec-id",
      "partition-specs",
      "last-partition-id",
      "default-sort-order-id",
      "sort-orders",
      "properties",
      "current-snapshot-id",
      "refs",
      "snapshots",
      "statistics",
      "partition-statistics",
      "snapshot-log",
      "metadata-log",
    ]);
  });
});

describe("int64 values", () => {
  test("snapshot ids, sequence numbers and sizes above 2^53 survive unchanged", () => {
    const big = "9223372036854775807";
    const text = fixture("TableMetadataStatisticsFiles.json")
      .replaceAll("3055729675574597004", big)
      .replace('"last-sequence-number": 34', '"last-sequence-number": 9007199254740993')
      .replace('"sequence-number": 1,', '"sequence-number": 9007199254740993,')
      .replace('"file-size-in-bytes": 413', '"file-size-in-bytes": 9007199254740995');
    const parsed = parseTableMetadata(text);
    assert.equal(parsed["current-snapshot-id"], 9223372036854775807n);
    assert.equal(parsed["last-sequence-number"], 9007199254740993n);
    assert.equal(parsed.statistics[0]["file-size-in-bytes"], 9007199254740995n);
    const written = serializeTableMetadata(parsed);
    // current-snapshot-id, ref main, the snapshot, the statistics file and its blob
    assert.equal(written.split(big).length - 1, 5);
    assert.match(written, /"snapshot-id":9223372036854775807,"type":"branch"/);
    assert.match(written, /"last-sequence-number":9007199254740993/);
    assert.match(written, /"file-size-in-bytes":9007199254740995/);
    assert.deepEqual(parseTableMetadata(written), parsed);
  });

  test("negative and small ids are written as plain numbers", () => {
    const m = parseTableMetadata(fixture("TableMetadataV2Valid.json").replaceAll("3051729675574597004", "-5"));
    const written = serializeTableMetadata(m);
    assert.match(written, /"snapshot-id":-5,/);
    assert.equal(parseTableMetadata(written).snapshots[0]["snapshot-id"], -5n);
  });
});

describe("compact text", () => {
  test("is exactly the generic serializer's text, also when snapshot texts are reused across versions", () => {
    const big = "9223372036854775807";
    const base = parseTableMetadata(
      fixture("TableMetadataV2Valid.json")
        .replaceAll("3055729675574597004", big)
        .replace('"k1": "v1"', '"k1": "v\\u00e9\\n\\"1"'),
    );
    const generic = (m: TableMetadata) => stringifyJson(tableMetadataToJson(m));
    assert.equal(serializeTableMetadata(base), generic(base));
    // The next version shares its snapshot objects with the first (as applyUpdates leaves them).
    const next: TableMetadata = {
      ...base,
      snapshots: [
        ...base.snapshots,
        { ...base.snapshots[0], "snapshot-id": 42n, summary: { operation: "append", "added-files": "1" } },
      ],
      properties: { ...base.properties, "write.x": "ü" },
      "snapshot-log": [...base["snapshot-log"], { "timestamp-ms": 1700000000000, "snapshot-id": 42n }],
      "metadata-log": [{ "timestamp-ms": 1700000000001, "metadata-file": 's3://b/m/00001-"x".metadata.json' }],
    };
    assert.equal(serializeTableMetadata(next), generic(next));
    assert.equal(serializeTableMetadata(base), generic(base));
    // The same snapshot objects in a v1 table are written without sequence numbers.
    const v1 = parseTableMetadata(fixture("TableMetadataV1Valid.json"));
    const v1WithSnapshots: TableMetadata = { ...v1, snapshots: base.snapshots };
    assert.equal(serializeTableMetadata(v1WithSnapshots), generic(v1WithSnapshots));
    // The sequence-number 0 that the v2 text carries is left out of the v1 text.
    assert.match(serializeTableMetadata(v1WithSnapshots), /"snapshot-id":3051729675574597004,"timestamp-ms"/);
    assert.match(serializeTableMetadata(base), /"snapshot-id":3051729675574597004,"sequence-number":0,/);
  });
});
