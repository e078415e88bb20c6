/**
 * The REST catalog client's protocol behaviour, against a small scripted HTTP server on loopback:
 * config merging and prefixes, OAuth2 token fetch / renewal / 401 retry, static tokens, error
 * mapping, exact int64 on the wire, namespace encoding, vended S3 credentials (used for real
 * against a local S3 server), SigV4 signing (checked by an independent signature computation),
 * stage-create and multi-table commits on the wire, and Idempotency-Keys with resends.
 * The full Catalog behaviour through floe's own server is rest-catalog.test.ts.
 */
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { RestCatalog } from "../../src/catalog/rest/rest-catalog.ts";
import { errorFromResponse } from "../../src/catalog/rest/rest-errors.ts";
import { isFloeError } from "../../src/core/errors.ts";
import { type JsonValue, parseJson, stringifyJson } from "../../src/core/json.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { tableMetadataToJson } from "../../src/spec/metadata-writer.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import { type S3TestServer, startS3Server } from "../support/s3-server.ts";
import { EVENTS_SCHEMA, assertRejectsKind } from "./conformance.ts";

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (request: Seen) => {
  status: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Drop the connection without answering (the request did reach the server). */
  hangUp?: boolean;
};

/** A loopback HTTP server answering with `handler`, recording every request. */
async function scriptedServer(handler: Handler): Promise<{ uri: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const request = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(request);
      const answer = handler(request);
      if (answer.hangUp) {
        req.socket.destroy();
        return;
      }
      const text = answer.raw ?? (answer.body === undefined ? "" : stringifyJson(answer.body));
      res.writeHead(answer.status, { ...(text ? { "Content-Type": "application/json" } : {}), ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const errorBody = (status: number, type: string, message: string): JsonValue => ({
  error: { message, type, code: status },
});

const metadataJson = (location: string) =>
  tableMetadataToJson(newTableMetadata({ schema: EVENTS_SCHEMA, location, properties: {} }));

describe("REST client: config and OAuth2 tokens", () => {
  test("fetches a token with client credentials, then config; overrides win, prefix and separator are used", async () => {
    let issued = 0;
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/oauth/tokens") {
        issued += 1;
        return { status: 200, body: { access_token: `token-${issued}`, token_type: "bearer", expires_in: 3600 } };
      }
      if (request.headers.authorization !== `Bearer token-${issued}`)
        return { status: 401, body: errorBody(401, "NotAuthorizedException", "no") };
      if (request.path === "/v1/config")
        return {
          status: 200,
          body: { defaults: { prefix: "ignored", "client.pool": "2", owner: "d" }, overrides: { prefix: "wh/one" } },
        };
      if (request.path === "/v1/wh/one/namespaces") return { status: 200, body: { namespaces: [["a", "b"]] } };
      return { status: 404, body: errorBody(404, "NoSuchNamespaceException", `nothing at ${request.path}`) };
    });
    try {
      const catalog = await RestCatalog.open({
        uri: `${server.uri}?credential=client-1:s3cret&warehouse=main&owner=client`,
        scope: "catalog extra",
      });
      assert.equal(catalog.properties.prefix, "wh/one", "overrides beat client properties");
      assert.equal(catalog.properties.owner, "client", "client properties beat defaults");
      assert.equal(catalog.properties["client.pool"], "2");
      const tokenRequest = server.seen[0];
      assert.equal(tokenRequest.method, "POST");
      assert.equal(tokenRequest.headers["content-type"], "application/x-www-form-urlencoded");
      const form = new URLSearchParams(tokenRequest.body);
      assert.deepEqual(Object.fromEntries(form), {
        grant_type: "client_credentials",
        client_id: "client-1",
        client_secret: "s3cret",
        scope: "catalog extra",
      });
      assert.equal(server.seen[1].path, "/v1/config");
      assert.equal(server.seen[1].query.get("warehouse"), "main");
      assert.deepEqual(await catalog.listNamespaces(["a", "b"]), [["a", "b"]]);
      assert.equal(server.seen[2].query.get("parent"), "a\u001fb", "levels joined by 0x1F");
      assert.ok(server.seen[2].path.startsWith("/v1/wh/one/"));
      await assertRejectsKind(catalog.loadNamespaceProperties(["x", "y"]), "not-found", "/v1/wh/one/namespaces/x%1Fy");
      assert.equal(issued, 1, "one token serves every request while it is fresh");
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("renews the token shortly before it expires, and once after a 401; a second 401 is unauthorized", async () => {
    let issued = 0;
    const valid = new Set<string>();
    let refuseAll = false;
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/oauth/tokens") {
        issued += 1;
        valid.add(`t${issued}`);
        return { status: 200, body: { access_token: `t${issued}`, token_type: "bearer", expires_in: 100 } };
      }
      const token = request.headers.authorization?.replace("Bearer ", "") ?? "";
      if (refuseAll || !valid.has(token))
        return { status: 401, body: errorBody(401, "NotAuthorizedException", "token rejected") };
      if (request.path === "/v1/config") return { status: 200, body: { defaults: {}, overrides: {} } };
      return { status: 200, body: { namespaces: [] } };
    });
    try {
      let clock = 1_000_000;
      const catalog = await RestCatalog.open({ uri: server.uri, credential: "id:secret", now: () => clock });
      assert.equal(issued, 1);
      clock += 70_000; // 30 s of life left: more than the renewal margin (20 s), so kept
      await catalog.listNamespaces();
      assert.equal(issued, 1);
      clock += 15_000; // 15 s left: renewed before the request goes out
      await catalog.listNamespaces();
      assert.equal(issued, 2);
      assert.equal(server.seen.at(-1)?.headers.authorization, "Bearer t2");

      valid.delete("t2"); // revoked early by the server: 401, renewal, one retry
      await catalog.listNamespaces();
      assert.equal(issued, 3);
      assert.equal(server.seen.at(-1)?.headers.authorization, "Bearer t3");

      refuseAll = true; // every token is refused now: one renewal and one retry, then the 401 stands
      const before = server.seen.length;
      await assertRejectsKind(catalog.listNamespaces(), "unauthorized", "token rejected");
      assert.equal(server.seen.length - before, 3, "request, token request, retried request");
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("a static token is sent as is and nothing is fetched; bad client credentials are unauthorized", async () => {
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/oauth/tokens")
        return { status: 401, body: { error: "invalid_client", error_description: "unknown client" } };
      return { status: 200, body: { defaults: {}, overrides: {} } };
    });
    try {
      const catalog = await RestCatalog.open({ uri: `${server.uri}?token=static-abc` });
      assert.equal(server.seen.length, 1);
      assert.equal(server.seen[0].headers.authorization, "Bearer static-abc");
      await catalog.close();
      await assert.rejects(RestCatalog.open({ uri: server.uri, credential: "id:wrong-secret" }), (error: unknown) => {
        assert.ok(isFloeError(error, "unauthorized"), String(error));
        assert.ok(error.message.includes("unknown client"));
        assert.ok(!error.message.includes("wrong-secret"), "the secret never appears in errors");
        return true;
      });
    } finally {
      await server.close();
    }
  });
});

describe("REST client: errors and wire format", () => {
  test("ErrorModel responses map to FloeError kinds", () => {
    const cases: [number, string, string, boolean][] = [
      [404, "NoSuchTableException", "not-found", false],
      [404, "NoSuchNamespaceException", "not-found", false],
      [409, "AlreadyExistsException", "already-exists", false],
      [409, "CommitFailedException", "commit-conflict", true],
      [409, "NamespaceNotEmptyException", "validation", false],
      [400, "BadRequestException", "bad-input", false],
      [400, "ValidationException", "validation", false],
      [401, "NotAuthorizedException", "unauthorized", false],
      [403, "ForbiddenException", "forbidden", false],
      [406, "UnsupportedOperationException", "unsupported", false],
      [500, "ServiceFailureException", "io", true],
      [503, "ServiceUnavailableException", "io", true],
      [500, "CommitStateUnknownException", "io", false],
      [422, "UnprocessableEntityException", "validation", false],
    ];
    for (const [status, type, kind, retryable] of cases) {
      const error = errorFromResponse(status, stringifyJson(errorBody(status, type, `msg ${type}`)), "GET /x");
      assert.equal(error.kind, kind, `${status} ${type}`);
      assert.equal(error.retryable, retryable, `${status} ${type} retryable`);
      assert.equal(error.message, `msg ${type}`);
    }
    const bare = errorFromResponse(502, "<html>bad gateway</html>", "POST /v1/namespaces");
    assert.equal(bare.kind, "io");
    assert.ok(bare.message.includes("POST /v1/namespaces") && bare.message.includes("502"), bare.message);
  });

  test("int64 values travel exactly both ways; commits send identifier, requirements and updates", async () => {
    const big = 9_007_199_254_740_993n; // 2^53 + 1: a double would round it
    const location = "memory://wh/web/events";
    const base = metadataJson(location);
    const withSnapshot = {
      ...base,
      "current-snapshot-id": big,
      "last-sequence-number": 1,
      snapshots: [
        {
          "snapshot-id": big,
          "sequence-number": 1,
          "timestamp-ms": 1_700_000_000_000,
          "manifest-list": `${location}/metadata/snap.avro`,
          summary: { operation: "append" },
          "schema-id": 0,
        },
      ],
      refs: { main: { "snapshot-id": big, type: "branch" } },
    };
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/config") return { status: 200, body: { defaults: {}, overrides: {} } };
      if (request.method === "POST")
        return {
          status: 200,
          body: { "metadata-location": `${location}/metadata/00001.metadata.json`, metadata: withSnapshot },
        };
      return { status: 200, body: { "metadata-location": `${location}/metadata/00000.metadata.json`, metadata: base } };
    });
    try {
      const catalog = await RestCatalog.open({ uri: server.uri, io: new MemoryFileIO() });
      const identifier = { namespace: ["web", "clicks"], name: "events" };
      const committed = await catalog.commitTable(
        identifier,
        [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
        [{ action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": big }],
      );
      const sent = server.seen.at(-1)!;
      assert.equal(sent.path, "/v1/namespaces/web%1Fclicks/tables/events");
      assert.ok(sent.body.includes('"snapshot-id":9007199254740993'), sent.body);
      assert.deepEqual(parseJson(sent.body), {
        identifier: { namespace: ["web", "clicks"], name: "events" },
        requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
        updates: [{ action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": big }],
      });
      assert.equal(committed.metadata["current-snapshot-id"], big);
      assert.equal(committed.metadata.snapshots[0]["snapshot-id"], big);
      assert.equal(committed.metadataLocation, `${location}/metadata/00001.metadata.json`);
      await catalog.close();
    } finally {
      await server.close();
    }
  });
});

describe("REST client: stage-create and multi-table commits", () => {
  test("stageCreateTable posts stage-create: true and returns the metadata of a table that does not exist", async () => {
    const location = "memory://wh/web/staged";
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/config") return { status: 200, body: { defaults: {}, overrides: {} } };
      return { status: 200, body: { metadata: metadataJson(location), config: {} } };
    });
    try {
      const catalog = await RestCatalog.open({ uri: server.uri, io: new MemoryFileIO() });
      const staged = await catalog.stageCreateTable({ namespace: ["web"], name: "staged" }, { schema: EVENTS_SCHEMA });
      assert.equal(staged.location, location);
      const sent = server.seen.at(-1)!;
      assert.equal(sent.method, "POST");
      assert.equal(sent.path, "/v1/namespaces/web/tables");
      const body = parseJson(sent.body) as { [key: string]: JsonValue };
      assert.equal(body["stage-create"], true);
      assert.equal(body.name, "staged");
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("commitTransaction posts table-changes, loads the tables after the 204, and maps any 409 to a conflict", async () => {
    const location = "memory://wh/web/a";
    let conflict = false;
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/config") return { status: 200, body: { defaults: {}, overrides: { prefix: "p" } } };
      if (request.path === "/v1/p/transactions/commit")
        return conflict
          ? { status: 409, body: errorBody(409, "SomeOtherServersConflict", "table web.a changed") }
          : { status: 204 };
      return {
        status: 200,
        body: { "metadata-location": `${location}/metadata/00001.metadata.json`, metadata: metadataJson(location) },
      };
    });
    try {
      const catalog = await RestCatalog.open({ uri: server.uri, io: new MemoryFileIO() });
      const commits = [
        {
          identifier: { namespace: ["web"], name: "a" },
          requirements: [{ type: "assert-table-uuid" as const, uuid: "u-1" }],
          updates: [{ action: "set-properties" as const, updates: { k: "v" } }],
        },
        { identifier: { namespace: ["web", "sub"], name: "b" }, requirements: [], updates: [] },
      ];
      const tables = await catalog.commitTransaction(commits);
      const post = server.seen.find((request) => request.method === "POST")!;
      assert.equal(post.path, "/v1/p/transactions/commit");
      assert.deepEqual(parseJson(post.body), {
        "table-changes": [
          {
            identifier: { namespace: ["web"], name: "a" },
            requirements: [{ type: "assert-table-uuid", uuid: "u-1" }],
            updates: [{ action: "set-properties", updates: { k: "v" } }],
          },
          { identifier: { namespace: ["web", "sub"], name: "b" }, requirements: [], updates: [] },
        ],
      });
      assert.deepEqual(
        server.seen.slice(-2).map((request) => `${request.method} ${request.path}`),
        ["GET /v1/p/namespaces/web/tables/a", "GET /v1/p/namespaces/web%1Fsub/tables/b"],
      );
      assert.deepEqual(
        tables.map((table) => table.metadataLocation),
        [`${location}/metadata/00001.metadata.json`, `${location}/metadata/00001.metadata.json`],
      );
      conflict = true;
      await assert.rejects(catalog.commitTransaction(commits), (error: unknown) => {
        assert.ok(isFloeError(error, "commit-conflict"), String(error));
        assert.equal(error.retryable, true);
        assert.match(error.message, /web\.a changed/);
        return true;
      });
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("a server whose endpoints list lacks transactions/commit makes commitTransaction unsupported, sending nothing", async () => {
    const server = await scriptedServer(() => ({
      status: 200,
      body: {
        defaults: {},
        overrides: {},
        endpoints: ["GET /v1/{prefix}/namespaces", "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}"],
      },
    }));
    try {
      const catalog = await RestCatalog.open({ uri: server.uri, io: new MemoryFileIO() });
      const commit = { identifier: { namespace: ["web"], name: "a" }, requirements: [], updates: [] };
      await assertRejectsKind(
        catalog.commitTransaction([commit]),
        "unsupported",
        "POST /v1/{prefix}/transactions/commit",
      );
      assert.equal(server.seen.length, 1, "only the config request");
      await catalog.close();
    } finally {
      await server.close();
    }
  });
});

describe("REST client: Idempotency-Keys", () => {
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  /** A server that answers POST /v1/namespaces with `answers` in turn (then 200), advertising `lifetime`. */
  async function namespaceServer(lifetime: string | undefined, answers: ("503" | "hang-up" | "500" | "200")[]) {
    const script = [...answers];
    return scriptedServer((request) => {
      if (request.path === "/v1/config")
        return {
          status: 200,
          body: {
            defaults: {},
            overrides: {},
            ...(lifetime === undefined ? {} : { "idempotency-key-lifetime": lifetime }),
          },
        };
      if (request.method !== "POST") return { status: 200, body: { namespaces: [] } };
      const next = script.shift();
      if (next === "hang-up") return { status: 0, hangUp: true };
      if (next === "503")
        return {
          status: 503,
          headers: { "Retry-After": "0" },
          body: errorBody(503, "ServiceUnavailableException", "busy"),
        };
      if (next === "500") return { status: 500, body: errorBody(500, "ServiceFailureException", "broken") };
      return { status: 200, body: { namespace: ["web"], properties: {} } };
    });
  }

  test("a server advertising a lifetime gets a fresh UUIDv7 per mutating call, none on reads", async () => {
    const server = await namespaceServer("PT30M", []);
    try {
      const catalog = await RestCatalog.open({ uri: server.uri });
      await catalog.createNamespace(["web"]);
      await catalog.createNamespace(["web"]);
      await catalog.listNamespaces();
      const keys = server.seen.slice(1).map((request) => request.headers["idempotency-key"]);
      assert.match(String(keys[0]), UUID_V7);
      assert.match(String(keys[1]), UUID_V7);
      assert.notEqual(keys[0], keys[1]);
      assert.equal(keys[2], undefined);
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("a lost connection and a 503 are resent with the same key; a 500 is not resent", async () => {
    const server = await namespaceServer("PT30M", ["hang-up", "503", "200", "500"]);
    try {
      const catalog = await RestCatalog.open({ uri: server.uri });
      await catalog.createNamespace(["web"]);
      const posts = server.seen.filter((request) => request.method === "POST");
      assert.equal(posts.length, 3, "hung up, 503, then answered");
      assert.equal(new Set(posts.map((request) => request.headers["idempotency-key"])).size, 1);
      await assertRejectsKind(catalog.createNamespace(["web"]), "io", "broken");
      assert.equal(server.seen.filter((request) => request.method === "POST").length, 4, "the 500 was not resent");
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("resends stop after four attempts", async () => {
    const server = await namespaceServer("PT30M", ["503", "503", "503", "503", "503"]);
    try {
      const catalog = await RestCatalog.open({ uri: server.uri });
      await assertRejectsKind(catalog.createNamespace(["web"]), "io", "busy");
      assert.equal(server.seen.filter((request) => request.method === "POST").length, 4);
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("without an advertised lifetime no key is sent and nothing mutating is resent", async () => {
    const server = await namespaceServer(undefined, ["hang-up", "503"]);
    try {
      const catalog = await RestCatalog.open({ uri: server.uri });
      await assertRejectsKind(catalog.createNamespace(["web"]), "io", "failed");
      await assertRejectsKind(catalog.createNamespace(["web"]), "io", "busy");
      const posts = server.seen.filter((request) => request.method === "POST");
      assert.equal(posts.length, 2);
      assert.ok(posts.every((request) => request.headers["idempotency-key"] === undefined));
      await catalog.close();
    } finally {
      await server.close();
    }
  });
});

describe("REST client: vended credentials and SigV4", () => {
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server();
  });
  after(async () => {
    await s3?.stop();
  });

  test("loadTable asks for vended credentials and the table's FileIO uses them against S3", async () => {
    const location = `s3://${s3.bucket}/wh/web/events`;
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/config") return { status: 200, body: { defaults: {}, overrides: {} } };
      const vended = request.headers["x-iceberg-access-delegation"] === "vended-credentials";
      return {
        status: 200,
        body: {
          "metadata-location": `${location}/metadata/00000.metadata.json`,
          metadata: metadataJson(location),
          config: vended
            ? {
                "s3.access-key-id": "S3RVER",
                "s3.secret-access-key": "S3RVER",
                "s3.endpoint": s3.endpoint,
                "s3.path-style-access": "true",
                "client.region": "us-east-1",
              }
            : {},
        },
      };
    });
    // Without vended settings the catalog FileIO (memory only here) could not reach the bucket.
    const catalogIO = new MemoryFileIO();
    try {
      const catalog = await RestCatalog.open({ uri: server.uri, io: catalogIO });
      const table = await catalog.loadTable({ namespace: ["web"], name: "events" });
      assert.equal(server.seen.at(-1)?.headers["x-iceberg-access-delegation"], "vended-credentials");
      assert.notEqual(table.io, catalogIO);
      const file = `${location}/data/vended.txt`;
      await table.io.write(file, new TextEncoder().encode("through vended credentials"));
      assert.equal(new TextDecoder().decode(await table.io.read(file)), "through vended credentials");
      await catalog.close();
    } finally {
      await server.close();
    }
  });

  test("rest.sigv4-enabled signs every request; the signature checks out and the bearer moves aside", async () => {
    const secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const server = await scriptedServer((request) => {
      if (request.path === "/v1/config") return { status: 200, body: { defaults: {}, overrides: {} } };
      return { status: 200, body: { namespaces: [] } };
    });
    try {
      const catalog = await RestCatalog.open({
        uri: server.uri,
        token: "bearer-1",
        properties: {
          "rest.sigv4-enabled": "true",
          "rest.signing-region": "eu-west-1",
          "rest.signing-name": "glue",
          "rest.access-key-id": "AKIDEXAMPLE",
          "rest.secret-access-key": secretKey,
        },
      });
      await catalog.listNamespaces(["a", "b"]);
      for (const request of server.seen) {
        assert.equal(request.headers["original-authorization"], "Bearer bearer-1");
        assert.equal(verifySigV4(request, secretKey, "eu-west-1", "glue"), true, `${request.method} ${request.path}`);
      }
      const tampered = { ...server.seen.at(-1)!, query: new URLSearchParams({ parent: "a\u001fc" }) };
      assert.equal(verifySigV4(tampered, secretKey, "eu-west-1", "glue"), false, "a changed request fails the check");
      await catalog.close();
    } finally {
      await server.close();
    }
  });
});

/** An independent SigV4 check (AWS's documented algorithm), for requests as the server saw them. */
function verifySigV4(request: Seen, secretKey: string, region: string, service: string): boolean {
  const authorization = String(request.headers.authorization ?? "");
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match || match[3] !== region || match[4] !== service) return false;
  const [, , date, , , signedHeaders, signature] = match;
  const amzDate = String(request.headers["x-amz-date"]);
  const encode = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  // Non-S3 services: each path segment encoded again on top of its wire encoding.
  const canonicalPath = request.path
    .split("/")
    .map((segment) => encode(segment))
    .join("/");
  const canonicalQuery = [...request.query.entries()]
    .map(([key, value]) => [encode(key), encode(value)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  const headerNames = signedHeaders.split(";");
  const canonicalHeaders = headerNames
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payloadHash = createHash("sha256").update(request.body).digest("hex");
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonicalRequest).digest("hex")].join(
    "\n",
  );
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), "aws4_request");
  return createHmac("sha256", signingKey).update(toSign).digest("hex") === signature;
}
