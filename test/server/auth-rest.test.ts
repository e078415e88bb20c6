/**
 * Auth end to end: floe's REST server with the SQL authorizer and audit sink over a SQLite catalog,
 * called with raw HTTP and with the REST catalog client. Covers 401 (no, expired, tampered, foreign
 * tokens), 403 and grants taking and losing effect, token endpoint errors and refresh, the audit
 * log, and that no secret or token is ever stored or logged in clear.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { RestCatalog } from "../../src/catalog/rest/rest-catalog.ts";
import type { SqlDialect } from "../../src/catalog/sql-dialect.ts";
import { isFloeError } from "../../src/core/errors.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { allowAllAuthorizer } from "../../src/server/auth-hooks.ts";
import { openAuthDatabase } from "../../src/server/auth/auth-database.ts";
import { type CreatedPrincipal, PrincipalStore } from "../../src/server/auth/principal-store.ts";
import { createServerAuth } from "../../src/server/auth/server-auth.ts";
import { resolveSigningSecret } from "../../src/server/auth/signing-secret.ts";
import { queryAuditLog } from "../../src/server/auth/sql-audit-sink.ts";
import { SqlAuthorizer } from "../../src/server/auth/sql-authorizer.ts";
import { createLogger } from "../../src/server/logger.ts";
import { type RunningServer, startServer } from "../../src/server/serve.ts";
import { EVENTS_SCHEMA, assertRejectsKind } from "../catalog/conformance.ts";

let warehouse: string;
let backing: Catalog;
let dialect: SqlDialect;
let store: PrincipalStore;
let server: RunningServer;
const logLines: string[] = [];
const principals: Record<string, CreatedPrincipal> = {};
/** Every token issued in this file, to prove none is stored or logged. */
const issuedTokens: string[] = [];

const credential = (name: string) => `${principals[name].clientId}:${principals[name].clientSecret}`;

async function tokenFor(name: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/oauth/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: principals[name].clientId,
      client_secret: principals[name].clientSecret,
      scope: "catalog",
    }).toString(),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  assert.equal(body.token_type, "bearer");
  assert.equal(body.expires_in, 3600);
  issuedTokens.push(body.access_token);
  return body.access_token;
}

async function get(
  pathname: string,
  token?: string,
): Promise<{ status: number; body: { error?: { message: string; type: string } } }> {
  const response = await fetch(`${server.url}${pathname}`, {
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as { error?: { message: string; type: string } } };
}

async function client(name: string): Promise<RestCatalog> {
  return RestCatalog.open({ uri: server.url, credential: credential(name), io: new LocalFileIO() });
}

before(async () => {
  warehouse = await mkdtemp(path.join(tmpdir(), "floe-auth-"));
  backing = await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() });
  dialect = openAuthDatabase("sqlite:", warehouse);
  const auth = await createServerAuth({ dialect, host: "127.0.0.1" });
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startServer({
    catalog: backing,
    host: "127.0.0.1",
    port: 0,
    authorizer: auth.authorizer,
    audit: auth.auditSink,
    logger: createLogger({ level: "debug", destination }),
  });
  store = await PrincipalStore.open(dialect);
  for (const name of ["root", "analyst", "stranger"]) principals[name] = await store.create(name);
  await store.grant("root", "admin", []);
  await store.grant("analyst", "read", []);
});

after(async () => {
  await server?.close();
  await backing?.close();
  await dialect?.close();
  await rm(warehouse, { recursive: true, force: true });
});

describe("authentication", () => {
  test("no token is 401, for raw requests and for a client without credentials", async () => {
    const answer = await get("/v1/namespaces");
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error?.type, "NotAuthorizedException");
    await assertRejectsKind(RestCatalog.open({ uri: server.url }), "unauthorized", "bearer token");
  });

  test("an expired token is 401", async () => {
    const key = await resolveSigningSecret(dialect);
    const past = new SqlAuthorizer({ store, signingKey: key, now: () => Date.now() - 2 * 3600_000 });
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: principals.root.clientId,
      client_secret: principals.root.clientSecret,
    });
    const stale = (await past.issueToken(form)).access_token;
    issuedTokens.push(stale);
    const answer = await get("/v1/namespaces", stale);
    assert.equal(answer.status, 401);
    assert.match(answer.body.error?.message ?? "", /expired/);
  });

  test("a tampered token, a token signed with another key and a malformed header are 401", async () => {
    const token = await tokenFor("analyst");
    assert.equal((await get("/v1/namespaces", token)).status, 200);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: principals.root.clientId })).toString("base64url");
    assert.equal((await get("/v1/namespaces", `${header}.${forged}.${signature}`)).status, 401);
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    assert.equal((await get("/v1/namespaces", `${header}.${payload}.${flipped}`)).status, 401);
    const foreign = new SqlAuthorizer({ store, signingKey: new Uint8Array(32).fill(7) });
    const foreignToken = (
      await foreign.issueToken(
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: principals.root.clientId,
          client_secret: principals.root.clientSecret,
        }),
      )
    ).access_token;
    issuedTokens.push(foreignToken);
    assert.equal((await get("/v1/namespaces", foreignToken)).status, 401);
    const basic = await fetch(`${server.url}/v1/namespaces`, { headers: { Authorization: "Basic abc" } });
    assert.equal(basic.status, 401);
  });

  test("the token endpoint refuses bad secrets and unknown grants, and refreshes by token exchange", async () => {
    const wrong = await fetch(`${server.url}/v1/oauth/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${principals.root.clientId}&client_secret=not-the-secret`,
    });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, "invalid_client");
    const password = await fetch(`${server.url}/v1/oauth/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=a&password=b",
    });
    assert.equal(password.status, 400);
    assert.equal(((await password.json()) as { error: string }).error, "unsupported_grant_type");

    const token = await tokenFor("analyst");
    const exchanged = await fetch(`${server.url}/v1/oauth/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${token}` },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: token,
        subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
      }).toString(),
    });
    assert.equal(exchanged.status, 200);
    const fresh = ((await exchanged.json()) as { access_token: string }).access_token;
    issuedTokens.push(fresh);
    assert.notEqual(fresh, token);
    assert.equal((await get("/v1/namespaces", fresh)).status, 200);
  });
});

describe("authorization", () => {
  test("privileges gate operations; a grant takes effect and a revoke takes it away again", async () => {
    const root = await client("root");
    await root.createNamespace(["web"]);
    await root.createNamespace(["web", "clicks"]);
    await root.createNamespace(["ops"]);
    const table = { namespace: ["web", "clicks"], name: "events" };
    await root.createTable(table, { schema: EVENTS_SCHEMA });

    const analyst = await client("analyst");
    assert.deepEqual(await analyst.listNamespaces(), [["ops"], ["web"]]);
    assert.equal((await analyst.loadTable(table)).metadata["current-snapshot-id"], null);
    const setProperty = (catalog: Catalog, value: string) =>
      catalog.commitTable(table, [], [{ action: "set-properties", updates: { owner: value } }]);
    await assertRejectsKind(setProperty(analyst, "analyst"), "forbidden", "analyst", "write", "web.clicks.events");
    await assertRejectsKind(analyst.createNamespace(["web", "new"]), "forbidden", "admin");

    await store.grant("analyst", "write", ["web"]); // a namespace grant covers its child namespaces' tables
    await setProperty(analyst, "analyst");
    await assertRejectsKind(
      analyst.createTable({ namespace: ["ops"], name: "jobs" }, { schema: EVENTS_SCHEMA }),
      "forbidden",
      "ops.jobs",
    );
    await assertRejectsKind(analyst.dropNamespace(["web", "clicks"]), "forbidden", "admin");

    await store.revoke("analyst", "write", ["web"]);
    await assertRejectsKind(setProperty(analyst, "again"), "forbidden", "write");
    assert.equal((await root.loadTable(table)).metadata.properties.owner, "analyst");

    // Authenticated but without grants: the client connects (config needs no privilege) but every object is refused.
    const stranger = await client("stranger");
    await assertRejectsKind(stranger.listNamespaces(), "forbidden", "stranger");
    await assertRejectsKind(stranger.loadTable(table), "forbidden", "web.clicks.events");
    await store.grant("stranger", "read", ["web", "clicks", "events"]);
    assert.equal((await stranger.loadTable(table)).metadata.properties.owner, "analyst");
    await stranger.close();
    const token = await tokenFor("stranger");
    assert.equal((await get("/v1/namespaces/web%1Fclicks/tables/events", token)).status, 200);
    const listing = await get("/v1/namespaces/web%1Fclicks/tables", token);
    assert.equal(listing.status, 403);
    assert.match(listing.body.error?.message ?? "", /namespace web\.clicks/);

    await Promise.all([root.close(), analyst.close()]);
  });

  test("a deleted principal's tokens stop working at once", async () => {
    const temp = await store.create("temporary");
    principals.temporary = temp;
    await store.grant("temporary", "read", []);
    const token = await tokenFor("temporary");
    assert.equal((await get("/v1/namespaces", token)).status, 200);
    await store.delete("temporary");
    const answer = await get("/v1/namespaces", token);
    assert.equal(answer.status, 401);
    assert.match(answer.body.error?.message ?? "", /no longer exists/);
  });

  test("--no-auth is refused unless the host is loopback", async () => {
    await assertRejectsKind(createServerAuth({ dialect, host: "0.0.0.0", noAuth: true }), "bad-input", "0.0.0.0");
    await assertRejectsKind(createServerAuth({ dialect, host: "10.1.2.3", noAuth: true }), "bad-input", "loopback");
    for (const host of ["127.0.0.1", "localhost", "::1", "[::1]"])
      assert.equal((await createServerAuth({ dialect, host, noAuth: true })).authorizer, allowAllAuthorizer, host);
  });
});

describe("audit log and secrecy", () => {
  test("mutations and denials are audited with principal, operation, objects, outcome and request id", async () => {
    const rows = await queryAuditLog(dialect, { limit: 1000 });
    const find = (predicate: (row: (typeof rows)[number]) => boolean, what: string) => {
      const row = rows.find(predicate);
      assert.ok(row, `no audit row for ${what}: ${JSON.stringify(rows, null, 1)}`);
      return row;
    };
    const created = find((r) => r.operation === "createNamespace" && r.objects === "web", "createNamespace web");
    assert.equal(created.principal, "root");
    assert.equal(created.outcome, "allowed");
    assert.equal(created.privilege, "admin");
    assert.ok(created.requestId && created.requestId.length > 0);
    assert.ok(!Number.isNaN(Date.parse(created.time)));
    find((r) => r.operation === "createTable" && r.principal === "root" && r.outcome === "allowed", "createTable");
    const denied = find(
      (r) => r.operation === "commitTable" && r.principal === "analyst" && r.outcome === "denied",
      "denied commit",
    );
    assert.equal(denied.status, 403);
    assert.equal(denied.objects, "web.clicks.events");
    assert.match(denied.error ?? "", /^forbidden: /);
    find(
      (r) => r.operation === "commitTable" && r.principal === "analyst" && r.outcome === "allowed",
      "allowed commit",
    );
    find((r) => r.status === 401 && r.outcome === "denied" && r.principal === null, "an unauthenticated request");
    find((r) => r.outcome === "denied" && r.principal === "stranger", "the stranger's denial");
    assert.ok(
      !rows.some((r) => r.outcome === "allowed" && (r.operation === "loadTable" || r.operation === "listNamespaces")),
      "successful reads are not audited",
    );
    const analystOnly = await queryAuditLog(dialect, { principal: "analyst" });
    assert.ok(analystOnly.length > 0 && analystOnly.every((r) => r.principal === "analyst"));
    assert.equal((await queryAuditLog(dialect, { limit: 2 })).length, 2);
    assert.deepEqual(await queryAuditLog(dialect, { since: new Date(Date.now() + 60_000).toISOString() }), []);
  });

  test("no client secret or token appears in the database or the server logs", async () => {
    const secrets = [...Object.values(principals).map((p) => p.clientSecret), ...issuedTokens];
    assert.ok(issuedTokens.length >= 5);
    const stored = JSON.stringify([
      await dialect.query("SELECT * FROM floe_principals"),
      await dialect.query("SELECT * FROM floe_grants"),
      await dialect.query("SELECT * FROM floe_audit_log"),
      await dialect.query("SELECT * FROM floe_auth_settings"),
    ]);
    const logs = logLines.join("");
    assert.ok(logs.includes('"status":401') && logs.includes('"status":403'), "the log captured the requests");
    for (const secret of secrets) {
      assert.ok(!stored.includes(secret), "a secret or token is stored in clear");
      assert.ok(!logs.includes(secret), "a secret or token is logged");
    }
    for (const row of await dialect.query("SELECT secret_hash FROM floe_principals"))
      assert.match(String(row.secret_hash), /^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
  });
});

test("a client with a token endpoint that refuses it fails cleanly, naming no secret", async () => {
  await assert.rejects(
    RestCatalog.open({ uri: server.url, credential: `${principals.root.clientId}:guessed-Secret-42` }),
    (error: unknown) => isFloeError(error, "unauthorized") && !error.message.includes("guessed-Secret-42"),
  );
});
