/**
 * The pieces of server auth on their own: privilege ladder and grant coverage, loopback hosts,
 * secret hashing, the principal store on SQLite, and the `floe principal` / `floe audit` commands
 * run in-process against a temporary catalog database.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Command } from "commander";
import { openSqliteDialect } from "../../src/catalog/sqlite-dialect.ts";
import { registerAuditCommand } from "../../src/cli/commands/audit.ts";
import { parseSince } from "../../src/cli/commands/audit.ts";
import { registerPrincipalCommands } from "../../src/cli/commands/principal.ts";
import { addServeAuthOptions, serveAuth } from "../../src/cli/commands/serve-auth.ts";
import { registerServeCommand } from "../../src/cli/commands/serve.ts";
import { parseJson } from "../../src/core/json.ts";
import { openAuthDatabase } from "../../src/server/auth/auth-database.ts";
import { isLoopbackHost } from "../../src/server/auth/loopback.ts";
import { PrincipalStore } from "../../src/server/auth/principal-store.ts";
import { grantsAllow, implies, parseObjectPath, parsePrivilege } from "../../src/server/auth/privileges.ts";
import { hashSecret, verifySecret } from "../../src/server/auth/secrets.ts";
import { resolveSigningSecret } from "../../src/server/auth/signing-secret.ts";
import { SqlAuditSink, queryAuditLog, redactCredentials } from "../../src/server/auth/sql-audit-sink.ts";
import { assertRejectsKind } from "../catalog/conformance.ts";

describe("privileges", () => {
  test("read ⊂ write ⊂ admin", () => {
    assert.equal(implies("admin", "read"), true);
    assert.equal(implies("admin", "write"), true);
    assert.equal(implies("write", "read"), true);
    assert.equal(implies("read", "write"), false);
    assert.equal(implies("write", "admin"), false);
    assert.throws(() => parsePrivilege("owner"), /read, write, admin/);
  });

  test("a grant covers its object and everything below it, nothing beside or above", () => {
    const grants = [{ privilege: "write" as const, path: ["web"] }];
    assert.equal(grantsAllow(grants, "write", { namespace: ["web"] }), true);
    assert.equal(grantsAllow(grants, "read", { namespace: ["web", "clicks"], table: "events" }), true);
    assert.equal(grantsAllow(grants, "admin", { namespace: ["web"] }), false);
    assert.equal(grantsAllow(grants, "read", { namespace: ["webshop"] }), false, "a prefix of a name is not a parent");
    assert.equal(grantsAllow(grants, "read", {}), false, "a namespace grant does not cover the catalog");
    const table = [{ privilege: "read" as const, path: ["web", "events"] }];
    assert.equal(grantsAllow(table, "read", { namespace: ["web"], table: "events" }), true);
    assert.equal(grantsAllow(table, "read", { namespace: ["web"], table: "sessions" }), false);
    assert.equal(grantsAllow(table, "read", { namespace: ["web"] }), false);
    const catalog = [{ privilege: "read" as const, path: [] }];
    assert.equal(grantsAllow(catalog, "read", { namespace: ["any", "where"], table: "t" }), true);
    assert.deepEqual(parseObjectPath("catalog"), []);
    assert.deepEqual(parseObjectPath("a.b.t"), ["a", "b", "t"]);
    assert.throws(() => parseObjectPath("a..b"), /grant object/);
  });

  test("loopback hosts", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
      assert.equal(isLoopbackHost(host), true, host);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com", "127.0.0.256", "128.0.0.1"])
      assert.equal(isLoopbackHost(host), false, host);
  });

  test("secrets hash with a fresh salt and verify only the right secret", async () => {
    const first = await hashSecret("s3cret");
    const second = await hashSecret("s3cret");
    assert.notEqual(first, second);
    assert.ok(!first.includes("s3cret"));
    assert.equal(await verifySecret("s3cret", first), true);
    assert.equal(await verifySecret("s3cret!", first), false);
    assert.equal(await verifySecret("s3cret", "plain"), false);
  });

  test("credentials are redacted from free text", () => {
    assert.equal(redactCredentials("bad Bearer abc.def for x"), "bad Bearer [redacted] for x");
    assert.equal(redactCredentials("token eyJhbGciOi.eyJzdWIi.c2ln used"), "token [redacted] used");
  });
});

describe("principal store", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "floe-principals-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("create, verify, grant, revoke and delete", async () => {
    const dialect = openSqliteDialect({ path: path.join(dir, "store.db") });
    const store = await PrincipalStore.open(dialect);
    const alice = await store.create("alice");
    await assertRejectsKind(store.create("alice"), "already-exists", "alice");
    await assertRejectsKind(store.create("bad name"), "bad-input", "bad name");
    assert.equal((await store.verifyCredentials(alice.clientId, alice.clientSecret))?.name, "alice");
    assert.equal(await store.verifyCredentials(alice.clientId, `${alice.clientSecret}x`), undefined);
    assert.equal(await store.verifyCredentials("floe-nobody", alice.clientSecret), undefined);

    await store.grant("alice", "read", []);
    await store.grant("alice", "write", ["web"]);
    await store.grant("alice", "write", ["web"]); // idempotent
    assert.deepEqual(
      (await store.listGrants("alice")).map((g) => [g.privilege, g.object]),
      [
        ["read", "catalog"],
        ["write", "web"],
      ],
    );
    await assertRejectsKind(store.grant("bob", "read", []), "not-found", "bob");
    await assertRejectsKind(store.revoke("alice", "admin", ["web"]), "not-found", "admin", "web");
    await store.revoke("alice", "write", ["web"]);
    assert.deepEqual(await store.grantsOf("alice"), [{ privilege: "read", path: [] }]);
    await store.delete("alice");
    assert.deepEqual(await store.listGrants(), [], "grants go with their principal");
    await assertRejectsKind(store.delete("alice"), "not-found", "alice");
    await dialect.close();
  });

  test("the signing secret is generated once and shared; a configured one must be long enough", async () => {
    const file = path.join(dir, "secret.db");
    const [a, b] = [openSqliteDialect({ path: file }), openSqliteDialect({ path: file })];
    const first = await resolveSigningSecret(a, undefined);
    const second = await resolveSigningSecret(b, undefined);
    assert.equal(first.length, 32);
    assert.deepEqual(first, second);
    assert.deepEqual(await resolveSigningSecret(a, "x".repeat(32)), new TextEncoder().encode("x".repeat(32)));
    await assertRejectsKind(resolveSigningSecret(a, "short"), "bad-input", "FLOE_AUTH_SECRET");
    await Promise.all([a.close(), b.close()]);
  });
});

describe("floe principal and floe audit", () => {
  let warehouse: string;
  before(async () => {
    warehouse = await mkdtemp(path.join(tmpdir(), "floe-principal-cli-"));
  });
  after(async () => {
    await rm(warehouse, { recursive: true, force: true });
  });

  /** Runs the commands in-process with --json, returning what they printed. */
  async function floe(...args: string[]): Promise<unknown> {
    const program = new Command("floe")
      .option("--warehouse <location>")
      .option("--catalog <uri>")
      .option("--json")
      .exitOverride();
    registerPrincipalCommands(program);
    registerAuditCommand(program);
    addServeAuthOptions(registerServeCommand(program, serveAuth));
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // Output writes strings; the test runner's own protocol (binary chunks) passes through.
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk !== "string") return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      printed.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      await program.parseAsync(["--warehouse", warehouse, "--json", ...args], { from: "user" });
    } finally {
      process.stdout.write = write;
    }
    return parseJson(printed.join(""));
  }

  test("create prints the secret once; list, grant, grants, revoke, delete; audit filters", async () => {
    const created = (await floe("principal", "create", "etl")) as { clientId: string; clientSecret: string };
    assert.match(created.clientId, /^floe-/);
    assert.ok(created.clientSecret.length >= 40);
    const listed = (await floe("principal", "list")) as Record<string, string>[];
    assert.deepEqual(
      listed.map((p) => [p.name, p.client_id]),
      [["etl", created.clientId]],
    );
    assert.ok(!JSON.stringify(listed).includes(created.clientSecret), "list never shows the secret");
    await floe("principal", "grant", "etl", "write", "web.clicks");
    await floe("principal", "grant", "etl", "read", "catalog");
    const grants = (await floe("principal", "grants", "etl")) as Record<string, string>[];
    assert.deepEqual(
      grants.map((g) => [g.privilege, g.object]),
      [
        ["read", "catalog"],
        ["write", "web.clicks"],
      ],
    );
    await floe("principal", "revoke", "etl", "write", "web.clicks");
    assert.equal(((await floe("principal", "grants")) as unknown[]).length, 1);
    await assertRejectsKind(floe("principal", "grant", "etl", "owner", "web"), "bad-input", "owner");

    // Audit rows as the server writes them, read back through `floe audit`.
    const dialect = openAuthDatabase("sqlite:", warehouse);
    const sink = await SqlAuditSink.open(dialect);
    const event = (time: string, principal: string | null, operation: string, outcome: "allowed" | "denied") => ({
      time,
      requestId: `req-${time}`,
      principal,
      operation,
      objects: [{ namespace: ["web"], table: "events" }],
      outcome,
      status: outcome === "allowed" ? 200 : 403,
      privilege: "write" as const,
      ...(outcome === "denied" ? { error: { kind: "forbidden" as const, message: "no" } } : {}),
    });
    await sink.record(event("2024-05-01T10:00:00.000Z", "etl", "commitTable", "allowed"));
    await sink.record(event("2024-05-02T10:00:00.000Z", "bob", "dropTable", "denied"));
    await sink.record(event("2024-05-03T10:00:00.000Z", "etl", "createTable", "allowed"));
    await sink.record({ ...event("2024-05-03T11:00:00.000Z", "etl", "loadTable", "allowed"), privilege: "read" });
    assert.equal((await queryAuditLog(dialect)).length, 3, "a successful read is not audited");
    await dialect.close();

    const all = (await floe("audit")) as Record<string, unknown>[];
    assert.deepEqual(
      all.map((r) => r.operation),
      ["commitTable", "dropTable", "createTable"],
    );
    assert.deepEqual(all[1], {
      time: "2024-05-02T10:00:00.000Z",
      principal: "bob",
      operation: "dropTable",
      privilege: "write",
      objects: "web.events",
      outcome: "denied",
      status: 403,
      request_id: "req-2024-05-02T10:00:00.000Z",
      error: "forbidden: no",
    });
    const etl = (await floe("audit", "--principal", "etl", "--since", "2024-05-02")) as Record<string, unknown>[];
    assert.deepEqual(
      etl.map((r) => r.operation),
      ["createTable"],
    );
    const latest = (await floe("audit", "--limit", "1")) as Record<string, unknown>[];
    assert.deepEqual(
      latest.map((r) => r.operation),
      ["createTable"],
    );
    await assertRejectsKind(floe("audit", "--since", "yesterday-ish"), "bad-input", "--since");
    assert.equal(parseSince("2h", Date.parse("2024-05-01T12:00:00Z")), "2024-05-01T10:00:00.000Z");

    await assertRejectsKind(floe("serve", "--host", "0.0.0.0", "--port", "0", "--no-auth"), "bad-input", "loopback");
    await assertRejectsKind(floe("serve", "--port", "0", "--token-ttl", "0"), "bad-input", "--token-ttl");

    await floe("principal", "delete", "etl");
    assert.deepEqual(await floe("principal", "list"), []);
  });
});
