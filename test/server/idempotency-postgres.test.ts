/**
 * Idempotency-Keys on PostgreSQL, shared by two servers over one catalog database: a real
 * `floe serve` process (which keeps keys by default and advertises their lifetime) and an
 * in-process server. A request answered by one is replayed by the other for a retry with the same
 * key; the same key sent to both at once runs once; expired keys are purged from the database.
 * PostgreSQL is required: without it the test fails with a message saying so.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { newIdempotencyKey } from "../../src/catalog/rest/idempotency-key.ts";
import type { SqlDialect } from "../../src/catalog/sql-dialect.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { openAuthDatabase } from "../../src/server/auth/auth-database.ts";
import { IDEMPOTENCY_TABLE, SqlIdempotencyStore } from "../../src/server/idempotency-store.ts";
import { type RunningServer, startServer } from "../../src/server/serve.ts";
import { type ServeProcess, startServeProcess } from "../support/floe-serve-process.ts";
import { validateResponse } from "../support/openapi-validator.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-database.ts";
import { EVENTS_SCHEMA } from "./fixture.ts";

let database: TestDatabase;
let warehouse: string;
let catalog: Catalog;
let dialect: SqlDialect;
let inProcess: RunningServer;
let serveProcess: ServeProcess;

before(async () => {
  database = await createTestDatabase("idempotency");
  warehouse = await mkdtemp(path.join(tmpdir(), "floe-idempotency-pg-"));
  catalog = await openCatalog(database.url, { warehouse, io: new LocalFileIO() });
  dialect = openAuthDatabase(database.url, warehouse);
  inProcess = await startServer({
    catalog,
    host: "127.0.0.1",
    port: 0,
    idempotency: { store: await SqlIdempotencyStore.open(dialect) },
  });
  serveProcess = await startServeProcess(database.url, warehouse);
});

after(async () => {
  await serveProcess?.stop();
  await inProcess?.close();
  await catalog?.close();
  await dialect?.close();
  await database?.drop();
  if (warehouse) await rm(warehouse, { recursive: true, force: true });
});

/** A request to one server, its response checked against the OpenAPI operation `template`. */
async function call(base: string, method: string, template: string, urlPath: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = body === undefined ? {} : { "Content-Type": "application/json" };
  if (key !== undefined) headers["Idempotency-Key"] = key;
  const response = await fetch(`${base}${urlPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text === "" ? undefined : JSON.parse(text);
  validateResponse(method, template, response.status, json);
  return { status: response.status, text, json };
}

test("floe serve advertises the key lifetime", async () => {
  const config = await call(serveProcess.url, "GET", "/v1/config", "/v1/config");
  assert.equal(config.json["idempotency-key-lifetime"], "PT30M");
});

test("a create answered by one server is replayed by the other for the same key", async () => {
  const key = newIdempotencyKey();
  const body = { namespace: ["shared"], properties: { by: "first" } };
  const first = await call(serveProcess.url, "POST", "/v1/{prefix}/namespaces", "/v1/namespaces", body, key);
  assert.equal(first.status, 200, first.text);
  const retry = await call(inProcess.url, "POST", "/v1/{prefix}/namespaces", "/v1/namespaces", body, key);
  assert.equal(retry.status, 200, retry.text);
  assert.equal(retry.text, first.text);
  const rows = await dialect.query(
    `SELECT key_state, response_status FROM ${IDEMPOTENCY_TABLE} WHERE idempotency_key = ?`,
    [key],
  );
  assert.deepEqual(
    rows.map((row) => [row.key_state, row.response_status]),
    [["done", "200"]],
  );
});

test("one commit key sent to both servers at once commits once", async () => {
  await call(inProcess.url, "POST", "/v1/{prefix}/namespaces", "/v1/namespaces", { namespace: ["race"] });
  await call(inProcess.url, "POST", "/v1/{prefix}/namespaces/{namespace}/tables", "/v1/namespaces/race/tables", {
    name: "t",
    schema: EVENTS_SCHEMA,
  });
  const template = "/v1/{prefix}/namespaces/{namespace}/tables/{table}";
  for (let round = 0; round < 5; round += 1) {
    const key = newIdempotencyKey();
    const commit = { requirements: [], updates: [{ action: "set-properties", updates: { round: String(round) } }] };
    const answers = await Promise.all(
      [serveProcess.url, inProcess.url].map((base) =>
        call(base, "POST", template, "/v1/namespaces/race/tables/t", commit, key),
      ),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200],
      answers.map((answer) => answer.text).join("\n"),
    );
    assert.equal(answers[0].text, answers[1].text, "both got the one commit's answer");
  }
  const loaded = await catalog.loadTable({ namespace: ["race"], name: "t" });
  assert.equal(loaded.metadata["metadata-log"].length, 5, "five keys, five commits");
  assert.equal(loaded.metadata.properties.round, "4");
});

test("expired keys are purged from PostgreSQL", async () => {
  const store = await SqlIdempotencyStore.open(dialect);
  const claim = await store.claim({
    principal: "p",
    key: newIdempotencyKey(),
    requestHash: "h",
    now: Date.parse("2020-01-01T00:00:00Z"),
    lifetimeMs: 1000,
    abandonedAfterMs: 1000,
  });
  assert.equal(claim.outcome, "claimed");
  const purged = await store.purgeExpired(Date.now());
  assert.equal(purged, 1);
  const rows = await dialect.query(`SELECT principal FROM ${IDEMPOTENCY_TABLE} WHERE principal = ?`, ["p"]);
  assert.deepEqual(rows, []);
});
