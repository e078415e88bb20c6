/**
 * Idempotency-Key on floe's REST server over a SQLite catalog, with the keys in the catalog
 * database: a retry with the same key replays the stored response and the operation does not run
 * again; another key runs again; malformed or reused keys are 400; server errors and 403s are
 * not stored; a retry during the first request waits for it (or gets 503 Retry-After); keys
 * expire after the advertised lifetime; keys of different principals never meet. Every request
 * and response is checked against the OpenAPI document. The catalog under the server is the real
 * SQL catalog, wrapped only to count calls and, where a case needs it, to hold or fail a commit.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import type { SqlDialect } from "../../src/catalog/sql-dialect.ts";
import { newIdempotencyKey, parseIsoDuration } from "../../src/catalog/rest/idempotency-key.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { openAuthDatabase } from "../../src/server/auth/auth-database.ts";
import { PrincipalStore } from "../../src/server/auth/principal-store.ts";
import { createServerAuth } from "../../src/server/auth/server-auth.ts";
import { type IdempotencyOptions, formatIsoDuration, isFinalStatus } from "../../src/server/idempotency.ts";
import { IDEMPOTENCY_TABLE, SqlIdempotencyStore } from "../../src/server/idempotency-store.ts";
import type { StartServerOptions } from "../../src/server/serve.ts";
import { EVENTS_SCHEMA, type TestServer, assertError, startTestServer } from "./fixture.ts";

const NAMESPACES = "/v1/{prefix}/namespaces";
const NAMESPACE = "/v1/{prefix}/namespaces/{namespace}";
const TABLES = "/v1/{prefix}/namespaces/{namespace}/tables";
const TABLE = "/v1/{prefix}/namespaces/{namespace}/tables/{table}";
const CONFIG = "/v1/config";

/** The real SQL catalog, counting calls; `before[method]` runs first (to hold or fail a call). */
function instrumented(catalog: Catalog) {
  const calls: Record<string, number> = {};
  const beforeCall: Record<string, () => Promise<void>> = {};
  const wrapped = new Proxy(catalog, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return async (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        await beforeCall[property]?.();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { catalog: wrapped, calls, beforeCall };
}

interface KeyedServer {
  server: TestServer;
  dialect: SqlDialect;
  calls: Record<string, number>;
  beforeCall: Record<string, () => Promise<void>>;
  close(): Promise<void>;
}

/** A test server over a SQLite catalog, its idempotency keys in the same database file. */
async function startKeyedServer(
  idempotency: Omit<IdempotencyOptions, "store"> = {},
  extra: (dialect: SqlDialect) => Promise<Partial<StartServerOptions>> = async () => ({}),
): Promise<KeyedServer> {
  const warehouse = await mkdtemp(path.join(tmpdir(), "floe-idempotency-"));
  const backing = await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() });
  const dialect = openAuthDatabase("sqlite:", warehouse);
  const { catalog, calls, beforeCall } = instrumented(backing);
  const server = await startTestServer({
    catalog,
    idempotency: { ...idempotency, store: await SqlIdempotencyStore.open(dialect) },
    ...(await extra(dialect)),
  });
  return {
    server,
    dialect,
    calls,
    beforeCall,
    async close() {
      await server.close();
      await dialect.close();
      await rm(warehouse, { recursive: true, force: true });
    },
  };
}

const keyed = (key: string, headers: Record<string, string> = {}) => ({ "Idempotency-Key": key, ...headers });

const addSnapshotCommit = (metadata: { location: string }, snapshotId: string) => ({
  requirements: [],
  updates: [
    {
      action: "add-snapshot",
      snapshot: {
        "snapshot-id": Number(snapshotId),
        "sequence-number": 1,
        "timestamp-ms": 1_700_000_000_000,
        "manifest-list": `${metadata.location}/metadata/snap-${snapshotId}.avro`,
        summary: { operation: "append" },
        "schema-id": 0,
      },
    },
    { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": Number(snapshotId) },
  ],
});

describe("Idempotency-Key: replay and finalization", () => {
  let keyedServer: KeyedServer;
  let server: TestServer;
  before(async () => {
    keyedServer = await startKeyedServer();
    server = keyedServer.server;
  });
  after(() => keyedServer.close());

  test("GET /v1/config advertises the key lifetime (30 minutes by default)", async () => {
    const config = await server.checked("GET", CONFIG, "/v1/config");
    assert.equal(config.status, 200);
    assert.equal(config.json["idempotency-key-lifetime"] as unknown, "PT30M");
    const plain = await startTestServer();
    try {
      const without = await plain.checked("GET", CONFIG, "/v1/config");
      assert.equal(without.json["idempotency-key-lifetime"], undefined, "no keys kept, nothing advertised");
    } finally {
      await plain.close();
    }
  });

  test("create namespace retried with the same key returns the stored 200, not 409, and runs once", async () => {
    const key = newIdempotencyKey();
    const body = { namespace: ["once"], properties: { owner: "a" } };
    const first = await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key));
    assert.equal(first.status, 200);
    const runs = keyedServer.calls.createNamespace;
    const retry = await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key));
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.text, first.text);
    assert.equal(retry.headers.get("content-type"), "application/json");
    assert.equal(keyedServer.calls.createNamespace, runs, "the retry did not run the operation");
    const upper = await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key.toUpperCase()));
    assert.equal(upper.status, 200, "keys are UUIDs: case does not matter");

    const other = await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(newIdempotencyKey()));
    assertError(other, 409, "AlreadyExistsException");
    assert.equal(keyedServer.calls.createNamespace, runs + 1, "another key runs again");
  });

  test("a commit retried with the same key creates one snapshot and answers the same; other keys commit again", async () => {
    await server.call("POST", "/v1/namespaces", { namespace: ["db"] });
    const created = await server.call("POST", "/v1/namespaces/db/tables", { name: "events", schema: EVENTS_SCHEMA });
    const commit = addSnapshotCommit(created.json.metadata as unknown as { location: string }, "4711");
    const key = newIdempotencyKey();
    const first = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/events", commit, keyed(key));
    assert.equal(first.status, 200, first.text);
    const retry = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/events", commit, keyed(key));
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.text, first.text);
    assert.equal(retry.headers.get("etag"), first.headers.get("etag"));
    assert.equal(keyedServer.calls.commitTable, 1);
    const loaded = (await server.call("GET", "/v1/namespaces/db/tables/events")).json;
    assert.equal((loaded.metadata.snapshots as unknown as unknown[]).length, 1);
    assert.equal((loaded.metadata["metadata-log"] as unknown as unknown[]).length, 1);

    for (let i = 0; i < 2; i += 1) {
      const setProperty = { requirements: [], updates: [{ action: "set-properties", updates: { n: String(i) } }] };
      const result = await server.checked(
        "POST",
        TABLE,
        "/v1/namespaces/db/tables/events",
        setProperty,
        keyed(newIdempotencyKey()),
      );
      assert.equal(result.status, 200);
    }
    const after = (await server.call("GET", "/v1/namespaces/db/tables/events")).json;
    assert.equal((after.metadata["metadata-log"] as unknown as unknown[]).length, 3, "two keys, two commits");
  });

  test("requests without a key are untouched, and run every time", async () => {
    const runs = keyedServer.calls.createNamespace ?? 0;
    assert.equal((await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["plain"] })).status, 200);
    assertError(
      await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["plain"] }),
      409,
      "AlreadyExistsException",
    );
    assert.equal(keyedServer.calls.createNamespace, runs + 2);
  });

  test("a deterministic 4xx is stored: the retry answers the same even after the cause went away", async () => {
    await server.call("POST", "/v1/namespaces", { namespace: ["taken"] });
    const key = newIdempotencyKey();
    const body = { namespace: ["taken"] };
    assertError(
      await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key)),
      409,
      "AlreadyExistsException",
    );
    assert.equal((await server.checked("DELETE", NAMESPACE, "/v1/namespaces/taken")).status, 204);
    const retry = await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key));
    assertError(retry, 409, "AlreadyExistsException");
    assert.equal((await server.call("HEAD", "/v1/namespaces/taken")).status, 404, "the create did not run again");

    const dropKey = newIdempotencyKey();
    assert.equal(
      (await server.checked("DELETE", NAMESPACE, "/v1/namespaces/gone", undefined, keyed(dropKey))).status,
      404,
    );
    await server.call("POST", "/v1/namespaces", { namespace: ["gone"] });
    assertError(
      await server.checked("DELETE", NAMESPACE, "/v1/namespaces/gone", undefined, keyed(dropKey)),
      404,
      "NoSuchNamespaceException",
    );
    assert.equal((await server.call("HEAD", "/v1/namespaces/gone")).status, 204, "the replayed 404 dropped nothing");
  });

  test("a server error is not stored: the retry with the same key runs and succeeds", async () => {
    await server.call("POST", "/v1/namespaces", { namespace: ["flaky"] });
    await server.call("POST", "/v1/namespaces/flaky/tables", { name: "t", schema: EVENTS_SCHEMA });
    keyedServer.beforeCall.commitTable = async () => {
      delete keyedServer.beforeCall.commitTable;
      throw new Error("the disk caught fire");
    };
    const key = newIdempotencyKey();
    const commit = { requirements: [], updates: [{ action: "set-properties", updates: { survived: "yes" } }] };
    const failed = await server.checked("POST", TABLE, "/v1/namespaces/flaky/tables/t", commit, keyed(key));
    assertError(failed, 500, "CommitStateUnknownException");
    const retry = await server.checked("POST", TABLE, "/v1/namespaces/flaky/tables/t", commit, keyed(key));
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.json.metadata.properties.survived as unknown, "yes");
  });

  test("a key that is not a 36-character UUID is 400 and nothing runs", async () => {
    const runs = keyedServer.calls.createNamespace ?? 0;
    for (const bad of [
      "not-a-uuid",
      "x".repeat(36),
      `${newIdempotencyKey()}0`,
      "{0190b6a4-7c3e-7a1b-9f2d-3c4b5a6d7e8f}",
    ]) {
      const result = await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["badkey"] }, keyed(bad));
      assertError(result, 400, "BadRequestException");
      assert.match(result.json.error.message as unknown as string, /Idempotency-Key/);
    }
    assertError(
      await server.checked("DELETE", TABLE, "/v1/namespaces/db/tables/events", undefined, keyed("nope")),
      400,
      "BadRequestException",
    );
    assert.equal(keyedServer.calls.createNamespace ?? 0, runs);
    assert.equal((await server.call("HEAD", "/v1/namespaces/badkey")).status, 404);
  });

  test("a key reused for a different request is 400 and the second request does not run", async () => {
    const key = newIdempotencyKey();
    assert.equal(
      (await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["first"] }, keyed(key))).status,
      200,
    );
    const reused = await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["second"] }, keyed(key));
    assertError(reused, 400, "BadRequestException");
    assert.match(reused.json.error.message as unknown as string, /different request/);
    assert.equal((await server.call("HEAD", "/v1/namespaces/second")).status, 404);
  });

  test("keys are stored in floe_idempotency_keys of the catalog database", async () => {
    const key = newIdempotencyKey();
    await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["stored"] }, keyed(key));
    const rows = await keyedServer.dialect.query(
      `SELECT principal, key_state, response_status FROM ${IDEMPOTENCY_TABLE} WHERE idempotency_key = ?`,
      [key],
    );
    assert.deepEqual(
      rows.map((row) => ({ ...row })),
      [{ principal: "", key_state: "done", response_status: "200" }],
    );
  });
});

describe("Idempotency-Key: requests in flight", () => {
  let keyedServer: KeyedServer;
  let server: TestServer;
  before(async () => {
    keyedServer = await startKeyedServer({ inFlightWaitMs: 1500 });
    server = keyedServer.server;
    await server.call("POST", "/v1/namespaces", { namespace: ["db"] });
    await server.call("POST", "/v1/namespaces/db/tables", { name: "t", schema: EVENTS_SCHEMA });
  });
  after(() => keyedServer.close());

  /** Holds the next commit until release() is called; `started` resolves once it is held. */
  function holdNextCommit() {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    keyedServer.beforeCall.commitTable = async () => {
      delete keyedServer.beforeCall.commitTable;
      started();
      await gate;
    };
    return { release, running };
  }

  const commit = (n: string) => ({ requirements: [], updates: [{ action: "set-properties", updates: { n } }] });

  test("a retry while the first request runs waits for it and gets its response", async () => {
    const key = newIdempotencyKey();
    const { release, running } = holdNextCommit();
    const first = server.checked("POST", TABLE, "/v1/namespaces/db/tables/t", commit("a"), keyed(key));
    await running;
    const retry = server.checked("POST", TABLE, "/v1/namespaces/db/tables/t", commit("a"), keyed(key));
    setTimeout(release, 100);
    const [one, two] = await Promise.all([first, retry]);
    assert.equal(one.status, 200);
    assert.equal(two.text, one.text);
    assert.equal(keyedServer.calls.commitTable, 1);
  });

  test("a retry that waited too long is 503 with Retry-After, and a later one gets the stored response", async () => {
    const key = newIdempotencyKey();
    const { release, running } = holdNextCommit();
    const first = server.checked("POST", TABLE, "/v1/namespaces/db/tables/t", commit("b"), keyed(key));
    await running;
    const early = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/t", commit("b"), keyed(key));
    assertError(early, 503, "ServiceUnavailableException");
    assert.equal(early.headers.get("retry-after"), "1");
    release();
    const done = await first;
    assert.equal(done.status, 200);
    const late = await server.checked("POST", TABLE, "/v1/namespaces/db/tables/t", commit("b"), keyed(key));
    assert.equal(late.text, done.text);
    assert.equal(keyedServer.calls.commitTable, 2, "one commit per key");
  });
});

describe("Idempotency-Key: lifetime", () => {
  let clock = Date.parse("2025-01-01T00:00:00Z");
  let keyedServer: KeyedServer;
  let server: TestServer;
  before(async () => {
    keyedServer = await startKeyedServer({ lifetimeSeconds: 90, now: () => clock });
    server = keyedServer.server;
  });
  after(() => keyedServer.close());

  test("the configured lifetime is advertised as an ISO-8601 duration", async () => {
    const config = await server.checked("GET", CONFIG, "/v1/config");
    assert.equal(config.json["idempotency-key-lifetime"] as unknown, "PT1M30S");
    assert.equal(parseIsoDuration("PT1M30S"), 90_000);
  });

  test("within the lifetime a key replays; after it the key runs the request again; expired keys are purged", async () => {
    const key = newIdempotencyKey();
    const other = newIdempotencyKey();
    const body = { namespace: ["ttl"] };
    assert.equal((await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key))).status, 200);
    await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["other"] }, keyed(other));
    assert.equal((await server.checked("DELETE", NAMESPACE, "/v1/namespaces/ttl")).status, 204);

    clock += 30_000;
    assert.equal((await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key))).status, 200);
    assert.equal((await server.call("HEAD", "/v1/namespaces/ttl")).status, 404, "replayed, not run");

    clock += 61_000;
    assert.equal((await server.checked("POST", NAMESPACES, "/v1/namespaces", body, keyed(key))).status, 200);
    assert.equal((await server.call("HEAD", "/v1/namespaces/ttl")).status, 204, "expired: run again");
    const left = await keyedServer.dialect.query(`SELECT idempotency_key FROM ${IDEMPOTENCY_TABLE}`);
    assert.deepEqual(
      left.map((row) => row.idempotency_key),
      [key],
      "the other expired key was purged; the reused key holds its new answer",
    );
  });
});

describe("Idempotency-Key: principals", () => {
  let keyedServer: KeyedServer;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let principals: PrincipalStore;
  before(async () => {
    keyedServer = await startKeyedServer({}, async (dialect) => {
      const auth = await createServerAuth({ dialect, host: "127.0.0.1" });
      return { authorizer: auth.authorizer };
    });
    server = keyedServer.server;
    principals = await PrincipalStore.open(keyedServer.dialect);
    for (const name of ["alice", "bob"]) {
      const created = await principals.create(name);
      const response = await server.call(
        "POST",
        "/v1/oauth/tokens",
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: created.clientId,
          client_secret: created.clientSecret,
        }).toString(),
        { "Content-Type": "application/x-www-form-urlencoded" },
      );
      assert.equal(response.status, 200, response.text);
      tokens[name] = String(response.json.access_token);
    }
    await principals.grant("alice", "admin", []);
  });
  after(() => keyedServer.close());

  const as = (name: string, key: string) => keyed(key, { Authorization: `Bearer ${tokens[name]}` });

  test("the same key from two principals is two operations", async () => {
    await principals.grant("bob", "admin", ["bobs"]);
    const key = newIdempotencyKey();
    const alice = await server.checked(
      "POST",
      NAMESPACES,
      "/v1/namespaces",
      { namespace: ["alices"] },
      as("alice", key),
    );
    const bob = await server.checked("POST", NAMESPACES, "/v1/namespaces", { namespace: ["bobs"] }, as("bob", key));
    assert.equal(alice.status, 200);
    assert.equal(bob.status, 200, bob.text);
    assert.deepEqual(bob.json.namespace as unknown, ["bobs"]);
    const rows = await keyedServer.dialect.query(
      `SELECT principal FROM ${IDEMPOTENCY_TABLE} WHERE idempotency_key = ? ORDER BY principal`,
      [key],
    );
    assert.deepEqual(
      rows.map((row) => row.principal),
      ["alice", "bob"],
    );
  });

  test("a 403 is not stored: after the grant, the retry with the same key runs", async () => {
    await server.call("POST", "/v1/namespaces", { namespace: ["shared"] }, { Authorization: `Bearer ${tokens.alice}` });
    const key = newIdempotencyKey();
    const body = { name: "t", schema: EVENTS_SCHEMA };
    assertError(
      await server.checked("POST", TABLES, "/v1/namespaces/shared/tables", body, as("bob", key)),
      403,
      "ForbiddenException",
    );
    await principals.grant("bob", "write", ["shared"]);
    const retry = await server.checked("POST", TABLES, "/v1/namespaces/shared/tables", body, as("bob", key));
    assert.equal(retry.status, 200, retry.text);
    const again = await server.checked("POST", TABLES, "/v1/namespaces/shared/tables", body, as("bob", key));
    assert.equal(again.text, retry.text, "and that 200 is what replays");
  });
});

test("which statuses are final, and how lifetimes are written", () => {
  for (const status of [200, 204, 400, 404, 406, 409, 422]) assert.equal(isFinalStatus(status), true, String(status));
  for (const status of [401, 403, 419, 429, 500, 502, 503, 504])
    assert.equal(isFinalStatus(status), false, String(status));
  assert.deepEqual([1800, 3600, 86400, 45, 3601].map(formatIsoDuration), ["PT30M", "PT1H", "PT24H", "PT45S", "PT1H1S"]);
  for (const [text, ms] of [
    ["PT30M", 1_800_000],
    ["PT24H", 86_400_000],
    ["P1D", 86_400_000],
    ["PT1H30M", 5_400_000],
    ["pt0.5s", 500],
  ] as const)
    assert.equal(parseIsoDuration(text), ms, text);
  for (const text of ["", "P", "PT", "30M", "P1M", "PT-1S", "P1DT"])
    assert.equal(parseIsoDuration(text), undefined, text);
});
