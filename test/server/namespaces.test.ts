import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type TestServer, assertError, startTestServer } from "./fixture.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer({ prefix: "warehouse1" });
});
after(() => server.close());

const NS = "/v1/{prefix}/namespaces";
const NS_ONE = "/v1/{prefix}/namespaces/{namespace}";

test("GET /v1/config lists defaults, overrides with the prefix, and the supported endpoints", async () => {
  const result = await server.checked("GET", "/v1/config", "/v1/config");
  assert.equal(result.status, 200);
  assert.deepEqual(result.json.defaults, {});
  assert.equal(result.json.overrides.prefix as unknown, "warehouse1");
  const endpoints = result.json.endpoints as unknown as string[];
  for (const endpoint of [
    "GET /v1/{prefix}/namespaces",
    "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "POST /v1/{prefix}/transactions/commit",
    "POST /v1/{prefix}/tables/rename",
  ])
    assert.ok(endpoints.includes(endpoint), endpoint);
});

test("create, load, HEAD, list and drop a namespace, prefixed and unprefixed", async () => {
  const created = await server.checked("POST", NS, "/v1/warehouse1/namespaces", {
    namespace: ["sales"],
    properties: { owner: "ana" },
  });
  assert.equal(created.status, 200);
  assert.deepEqual(created.json, { namespace: ["sales"], properties: { owner: "ana" } } as unknown);

  const loaded = await server.checked("GET", NS_ONE, "/v1/namespaces/sales");
  assert.deepEqual(loaded.json, { namespace: ["sales"], properties: { owner: "ana" } } as unknown);

  const head = await server.checked("HEAD", NS_ONE, "/v1/warehouse1/namespaces/sales");
  assert.equal(head.status, 204);
  assert.equal(head.text, "");

  const missingHead = await server.call("HEAD", "/v1/namespaces/nope");
  assert.equal(missingHead.status, 404);

  const listed = await server.checked("GET", NS, "/v1/warehouse1/namespaces");
  assert.deepEqual(listed.json.namespaces, [["sales"]] as unknown);
  assert.equal(listed.json["next-page-token"], null);

  assert.equal((await server.checked("DELETE", NS_ONE, "/v1/namespaces/sales")).status, 204);
  assertError(await server.checked("GET", NS_ONE, "/v1/namespaces/sales"), 404, "NoSuchNamespaceException");
  assertError(await server.checked("DELETE", NS_ONE, "/v1/namespaces/sales"), 404, "NoSuchNamespaceException");
});

test("multi-level namespaces use the unit separator %1F in paths and in parent", async () => {
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["acct"] });
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["acct", "tax"] });
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["acct", "tax", "paid"] });
  const top = await server.checked("GET", NS, "/v1/namespaces");
  assert.ok((top.json.namespaces as unknown as string[][]).some((ns) => ns.join(".") === "acct"));
  const children = await server.checked("GET", NS, "/v1/namespaces?parent=acct%1Ftax");
  assert.deepEqual(children.json.namespaces, [["acct", "tax", "paid"]] as unknown);
  const loaded = await server.checked("GET", NS_ONE, "/v1/namespaces/acct%1Ftax%1Fpaid");
  assert.deepEqual(loaded.json.namespace, ["acct", "tax", "paid"] as unknown);
  assertError(await server.checked("GET", NS, "/v1/namespaces?parent=nothing%1Fhere"), 404, "NoSuchNamespaceException");
});

test("list namespaces pages with pageToken/pageSize and returns everything without a token", async () => {
  for (const name of ["p1", "p2", "p3", "p4", "p5"])
    await server.checked("POST", NS, "/v1/namespaces", { namespace: ["pages", name] });
  const all = await server.checked("GET", NS, "/v1/namespaces?parent=pages&pageSize=2");
  assert.equal((all.json.namespaces as unknown as unknown[]).length, 5, "no pageToken: all results");
  const seen: string[] = [];
  let token = "";
  for (let pages = 0; pages < 10; pages++) {
    const page = await server.checked(
      "GET",
      NS,
      `/v1/namespaces?parent=pages&pageSize=2&pageToken=${encodeURIComponent(token)}`,
    );
    const names = page.json.namespaces as unknown as string[][];
    assert.ok(names.length <= 2);
    seen.push(...names.map((ns) => ns[1]));
    const next = page.json["next-page-token"] as unknown;
    if (next === null) break;
    token = next as string;
  }
  assert.deepEqual(seen, ["p1", "p2", "p3", "p4", "p5"]);
  assertError(await server.checked("GET", NS, "/v1/namespaces?pageSize=0"), 400, "BadRequestException");
  assertError(await server.checked("GET", NS, "/v1/namespaces?pageToken=%25%25"), 400, "BadRequestException");
});

test("create namespace errors: duplicate 409, malformed 400", async () => {
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["dup"] });
  assertError(
    await server.checked("POST", NS, "/v1/namespaces", { namespace: ["dup"] }),
    409,
    "AlreadyExistsException",
  );
  assertError(await server.rejected("POST", NS, "/v1/namespaces", { namespace: "dup" }), 400, "BadRequestException");
  const dotted = await server.checked("POST", NS, "/v1/namespaces", { namespace: ["a.b"] });
  assertError(dotted, 400, "BadRequestException");
  assertError(
    await server.rejected("POST", NS, "/v1/namespaces", { namespace: ["x"], properties: { a: 1 } }),
    400,
    "BadRequestException",
  );
});

test("update namespace properties reports updated, removed and missing; overlap is 422", async () => {
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["props"], properties: { a: "1", b: "2" } });
  const path = "/v1/{prefix}/namespaces/{namespace}/properties";
  const result = await server.checked("POST", path, "/v1/namespaces/props/properties", {
    removals: ["a", "zz"],
    updates: { c: "3", b: "20" },
  });
  assert.equal(result.status, 200);
  assert.deepEqual([...(result.json.updated as unknown as string[])].sort(), ["b", "c"]);
  assert.deepEqual(result.json.removed, ["a"] as unknown);
  assert.deepEqual(result.json.missing, ["zz"] as unknown);
  const loaded = await server.checked("GET", NS_ONE, "/v1/namespaces/props");
  assert.deepEqual(loaded.json.properties, { b: "20", c: "3" } as unknown);
  assertError(
    await server.checked("POST", path, "/v1/namespaces/props/properties", { removals: ["b"], updates: { b: "x" } }),
    422,
    "UnprocessableEntityException",
  );
  assertError(
    await server.checked("POST", path, "/v1/namespaces/missing/properties", { updates: { b: "x" } }),
    404,
    "NoSuchNamespaceException",
  );
});

test("dropping a namespace that holds a table or a namespace is 409 NamespaceNotEmptyException", async () => {
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["full"] });
  await server.checked("POST", NS, "/v1/namespaces", { namespace: ["full", "child"] });
  assertError(await server.checked("DELETE", NS_ONE, "/v1/namespaces/full"), 409, "NamespaceNotEmptyException");
  await server.checked("DELETE", NS_ONE, "/v1/namespaces/full%1Fchild");
  await server.call("POST", "/v1/namespaces/full/tables", {
    name: "t",
    schema: { type: "struct", fields: [{ id: 1, name: "x", type: "int", required: false }] },
  });
  assertError(await server.checked("DELETE", NS_ONE, "/v1/namespaces/full"), 409, "NamespaceNotEmptyException");
});

test("a wrong prefix is an unknown route", async () => {
  assertError(await server.call("GET", "/v1/other/namespaces"), 404, "NotFoundException");
});
