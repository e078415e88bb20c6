import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { openCatalog, sqlitePath } from "../../src/catalog/open-catalog.ts";
import { assertRejectsKind } from "./conformance.ts";

test("sqlite: URIs name a file, or <warehouse>/catalog.db when bare", () => {
  assert.equal(sqlitePath("sqlite:", "/data/wh"), path.join("/data/wh", "catalog.db"));
  assert.equal(sqlitePath("sqlite:", "file:///data/wh"), path.join("/data/wh", "catalog.db"));
  assert.equal(sqlitePath("sqlite:/var/floe/c.db", "/data/wh"), "/var/floe/c.db");
  assert.equal(sqlitePath("sqlite:///var/floe/c.db", "/data/wh"), "/var/floe/c.db");
  assert.equal(sqlitePath("sqlite:rel/c.db", "/data/wh"), path.resolve("rel/c.db"));
  assert.equal(sqlitePath("sqlite::memory:", "/data/wh"), ":memory:");
  assert.throws(() => sqlitePath("sqlite:", "s3://bucket/wh"), /local warehouse/);
});

test("memory: opens an in-memory catalog; unknown schemes are refused, REST URIs go to the REST client", async () => {
  const catalog = await openCatalog("memory:", { warehouse: "memory://wh", name: "scratch" });
  assert.ok(catalog instanceof MemoryCatalog);
  assert.equal(catalog.name, "scratch");
  await catalog.createNamespace(["web"]);
  assert.deepEqual(await catalog.listNamespaces(), [["web"]]);
  await catalog.close();
  // Nothing listens on port 1 of loopback: the REST client's config request fails as an io error.
  await assertRejectsKind(openCatalog("http://127.0.0.1:1/api", { warehouse: "memory://wh" }), "io");
  await assertRejectsKind(openCatalog("mysql://x/y", { warehouse: "memory://wh" }), "bad-input", "mysql://x/y");
});

test("an in-memory SQLite catalog works without touching disk", async () => {
  const catalog = await openCatalog("sqlite::memory:", { warehouse: "memory://wh" });
  assert.equal(catalog.name, "floe");
  await catalog.createNamespace(["web"], { owner: "me" });
  assert.deepEqual(await catalog.loadNamespaceProperties(["web"]), { owner: "me" });
  await catalog.close();
});
