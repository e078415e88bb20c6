import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { FloeError } from "../../src/core/errors.ts";
import { validatePrefix } from "../../src/server/app.ts";
import {
  type AuditEvent,
  type AuthorizationTarget,
  type Authorizer,
  OAuthRequestError,
  type Principal,
  type Privilege,
} from "../../src/server/auth-hooks.ts";
import { createLogger } from "../../src/server/logger.ts";
import { startServer } from "../../src/server/serve.ts";
import { validateResponse } from "../support/openapi-validator.ts";
import { type TestServer, assertError, startTestServer } from "./fixture.ts";

describe("malformed requests always get an ErrorModel 4xx", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test("malformed JSON and empty bodies are 400", async () => {
    const bad = await server.call("POST", "/v1/namespaces", '{"namespace": ["a"');
    assertError(bad, 400, "BadRequestException");
    validateResponse("POST", "/v1/{prefix}/namespaces", bad.status, bad.json);
    assertError(await server.call("POST", "/v1/namespaces", ""), 400, "BadRequestException");
    assertError(await server.call("POST", "/v1/namespaces", "[1,2]"), 400, "BadRequestException");
  });

  test("bodies over 8 MiB are 413, with or without Content-Length", async () => {
    const big = `{"namespace":["x"],"properties":{"k":"${"a".repeat(8 * 1024 * 1024)}"}}`;
    assertError(await server.call("POST", "/v1/namespaces", big), 413, "PayloadTooLargeException");
    const chunks = [new TextEncoder().encode(big)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const response = await fetch(`${server.url}/v1/namespaces`, {
      method: "POST",
      body: stream,
      headers: { "Content-Type": "application/json" },
      duplex: "half",
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, "PayloadTooLargeException");
    assert.equal((await server.call("HEAD", "/v1/namespaces/x")).status, 404, "nothing was created");
  });

  test("unknown routes are 404 and wrong methods 405, as ErrorModel", async () => {
    assertError(await server.call("GET", "/nothing/here"), 404, "NotFoundException");
    assertError(await server.call("GET", "/v2/namespaces"), 404, "NotFoundException");
    assertError(await server.call("PUT", "/v1/namespaces"), 405, "MethodNotAllowedException");
    assertError(await server.call("DELETE", "/v1/config"), 405, "MethodNotAllowedException");
    assertError(await server.call("PATCH", "/v1/namespaces/a/tables/b"), 405, "MethodNotAllowedException");
    assertError(await server.call("GET", "/v1/tables/rename"), 405, "MethodNotAllowedException");
  });

  test("invalid identifiers in paths and queries are 400", async () => {
    assertError(await server.call("GET", "/v1/namespaces/a.b"), 400, "BadRequestException");
    assertError(await server.call("GET", "/v1/namespaces/a%1F/tables"), 400, "BadRequestException");
  });

  test("health and readiness probes", async () => {
    const health = await server.call("GET", "/healthz");
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { status: "ok" } as unknown);
    assert.equal((await server.call("GET", "/readyz")).status, 200);
  });
});

test("an unexpected failure is a 500 ErrorModel without internals; a dead catalog makes /readyz 503", async () => {
  const catalog = new MemoryCatalog();
  catalog.listNamespaces = async () => {
    throw new TypeError("secret internal detail");
  };
  const server = await startTestServer({ catalog });
  try {
    const result = await server.call("GET", "/v1/namespaces");
    assertError(result, 500, "InternalServerError");
    assert.ok(!result.text.includes("secret internal detail"));
    assertError(await server.call("GET", "/readyz"), 503, "ServiceUnavailableException");
  } finally {
    await server.close();
  }
});

/** An authorizer for the tests: "Bearer reader" may read, "Bearer writer" may also write outside "locked". */
class TestAuthorizer implements Authorizer {
  async authenticate(header?: string): Promise<Principal | null> {
    if (header === undefined) return null;
    if (header === "Bearer reader" || header === "Bearer writer") return { name: header.slice(7) };
    throw new FloeError("unauthorized", "token is not valid");
  }
  async authorize(principal: Principal | null, privilege: Privilege, object: AuthorizationTarget): Promise<void> {
    if (principal === null) throw new FloeError("unauthorized", "credentials required");
    if (privilege === "read") return;
    if (principal.name === "writer" && object.namespace?.[0] !== "locked") return;
    throw new FloeError(
      "forbidden",
      `${principal.name} may not ${privilege} ${object.namespace?.join(".") ?? "catalog"}`,
    );
  }
  async issueToken(form: URLSearchParams) {
    if (form.get("grant_type") !== "client_credentials")
      throw new OAuthRequestError("unsupported_grant_type", "only client_credentials");
    if (form.get("client_secret") !== "s3cret") throw new FloeError("unauthorized", "bad client credentials");
    return {
      access_token: "writer",
      token_type: "bearer",
      expires_in: 3600,
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
    };
  }
}

describe("authorization hook and audit events", () => {
  let server: TestServer;
  const events: AuditEvent[] = [];
  const logLines: string[] = [];
  before(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    server = await startTestServer({
      authorizer: new TestAuthorizer(),
      audit: { record: (event) => void events.push(event) },
      logger: createLogger({ destination }),
    });
  });
  after(() => server.close());

  const as = (who: string) => ({ Authorization: `Bearer ${who}` });

  test("no credentials is 401, a bad token 401, missing privilege 403, granted 200", async () => {
    assertError(await server.checked("GET", "/v1/config", "/v1/config"), 401, "NotAuthorizedException");
    assertError(
      await server.checked("GET", "/v1/config", "/v1/config", undefined, as("forged")),
      401,
      "NotAuthorizedException",
    );
    assert.equal((await server.checked("GET", "/v1/config", "/v1/config", undefined, as("reader"))).status, 200);
    const NS = "/v1/{prefix}/namespaces";
    assertError(
      await server.checked("POST", NS, "/v1/namespaces", { namespace: ["open"] }, as("reader")),
      403,
      "ForbiddenException",
    );
    assert.equal(
      (await server.checked("POST", NS, "/v1/namespaces", { namespace: ["open"] }, as("writer"))).status,
      200,
    );
    assertError(
      await server.checked("POST", NS, "/v1/namespaces", { namespace: ["locked"] }, as("writer")),
      403,
      "ForbiddenException",
    );
    assert.equal(
      (await server.call("HEAD", "/v1/namespaces/locked", undefined, as("reader"))).status,
      404,
      "never created",
    );
    assert.equal((await server.call("GET", "/healthz")).status, 200, "probes need no credentials");
  });

  test("audit events say who did what to which object and how it ended", async () => {
    const created = events.find((e) => e.operation === "createNamespace" && e.outcome === "allowed");
    assert.deepEqual(
      {
        principal: created?.principal,
        privilege: created?.privilege,
        objects: created?.objects,
        status: created?.status,
      },
      { principal: "writer", privilege: "admin", objects: [{ namespace: ["open"] }], status: 200 },
    );
    const denied = events.find((e) => e.operation === "createNamespace" && e.outcome === "denied");
    assert.equal(denied?.principal, "reader");
    assert.equal(denied?.status, 403);
    assert.equal(denied?.error?.kind, "forbidden");
    const unauthenticated = events.find((e) => e.operation === "authenticate");
    assert.equal(unauthenticated?.outcome, "denied");
    assert.equal(unauthenticated?.status, 401);
    assert.ok(events.every((e) => typeof e.requestId === "string" && e.requestId.length > 0));
  });

  test("access logs are JSON lines with request id and status, never the token", async () => {
    await server.call("GET", "/v1/namespaces", undefined, { ...as("reader"), "X-Request-Id": "trace-42" });
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === "trace-42");
    assert.equal(line?.status, 200);
    assert.equal(line?.principal, "reader");
    assert.equal(line?.path, "/v1/namespaces");
    assert.ok(logLines.every((l) => !l.includes("Bearer")));
  });

  test("the OAuth2 token endpoint answers tokens and OAuth errors", async () => {
    const token = async (body: string) => {
      const response = await fetch(`${server.url}/v1/oauth/tokens`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      const json = (await response.json()) as Record<string, unknown>;
      validateResponse("POST", "/v1/oauth/tokens", response.status, json);
      return { status: response.status, json };
    };
    const ok = await token("grant_type=client_credentials&client_id=w&client_secret=s3cret");
    assert.equal(ok.status, 200);
    assert.equal(ok.json.access_token, "writer");
    const badSecret = await token("grant_type=client_credentials&client_id=w&client_secret=nope");
    assert.deepEqual([badSecret.status, badSecret.json.error], [401, "invalid_client"]);
    const badGrant = await token("grant_type=password");
    assert.deepEqual([badGrant.status, badGrant.json.error], [400, "unsupported_grant_type"]);
  });
});

test("close() lets in-flight requests finish, then refuses new ones", async () => {
  const catalog = new MemoryCatalog();
  await catalog.createNamespace(["slow"]);
  const original = catalog.loadNamespaceProperties.bind(catalog);
  catalog.loadNamespaceProperties = async (namespace) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return original(namespace);
  };
  const server = await startServer({ catalog, port: 0 });
  const inFlight = fetch(`${server.url}/v1/namespaces/slow`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closed = server.close();
  const response = await inFlight;
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { namespace: ["slow"], properties: {} });
  await closed;
  await assert.rejects(fetch(`${server.url}/healthz`));
});

test("server prefixes must be one safe path segment that shadows no route", () => {
  validatePrefix("warehouse-1");
  assert.throws(() => validatePrefix("a/b"), /one path segment/);
  assert.throws(() => validatePrefix("namespaces"), /collides/);
});
