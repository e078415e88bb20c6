/**
 * floe's auth tables on PostgreSQL: the same store, signing secret and audit log statements that
 * run on SQLite, through the catalog's PostgreSQL dialect on a throwaway database.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openPostgresDialect } from "../../src/catalog/postgres-dialect.ts";
import type { SqlDialect } from "../../src/catalog/sql-dialect.ts";
import { openAuthDatabase } from "../../src/server/auth/auth-database.ts";
import { PrincipalStore } from "../../src/server/auth/principal-store.ts";
import { resolveSigningSecret } from "../../src/server/auth/signing-secret.ts";
import { SqlAuditSink, queryAuditLog } from "../../src/server/auth/sql-audit-sink.ts";
import { assertRejectsKind } from "../catalog/conformance.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-database.ts";

let database: TestDatabase;
let dialect: SqlDialect;

before(async () => {
  database = await createTestDatabase("auth");
  dialect = openAuthDatabase(database.url, "/unused");
});

after(async () => {
  await dialect?.close();
  await database?.drop();
});

test("principals, grants, the signing secret and the audit log work on PostgreSQL", async () => {
  const store = await PrincipalStore.open(dialect);
  const alice = await store.create("alice");
  await assertRejectsKind(store.create("alice"), "already-exists", "alice");
  assert.equal((await store.verifyCredentials(alice.clientId, alice.clientSecret))?.name, "alice");
  await store.grant("alice", "admin", []);
  await store.grant("alice", "read", ["web", "events"]);
  assert.deepEqual(
    (await store.listGrants()).map((g) => [g.principal, g.privilege, g.object]),
    [
      ["alice", "admin", "catalog"],
      ["alice", "read", "web.events"],
    ],
  );
  await store.revoke("alice", "admin", []);
  assert.deepEqual(await store.grantsOf("alice"), [{ privilege: "read", path: ["web", "events"] }]);

  const other = openPostgresDialect({ connectionString: database.url });
  const [first, second] = await Promise.all([
    resolveSigningSecret(dialect, undefined),
    resolveSigningSecret(other, undefined),
  ]);
  assert.deepEqual(first, second, "concurrent first starts agree on one secret");
  await other.close();

  const sink = await SqlAuditSink.open(dialect);
  await sink.record({
    time: "2024-05-01T10:00:00.000Z",
    requestId: "r1",
    principal: "alice",
    operation: "dropTable",
    privilege: "write",
    objects: [{ namespace: ["web"], table: "events" }],
    outcome: "denied",
    status: 403,
    error: { kind: "forbidden", message: "principal alice lacks write on table web.events" },
  });
  const rows = await queryAuditLog(dialect, { principal: "alice", since: "2024-05-01T00:00:00.000Z" });
  assert.deepEqual(
    rows.map((r) => [r.operation, r.objects, r.outcome, r.status, r.requestId]),
    [["dropTable", "web.events", "denied", 403, "r1"]],
  );
  await store.delete("alice");
  assert.deepEqual(await store.list(), []);
});
