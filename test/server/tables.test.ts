import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { validateResponse } from "../support/openapi-validator.ts";
import { EVENTS_SCHEMA, type TestServer, assertError, startTestServer } from "./fixture.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.call("POST", "/v1/namespaces", { namespace: ["db"] });
  await server.call("POST", "/v1/namespaces", { namespace: ["other"] });
});
after(() => server.close());

const TABLES = "/v1/{prefix}/namespaces/{namespace}/tables";
const TABLE = "/v1/{prefix}/namespaces/{namespace}/tables/{table}";

const createEvents = (name: string, extra: Record<string, unknown> = {}) =>
  server.checked("POST", TABLES, "/v1/namespaces/db/tables", { name, schema: EVENTS_SCHEMA, ...extra });

test("create a table: LoadTableResult with metadata, location and ETag; duplicate 409; missing namespace 404", async () => {
  const result = await createEvents("events", {
    "partition-spec": { fields: [{ "source-id": 2, name: "ts_day", transform: "day" }] },
    "write-order": {
      "order-id": 1,
      fields: [{ "source-id": 1, transform: "identity", direction: "asc", "null-order": "nulls-first" }],
    },
    properties: { owner: "ana" },
  });
  assert.equal(result.status, 200);
  assert.match(
    result.json["metadata-location"] as unknown as string,
    /\/db\/events\/metadata\/00000-.*\.metadata\.json$/,
  );
  assert.equal(result.json.metadata["format-version"] as unknown, 2);
  assert.equal(result.json.metadata.properties.owner as unknown, "ana");
  assert.equal(result.json.metadata["partition-specs"][0].fields[0]["field-id"] as unknown, 1000);
  assert.equal(result.json.metadata["default-sort-order-id"] as unknown, 1);
  assert.match(result.headers.get("etag") ?? "", /^W\/"[0-9a-f]{64}"$/);

  assertError(await createEvents("events"), 409, "AlreadyExistsException");
  assertError(
    await server.checked("POST", TABLES, "/v1/namespaces/nope/tables", { name: "t", schema: EVENTS_SCHEMA }),
    404,
    "NoSuchNamespaceException",
  );
  assertError(
    await server.rejected("POST", TABLES, "/v1/namespaces/db/tables", {
      name: "t",
      schema: { type: "struct", fields: "x" },
    }),
    400,
    "BadRequestException",
  );
  assertError(
    await server.rejected("POST", TABLES, "/v1/namespaces/db/tables", { name: 5, schema: EVENTS_SCHEMA }),
    400,
    "BadRequestException",
  );
});

test("list tables with pagination; unknown namespace is 404", async () => {
  for (const name of ["l1", "l2", "l3"]) await createEvents(name);
  const all = await server.checked("GET", TABLES, "/v1/namespaces/db/tables");
  const names = (all.json.identifiers as unknown as { namespace: string[]; name: string }[]).map((t) => t.name);
  assert.ok(["l1", "l2", "l3"].every((n) => names.includes(n)));
  assert.equal(all.json["next-page-token"], null);
  const first = await server.checked("GET", TABLES, "/v1/namespaces/db/tables?pageToken=&pageSize=1");
  assert.equal((first.json.identifiers as unknown as unknown[]).length, 1);
  assert.equal(typeof first.json["next-page-token"], "string");
  const second = await server.checked(
    "GET",
    TABLES,
    `/v1/namespaces/db/tables?pageSize=1&pageToken=${first.json["next-page-token"] as unknown as string}`,
  );
  assert.notDeepEqual(second.json.identifiers, first.json.identifiers);
  assertError(await server.checked("GET", TABLES, "/v1/namespaces/nope/tables"), 404, "NoSuchNamespaceException");
});

test("load a table: ETag, If-None-Match 304, snapshots=refs, HEAD exists, 404 NoSuchTableException", async () => {
  await createEvents("loaded");
  const loaded = await server.checked("GET", TABLE, "/v1/namespaces/db/tables/loaded");
  assert.equal(loaded.status, 200);
  const etag = loaded.headers.get("etag") ?? "";
  assert.ok(etag !== "");
  const notModified = await server.checked("GET", TABLE, "/v1/namespaces/db/tables/loaded", undefined, {
    "If-None-Match": etag,
  });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.text, "");
  const otherTag = await server.call("GET", "/v1/namespaces/db/tables/loaded", undefined, { "If-None-Match": 'W/"x"' });
  assert.equal(otherTag.status, 200);

  const refs = await server.checked("GET", TABLE, "/v1/namespaces/db/tables/loaded?snapshots=refs");
  assert.equal(refs.status, 200);
  assert.notEqual(refs.headers.get("etag"), etag, "each representation has its own ETag");
  assertError(
    await server.checked("GET", TABLE, "/v1/namespaces/db/tables/loaded?snapshots=some"),
    400,
    "BadRequestException",
  );

  assert.equal((await server.checked("HEAD", TABLE, "/v1/namespaces/db/tables/loaded")).status, 204);
  assert.equal((await server.call("HEAD", "/v1/namespaces/db/tables/ghost")).status, 404);
  assertError(await server.checked("GET", TABLE, "/v1/namespaces/db/tables/ghost"), 404, "NoSuchTableException");

  // A commit changes the metadata location, so the old ETag no longer matches.
  await server.checked("POST", TABLE, "/v1/namespaces/db/tables/loaded", {
    requirements: [],
    updates: [{ action: "set-properties", updates: { k: "v" } }],
  });
  const changed = await server.call("GET", "/v1/namespaces/db/tables/loaded", undefined, { "If-None-Match": etag });
  assert.equal(changed.status, 200);
});

test("commit: requirements checked, updates applied; a failing requirement is 409 CommitFailedException naming it", async () => {
  const created = await createEvents("commits");
  const uuid = created.json.metadata["table-uuid"] as unknown as string;
  const snapshotId = "1234567890123456789"; // beyond 2^53: must stay exact
  const body = `{"requirements":[{"type":"assert-table-uuid","uuid":"${uuid}"},{"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":null}],"updates":[{"action":"add-snapshot","snapshot":{"snapshot-id":${snapshotId},"sequence-number":1,"timestamp-ms":1700000000000,"manifest-list":"${server.warehouse}/ml.avro","summary":{"operation":"append"}}},{"action":"set-snapshot-ref","ref-name":"main","type":"branch","snapshot-id":${snapshotId}}]}`;
  const committed = await server.call("POST", "/v1/namespaces/db/tables/commits", body);
  assert.equal(committed.status, 200, committed.text);
  validateResponse("POST", TABLE, committed.status, committed.json);
  assert.match(committed.text, new RegExp(`"current-snapshot-id":${snapshotId}[,}]`));
  assert.match(committed.json["metadata-location"] as unknown as string, /00001-.*\.metadata\.json$/);
  assert.ok(committed.headers.get("etag"));

  const stale = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/commits", {
    requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
    updates: [{ action: "set-properties", updates: { a: "b" } }],
  });
  assertError(stale, 409, "CommitFailedException");
  assert.match(stale.json.error.message as unknown as string, /assert-ref-snapshot-id/);

  const loaded = await server.call("GET", "/v1/namespaces/db/tables/commits");
  assert.equal(loaded.json.metadata.properties.a, undefined, "failed commit changed nothing");

  assertError(
    await server.rejected("POST", TABLE, "/v1/namespaces/db/tables/commits", {
      requirements: [],
      updates: [{ action: "frobnicate" }],
    }),
    400,
    "BadRequestException",
  );
  assertError(
    // Schema-valid (TableRequirement only asks for a type), but the spec demands 400 for unknown ones.
    await server.checked("POST", TABLE, "/v1/namespaces/db/tables/commits", {
      requirements: [{ type: "assert-nothing" }],
      updates: [],
    }),
    400,
    "BadRequestException",
  );
  assertError(
    await server.rejected("POST", TABLE, "/v1/namespaces/db/tables/commits", { requirements: [], updates: {} }),
    400,
    "BadRequestException",
  );
  assertError(
    await server.checked("POST", TABLE, "/v1/namespaces/db/tables/commits", {
      identifier: { namespace: ["db"], name: "other" },
      requirements: [],
      updates: [],
    }),
    400,
    "BadRequestException",
  );
  assertError(
    await server.checked("POST", TABLE, "/v1/namespaces/db/tables/ghost", { requirements: [], updates: [] }),
    404,
    "NoSuchTableException",
  );
});

test("stage-create returns metadata without creating; the assert-create commit creates it; a second is 409", async () => {
  const staged = await createEvents("staged", { "stage-create": true, properties: { p: "1" } });
  assert.equal(staged.status, 200);
  assert.equal(staged.json["metadata-location"], undefined);
  assert.equal((await server.call("HEAD", "/v1/namespaces/db/tables/staged")).status, 404, "not created yet");
  const metadata = staged.json.metadata as unknown as Record<string, unknown> & {
    schemas: unknown[];
    "partition-specs": unknown[];
    "sort-orders": unknown[];
  };
  // What a client's create transaction sends: the staged metadata as updates, plus its own change.
  const commit = {
    requirements: [{ type: "assert-create" }],
    updates: [
      { action: "assign-uuid", uuid: metadata["table-uuid"] },
      { action: "upgrade-format-version", "format-version": metadata["format-version"] },
      { action: "add-schema", schema: metadata.schemas[0] },
      { action: "set-current-schema", "schema-id": -1 },
      { action: "add-spec", spec: metadata["partition-specs"][0] },
      { action: "set-default-spec", "spec-id": -1 },
      { action: "add-sort-order", "sort-order": metadata["sort-orders"][0] },
      { action: "set-default-sort-order", "sort-order-id": -1 },
      { action: "set-location", location: metadata.location },
      { action: "set-properties", updates: { p: "1", added: "in-transaction" } },
    ],
  };
  const created = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/staged", commit);
  assert.equal(created.status, 200);
  assert.equal(created.json.metadata["table-uuid"] as unknown, metadata["table-uuid"]);
  assert.equal(created.json.metadata.location as unknown, metadata.location);
  assert.deepEqual(created.json.metadata.properties, { p: "1", added: "in-transaction" } as unknown);
  assert.match(created.json["metadata-location"] as unknown as string, /00000-.*\.metadata\.json$/);

  const loaded = await server.call("GET", "/v1/namespaces/db/tables/staged");
  assert.equal(loaded.status, 200);
  assert.deepEqual(loaded.json.metadata.schemas, created.json.metadata.schemas);

  const again = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/staged", commit);
  assertError(again, 409, "CommitFailedException");
  assertError(await createEvents("staged", { "stage-create": true }), 409, "AlreadyExistsException");
});

test("rename a table; missing source 404 NoSuchTable, missing target namespace 404 NoSuchNamespace, taken 409", async () => {
  await createEvents("before");
  await createEvents("taken");
  const rename = (source: string[], destination: string[]) =>
    server.checked("POST", "/v1/{prefix}/tables/rename", "/v1/tables/rename", {
      source: { namespace: source.slice(0, -1), name: source.at(-1) },
      destination: { namespace: destination.slice(0, -1), name: destination.at(-1) },
    });
  assert.equal((await rename(["db", "before"], ["other", "after"])).status, 204);
  assert.equal((await server.call("HEAD", "/v1/namespaces/other/tables/after")).status, 204);
  assert.equal((await server.call("HEAD", "/v1/namespaces/db/tables/before")).status, 404);
  assertError(await rename(["db", "before"], ["db", "x"]), 404, "NoSuchTableException");
  assertError(await rename(["other", "after"], ["nowhere", "x"]), 404, "NoSuchNamespaceException");
  assertError(await rename(["other", "after"], ["db", "taken"]), 409, "AlreadyExistsException");
  assertError(
    await server.rejected("POST", "/v1/{prefix}/tables/rename", "/v1/tables/rename", { source: { name: "x" } }),
    400,
    "BadRequestException",
  );
});

test("drop a table, with and without purge; 404 when missing", async () => {
  await createEvents("dropme");
  await createEvents("purgeme");
  assert.equal((await server.checked("DELETE", TABLE, "/v1/namespaces/db/tables/dropme")).status, 204);
  assert.equal(
    (await server.checked("DELETE", TABLE, "/v1/namespaces/db/tables/purgeme?purgeRequested=true")).status,
    204,
  );
  assertError(await server.checked("DELETE", TABLE, "/v1/namespaces/db/tables/dropme"), 404, "NoSuchTableException");
  assertError(
    await server.checked("DELETE", TABLE, "/v1/namespaces/db/tables/x?purgeRequested=maybe"),
    400,
    "BadRequestException",
  );
});

test("register a table from a metadata file; already taken is 409", async () => {
  const created = await createEvents("source");
  const location = created.json["metadata-location"] as unknown as string;
  const path = "/v1/{prefix}/namespaces/{namespace}/register";
  const registered = await server.checked("POST", path, "/v1/namespaces/other/register", {
    name: "copy",
    "metadata-location": location,
  });
  assert.equal(registered.status, 200);
  assert.equal(registered.json["metadata-location"] as unknown, location);
  assertError(
    await server.checked("POST", path, "/v1/namespaces/other/register", {
      name: "copy",
      "metadata-location": location,
    }),
    409,
    "AlreadyExistsException",
  );
  assertError(
    await server.rejected("POST", path, "/v1/namespaces/other/register", { name: "x" }),
    400,
    "BadRequestException",
  );
});

test("metrics reports are accepted with 204; unknown table 404; malformed 400", async () => {
  await createEvents("measured");
  const path = "/v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics";
  const report = {
    "report-type": "commit-report",
    "table-name": "db.measured",
    "snapshot-id": 1,
    "sequence-number": 1,
    operation: "append",
    metrics: { "added-data-files": { unit: "count", value: 1 } },
  };
  assert.equal((await server.checked("POST", path, "/v1/namespaces/db/tables/measured/metrics", report)).status, 204);
  assertError(
    await server.checked("POST", path, "/v1/namespaces/db/tables/ghost/metrics", report),
    404,
    "NoSuchTableException",
  );
  assertError(
    await server.rejected("POST", path, "/v1/namespaces/db/tables/measured/metrics", { metrics: {} }),
    400,
    "BadRequestException",
  );
});
