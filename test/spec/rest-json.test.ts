import assert from "node:assert/strict";
import { test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import { type JsonValue, parseJson, stringifyJson } from "../../src/core/json.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import {
  createTableRequestToJson,
  loadTableResultToJson,
  parseCreateTableRequest,
  parseLoadTableResult,
  parseTableRequirement,
  parseTableUpdate,
  tableRequirementToJson,
  tableUpdateToJson,
} from "../../src/spec/rest-json.ts";
import { validateSchema } from "../support/openapi-validator.ts";

const BIG = "9223372036854775807";

const SCHEMA = {
  type: "struct",
  "schema-id": 1,
  "identifier-field-ids": [1],
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    {
      id: 2,
      name: "tags",
      required: false,
      type: { type: "list", "element-id": 3, element: "string", "element-required": false },
    },
  ],
};

/** One JSON text per update action, int64 fields at their limits. */
const UPDATES = [
  `{"action":"assign-uuid","uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1"}`,
  `{"action":"upgrade-format-version","format-version":3}`,
  `{"action":"add-schema","schema":${JSON.stringify(SCHEMA)},"last-column-id":3}`,
  `{"action":"set-current-schema","schema-id":-1}`,
  `{"action":"add-spec","spec":{"spec-id":1,"fields":[{"name":"id_bucket","transform":"bucket[16]","source-id":1,"field-id":1000}]}}`,
  `{"action":"set-default-spec","spec-id":-1}`,
  `{"action":"add-sort-order","sort-order":{"order-id":1,"fields":[{"transform":"identity","source-id":1,"direction":"asc","null-order":"nulls-first"}]}}`,
  `{"action":"set-default-sort-order","sort-order-id":-1}`,
  `{"action":"add-snapshot","snapshot":{"snapshot-id":${BIG},"parent-snapshot-id":1,"sequence-number":${BIG},"timestamp-ms":1700000000000,"summary":{"operation":"append","added-records":"10"},"manifest-list":"s3://b/ml.avro","schema-id":1}}`,
  `{"action":"set-snapshot-ref","ref-name":"main","snapshot-id":${BIG},"type":"branch","min-snapshots-to-keep":2,"max-snapshot-age-ms":1000,"max-ref-age-ms":2000}`,
  `{"action":"remove-snapshots","snapshot-ids":[${BIG},1]}`,
  `{"action":"remove-snapshot-ref","ref-name":"tag1"}`,
  `{"action":"set-location","location":"s3://b/t"}`,
  `{"action":"set-properties","updates":{"a":"1"}}`,
  `{"action":"remove-properties","removals":["a","b"]}`,
  `{"action":"set-statistics","snapshot-id":${BIG},"statistics":{"snapshot-id":${BIG},"statistics-path":"s3://b/s.puffin","file-size-in-bytes":100,"file-footer-size-in-bytes":10,"blob-metadata":[{"type":"apache-datasketches-theta-v1","snapshot-id":${BIG},"sequence-number":1,"fields":[1]}]}}`,
  `{"action":"remove-statistics","snapshot-id":${BIG}}`,
  `{"action":"set-partition-statistics","partition-statistics":{"snapshot-id":${BIG},"statistics-path":"s3://b/p.parquet","file-size-in-bytes":5}}`,
  `{"action":"remove-partition-statistics","snapshot-id":${BIG}}`,
  `{"action":"remove-partition-specs","spec-ids":[1,2]}`,
  `{"action":"remove-schemas","schema-ids":[0]}`,
];

const REQUIREMENTS = [
  `{"type":"assert-create"}`,
  `{"type":"assert-table-uuid","uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1"}`,
  `{"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":${BIG}}`,
  `{"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":null}`,
  `{"type":"assert-last-assigned-field-id","last-assigned-field-id":3}`,
  `{"type":"assert-current-schema-id","current-schema-id":1}`,
  `{"type":"assert-last-assigned-partition-id","last-assigned-partition-id":1000}`,
  `{"type":"assert-default-spec-id","default-spec-id":0}`,
  `{"type":"assert-default-sort-order-id","default-sort-order-id":0}`,
];

const canonical = (value: unknown) => stringifyJson(value);

test("every table update round-trips exactly (int64 included) and matches the OpenAPI TableUpdate", () => {
  for (const text of UPDATES) {
    const parsed = parseTableUpdate(parseJson(text));
    const json = tableUpdateToJson(parsed);
    assert.equal(canonical(parseTableUpdate(json)), canonical(parsed), text);
    const written = stringifyJson(json);
    if (text.includes(BIG)) assert.ok(written.includes(BIG), `${parsed.action} keeps ${BIG} exact: ${written}`);
    validateSchema("TableUpdate", JSON.parse(written));
  }
  const snapshot = parseTableUpdate(parseJson(UPDATES[8]));
  assert.equal(snapshot.action === "add-snapshot" && snapshot.snapshot["snapshot-id"], BigInt(BIG));
});

test("every table requirement round-trips exactly and matches the OpenAPI TableRequirement", () => {
  for (const text of REQUIREMENTS) {
    const parsed = parseTableRequirement(parseJson(text));
    const json = tableRequirementToJson(parsed);
    assert.equal(stringifyJson(json), text);
    validateSchema("TableRequirement", JSON.parse(stringifyJson(json)));
  }
  const withId = parseTableRequirement(parseJson(REQUIREMENTS[2]));
  assert.equal(withId.type === "assert-ref-snapshot-id" && withId["snapshot-id"], BigInt(BIG));
});

test("malformed updates and requirements are bad-input naming the problem", () => {
  const rejects = (parse: (json: JsonValue) => unknown, text: string, pattern: RegExp) =>
    assert.throws(
      () => parse(parseJson(text)),
      (error: unknown) => error instanceof FloeError && error.kind === "bad-input" && pattern.test(error.message),
      text,
    );
  rejects(
    parseTableUpdate,
    `{"action":"add-encryption-key","encryption-key":{}}`,
    /unknown or unsupported.*add-encryption-key/,
  );
  rejects(parseTableUpdate, `{"uuid":"x"}`, /missing required field action/);
  rejects(parseTableUpdate, `[]`, /must be a JSON object/);
  rejects(parseTableUpdate, `{"action":"set-current-schema","schema-id":"1"}`, /schema-id must be an int/);
  rejects(parseTableUpdate, `{"action":"set-properties","updates":{"a":1}}`, /value of a must be a string/);
  rejects(parseTableUpdate, `{"action":"remove-snapshots","snapshot-ids":[1.5]}`, /snapshot-ids must be a long/);
  rejects(parseTableUpdate, `{"action":"add-schema","schema":{"type":"struct","fields":[{"id":1}]}}`, /name/);
  rejects(
    parseTableUpdate,
    `{"action":"set-snapshot-ref","ref-name":"t","snapshot-id":1,"type":"leaf"}`,
    /branch or tag/,
  );
  rejects(parseTableRequirement, `{"type":"assert-something"}`, /unknown table requirement type/);
  rejects(
    parseTableRequirement,
    `{"type":"assert-ref-snapshot-id","ref":"main"}`,
    /missing required field snapshot-id/,
  );
  rejects(parseTableRequirement, `{"type":"assert-current-schema-id","current-schema-id":true}`, /must be an int/);
});

test("create table requests: spec and order ids may be absent; round trip; OpenAPI CreateTableRequest", () => {
  const request = parseCreateTableRequest(
    parseJson(
      JSON.stringify({
        name: "events",
        location: "s3://b/events",
        schema: SCHEMA,
        "partition-spec": { fields: [{ name: "b", transform: "bucket[4]", "source-id": 1 }] },
        "write-order": {
          fields: [{ transform: "identity", "source-id": 1, direction: "desc", "null-order": "nulls-last" }],
        },
        "stage-create": true,
        properties: { owner: "ana" },
      }),
    ),
  );
  assert.equal(request.partitionSpec?.["spec-id"], 0);
  assert.equal(request.partitionSpec?.fields[0]["field-id"], 1000);
  assert.equal(request.writeOrder?.["order-id"], 1);
  assert.equal(request.stageCreate, true);
  const json = createTableRequestToJson(request);
  assert.equal(canonical(parseCreateTableRequest(json)), canonical(request));
  validateSchema("CreateTableRequest", JSON.parse(stringifyJson(json)));
  assert.throws(() => parseCreateTableRequest(parseJson(`{"name":"x"}`)), /missing required field schema/);
  assert.throws(
    () => parseCreateTableRequest(parseJson(`{"name":"x","schema":${JSON.stringify(SCHEMA)},"stage-create":"yes"}`)),
    /stage-create must be a boolean/,
  );
});

test("load table results round-trip; a staged result has no metadata-location", () => {
  const metadata = newTableMetadata({
    schema: { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "id", required: true, type: "long" }] },
    location: "s3://b/t",
  });
  const committed = {
    metadataLocation: "s3://b/t/metadata/00000-x.metadata.json",
    metadata,
    config: { "s3.region": "eu" },
  };
  const json = loadTableResultToJson(committed);
  validateSchema("LoadTableResult", JSON.parse(stringifyJson(json)));
  const parsed = parseLoadTableResult(json);
  assert.equal(parsed.metadataLocation, committed.metadataLocation);
  assert.deepEqual(parsed.config, committed.config);
  assert.equal(parsed.metadata["table-uuid"], metadata["table-uuid"]);
  const staged = loadTableResultToJson({ metadataLocation: null, metadata, config: {} }) as Record<string, JsonValue>;
  assert.equal("metadata-location" in staged, false);
  assert.equal(parseLoadTableResult(staged).metadataLocation, null);
  assert.throws(() => parseLoadTableResult(parseJson(`{"config":{}}`)), /missing required field metadata/);
});
