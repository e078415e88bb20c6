import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { EVENTS_SCHEMA, type TestServer, assertError, startTestServer } from "./fixture.ts";

const TX = "/v1/{prefix}/transactions/commit";

const setProperty = (table: string, key: string, requirements: unknown[] = []) => ({
  identifier: { namespace: ["tx"], name: table },
  requirements,
  updates: [{ action: "set-properties", updates: { [key]: "yes" } }],
});

for (const kind of ["sqlite", "memory"] as const) {
  describe(`POST /v1/transactions/commit (${kind} catalog)`, () => {
    let server: TestServer;
    before(async () => {
      server =
        kind === "sqlite"
          ? await startTestServer()
          : await startTestServer({ catalog: new MemoryCatalog({ warehouse: "memory://wh" }) });
      await server.call("POST", "/v1/namespaces", { namespace: ["tx"] });
      for (const name of ["a", "b"])
        await server.call("POST", "/v1/namespaces/tx/tables", { name, schema: EVENTS_SCHEMA });
    });
    after(() => server.close());

    const load = async (name: string) => (await server.call("GET", `/v1/namespaces/tx/tables/${name}`)).json;

    test("commits every table", async () => {
      const result = await server.checked("POST", TX, "/v1/transactions/commit", {
        "table-changes": [setProperty("a", "both"), setProperty("b", "both")],
      });
      assert.equal(result.status, 204);
      assert.equal((await load("a")).metadata.properties.both as unknown, "yes");
      assert.equal((await load("b")).metadata.properties.both as unknown, "yes");
    });

    test("one failing requirement changes nothing and writes no metadata file", async () => {
      const before = { a: await load("a"), b: await load("b") };
      const files = kind === "sqlite" ? await readdir(path.join(server.warehouse, "tx", "a", "metadata")) : [];
      const result = await server.checked("POST", TX, "/v1/transactions/commit", {
        "table-changes": [
          setProperty("a", "partial"),
          setProperty("b", "partial", [{ type: "assert-current-schema-id", "current-schema-id": 7 }]),
        ],
      });
      assertError(result, 409, "CommitFailedException");
      assert.match(result.json.error.message as unknown as string, /tx\.b.*assert-current-schema-id/);
      assert.equal((await load("a"))["metadata-location"], before.a["metadata-location"]);
      assert.equal((await load("b"))["metadata-location"], before.b["metadata-location"]);
      assert.equal((await load("a")).metadata.properties.partial, undefined);
      if (kind === "sqlite") assert.deepEqual(await readdir(path.join(server.warehouse, "tx", "a", "metadata")), files);
    });

    test("a missing table is 404 and changes nothing", async () => {
      const before = await load("a");
      const result = await server.checked("POST", TX, "/v1/transactions/commit", {
        "table-changes": [setProperty("a", "ghostly"), setProperty("ghost", "ghostly")],
      });
      assertError(result, 404, "NoSuchTableException");
      assert.equal((await load("a"))["metadata-location"], before["metadata-location"]);
    });

    test("creates a table (assert-create) together with updating another", async () => {
      const staged = await server.call("POST", "/v1/namespaces/tx/tables", {
        name: "c",
        schema: EVENTS_SCHEMA,
        "stage-create": true,
      });
      const metadata = staged.json.metadata as unknown as { schemas: unknown[]; location: string };
      const result = await server.checked("POST", TX, "/v1/transactions/commit", {
        "table-changes": [
          {
            identifier: { namespace: ["tx"], name: "c" },
            requirements: [{ type: "assert-create" }],
            updates: [
              { action: "add-schema", schema: metadata.schemas[0] },
              { action: "set-current-schema", "schema-id": -1 },
              { action: "add-spec", spec: { "spec-id": 0, fields: [] } },
              { action: "set-default-spec", "spec-id": -1 },
              { action: "add-sort-order", "sort-order": { "order-id": 0, fields: [] } },
              { action: "set-default-sort-order", "sort-order-id": -1 },
              { action: "set-location", location: metadata.location },
            ],
          },
          setProperty("a", "withCreate"),
        ],
      });
      assert.equal(result.status, 204, result.text);
      assert.equal((await server.call("HEAD", "/v1/namespaces/tx/tables/c")).status, 204);
      assert.equal((await load("a")).metadata.properties.withCreate as unknown, "yes");
    });

    test("malformed transactions are 400", async () => {
      assertError(
        await server.checked("POST", TX, "/v1/transactions/commit", {
          "table-changes": [setProperty("a", "dup"), setProperty("a", "dup2")],
        }),
        400,
        "BadRequestException",
      );
      assertError(
        await server.checked("POST", TX, "/v1/transactions/commit", {
          "table-changes": [{ requirements: [], updates: [] }],
        }),
        400,
        "BadRequestException",
      );
      assertError(
        await server.rejected("POST", TX, "/v1/transactions/commit", { changes: [] }),
        400,
        "BadRequestException",
      );
    });
  });
}
