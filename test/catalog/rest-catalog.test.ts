/**
 * The shared Catalog conformance suite through the whole REST path: RestCatalog (opened by
 * openCatalog from an http:// URI) → floe's REST server → SqlCatalog on SQLite, with the server
 * keeping Idempotency-Keys as `floe serve` does, so every mutating call travels with a key. Then
 * what keys are for: a commit whose answer is lost on the way back is resent and applied once.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { RestCatalog } from "../../src/catalog/rest/rest-catalog.ts";
import type { SqlDialect } from "../../src/catalog/sql-dialect.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { openAuthDatabase } from "../../src/server/auth/auth-database.ts";
import { SqlIdempotencyStore } from "../../src/server/idempotency-store.ts";
import { startServer } from "../../src/server/serve.ts";
import { EVENTS_SCHEMA, appendUpdates, nextSnapshot, runCatalogConformance } from "./conformance.ts";

/** A server over a SQLite catalog in a fresh warehouse, keeping idempotency keys in the same database. */
async function startKeyedServer() {
  const warehouse = await mkdtemp(path.join(tmpdir(), "floe-rest-catalog-"));
  const backing = await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() });
  const dialect: SqlDialect = openAuthDatabase("sqlite:", warehouse);
  const server = await startServer({
    catalog: backing,
    host: "127.0.0.1",
    port: 0,
    idempotency: { store: await SqlIdempotencyStore.open(dialect) },
  });
  return {
    warehouse,
    server,
    close: async () => {
      await server.close();
      await dialect.close();
      await backing.close();
      await rm(warehouse, { recursive: true, force: true });
    },
  };
}

runCatalogConformance("rest client → floe server → sqlite", async () => {
  const { warehouse, server, close } = await startKeyedServer();
  const catalog = await openCatalog(server.url, { warehouse, io: new LocalFileIO() });
  return { catalog, warehouse, cleanup: close };
});

describe("REST client with Idempotency-Keys against floe's server", () => {
  let keyed: Awaited<ReturnType<typeof startKeyedServer>>;
  /** Requests as the client sent them: method, path and Idempotency-Key. */
  const sent: { method: string; path: string; key: string | null }[] = [];
  /** Paths whose next answer is dropped after the server has handled the request. */
  const loseNextAnswer = new Set<string>();
  let catalog: Catalog;

  before(async () => {
    keyed = await startKeyedServer();
    // A fetch whose answer can get lost after the server did the work (a connection reset, a proxy timeout).
    const lossyFetch: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init?.headers);
      sent.push({ method: init?.method ?? "GET", path: url.pathname, key: headers.get("Idempotency-Key") });
      const response = await fetch(input, init);
      if (loseNextAnswer.delete(`${init?.method} ${url.pathname}`)) {
        await response.body?.cancel();
        throw new TypeError("fetch failed: connection reset by peer");
      }
      return response;
    };
    catalog = await RestCatalog.open({ uri: keyed.server.url, io: new LocalFileIO(), fetch: lossyFetch });
  });
  after(async () => {
    await catalog?.close();
    await keyed?.close();
  });

  test("every mutating call carries a fresh UUIDv7 key; reads carry none", async () => {
    sent.length = 0;
    await catalog.createNamespace(["keys"]);
    await catalog.createTable({ namespace: ["keys"], name: "t" }, { schema: EVENTS_SCHEMA });
    await catalog.loadTable({ namespace: ["keys"], name: "t" });
    await catalog.dropTable({ namespace: ["keys"], name: "t" });
    const keys = sent.map((request) => request.key);
    assert.equal(keys[2], null, "GET has no key");
    const mutating = [keys[0], keys[1], keys[3]];
    for (const key of mutating)
      assert.match(String(key), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(mutating).size, 3, "a new key per operation");
  });

  test("a commit whose answer was lost is resent with the same key and applied once", async () => {
    const identifier = { namespace: ["keys"], name: "events" };
    const created = await catalog.createTable(identifier, { schema: EVENTS_SCHEMA });
    const snapshot = nextSnapshot(created);
    const tablePath = "/v1/namespaces/keys/tables/events";
    loseNextAnswer.add(`POST ${tablePath}`);
    sent.length = 0;
    // Without the key the resend would append the snapshot again, or fail its requirement.
    const committed = await catalog.commitTable(
      identifier,
      [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
      appendUpdates(snapshot),
    );
    assert.equal(sent.length, 2, "sent, answer lost, sent again");
    assert.equal(sent[0].key, sent[1].key, "the resend reuses the key");
    assert.equal(committed.metadata["current-snapshot-id"], snapshot["snapshot-id"]);
    const loaded = await catalog.loadTable(identifier);
    assert.equal(loaded.metadataLocation, committed.metadataLocation);
    assert.equal(loaded.metadata.snapshots.length, 1, "one snapshot");
    assert.equal(loaded.metadata["metadata-log"].length, 1, "one commit after the create");
  });

  test("a create namespace whose answer was lost succeeds on the resend instead of failing as existing", async () => {
    loseNextAnswer.add("POST /v1/namespaces");
    sent.length = 0;
    await catalog.createNamespace(["lost"], { owner: "me" });
    assert.equal(sent.length, 2);
    assert.equal(sent[0].key, sent[1].key);
    assert.deepEqual(await catalog.loadNamespaceProperties(["lost"]), { owner: "me" });
  });

  test("a multi-table commit whose answer was lost is applied once", async () => {
    await catalog.createTable({ namespace: ["keys"], name: "left" }, { schema: EVENTS_SCHEMA });
    const right = await catalog.createTable({ namespace: ["keys"], name: "right" }, { schema: EVENTS_SCHEMA });
    const snapshot = nextSnapshot(right);
    loseNextAnswer.add("POST /v1/transactions/commit");
    sent.length = 0;
    assert.ok(catalog.commitTransaction);
    const [left, rightAfter] = await catalog.commitTransaction([
      {
        identifier: { namespace: ["keys"], name: "left" },
        requirements: [],
        updates: [{ action: "set-properties", updates: { tx: "once" } }],
      },
      { identifier: { namespace: ["keys"], name: "right" }, requirements: [], updates: appendUpdates(snapshot) },
    ]);
    const posts = sent.filter((request) => request.method === "POST");
    assert.equal(posts.length, 2);
    assert.equal(posts[0].key, posts[1].key);
    assert.equal(left.metadata.properties.tx, "once");
    assert.equal(left.metadata["metadata-log"].length, 1, "left committed once");
    assert.equal(rightAfter.metadata.snapshots.length, 1, "right committed once");
  });
});
