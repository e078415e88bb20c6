/**
 * Two `floe serve` OS processes over one PostgreSQL catalog, hammered by concurrent commits to the
 * same tables from both: every successful commit is in the history exactly once, every failed one
 * got a 409 and changed nothing. Phase 1 sends raw REST commits without retry; phase 2 appends
 * through the table layer (RestCatalog clients, retrying) where every append must land once.
 * PostgreSQL is required: without it the test fails with a message saying so.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { type JsonValue, parseJson, stringifyJson, toBigInt } from "../../src/core/json.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { Table } from "../../src/table/table.ts";
import { type ServeProcess, startServeProcess } from "../support/floe-serve-process.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-database.ts";
import { SCHEMA, dataFile, livePaths } from "../table/fixtures.ts";

const NAMESPACE = ["web"];
/** Phase 1 tables (their snapshots point at manifest lists that are never written). */
const RAW_TABLES = ["clicks_a", "clicks_b"];
/** Phase 2 table (real appends through the table layer). */
const APPEND_TABLE = "appends";
const RAW_CLIENTS = 6;
const RAW_COMMITS = 20;
const APPEND_WRITERS = 4;
const APPENDS = 5;
/** Snapshot ids beyond 2^53 check int64 exactness through HTTP, both servers and PostgreSQL. */
const SNAPSHOT_ID_BASE = 9_000_000_000_000_000_000n;
const MARKER_KEY = "floe-test-marker";

type JsonObject = { [key: string]: JsonValue };

let database: TestDatabase | undefined;
let warehouse: string;
let catalog: Catalog | undefined;
const servers: ServeProcess[] = [];

function obj(value: JsonValue | undefined, what: string): JsonObject {
  assert.ok(value !== null && typeof value === "object" && !Array.isArray(value), `${what} is not an object`);
  return value as JsonObject;
}

function list(value: JsonValue | undefined, what: string): JsonValue[] {
  assert.ok(Array.isArray(value), `${what} is not an array`);
  return value;
}

const tablePath = (name: string) => `/v1/namespaces/${NAMESPACE.join("%1F")}/tables/${name}`;

/** GET loadTable from a server: the raw body text and the parsed metadata. */
async function loadRaw(
  server: ServeProcess,
  name: string,
): Promise<{ text: string; location: string; metadata: JsonObject }> {
  const response = await fetch(`${server.url}${tablePath(name)}`);
  const text = await response.text();
  assert.equal(response.status, 200, `loadTable ${name} on ${server.url}: ${text}`);
  const body = obj(parseJson(text), "loadTable body");
  return { text, location: String(body["metadata-location"]), metadata: obj(body.metadata, "metadata") };
}

/** What a client last saw of a table: main's snapshot and the last sequence number. */
interface Base {
  main: bigint | null;
  lastSequenceNumber: bigint;
}

function baseOf(metadata: JsonObject): Base {
  const main = obj(metadata.refs ?? {}, "refs").main;
  return {
    main: main === undefined ? null : toBigInt(obj(main, "main ref")["snapshot-id"], "main snapshot-id"),
    lastSequenceNumber: toBigInt(metadata["last-sequence-number"], "last-sequence-number"),
  };
}

/** One raw commit request and how it ended. */
interface Attempt {
  table: string;
  marker: string;
  snapshotId: bigint;
  status: number;
  body: string;
}

function commitBody(name: string, base: Base, snapshotId: bigint, marker: string): JsonObject {
  const snapshot: JsonObject = {
    "snapshot-id": snapshotId,
    "sequence-number": base.lastSequenceNumber + 1n,
    "timestamp-ms": Date.now(),
    // Never read: nothing in this phase plans a scan.
    "manifest-list": path.join(warehouse, "never-written", "snap.avro"),
    summary: { operation: "append", [MARKER_KEY]: marker },
    "schema-id": 0,
  };
  if (base.main !== null) snapshot["parent-snapshot-id"] = base.main;
  return {
    identifier: { namespace: NAMESPACE, name },
    requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": base.main }],
    updates: [
      { action: "add-snapshot", snapshot },
      { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": snapshotId },
    ],
  };
}

/** A client committing RAW_COMMITS times, alternating tables and servers, never retrying. */
async function rawClient(client: number, attempts: Attempt[]): Promise<void> {
  const known = new Map<string, Base>();
  for (let i = 0; i < RAW_COMMITS; i++) {
    const name = RAW_TABLES[(client + i) % RAW_TABLES.length];
    const server = servers[(client + i) % servers.length];
    const base = known.get(name) ?? baseOf((await loadRaw(server, name)).metadata);
    const snapshotId = SNAPSHOT_ID_BASE + BigInt(client * 1000 + i);
    const marker = `m-${client}-${i}-${name}`;
    const response = await fetch(`${server.url}${tablePath(name)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: stringifyJson(commitBody(name, base, snapshotId, marker)),
    });
    const body = await response.text();
    attempts.push({ table: name, marker, snapshotId, status: response.status, body });
    if (response.status === 200) known.set(name, baseOf(obj(obj(parseJson(body), "commit body").metadata, "metadata")));
    // After a failure, look again (at the other server) before the next attempt on this table.
    else known.set(name, baseOf((await loadRaw(servers[(client + i + 1) % servers.length], name)).metadata));
  }
}

before(async () => {
  database = await createTestDatabase("two_servers");
  warehouse = await mkdtemp(path.join(tmpdir(), "floe-two-servers-"));
  catalog = await openCatalog(database.url, { warehouse, io: new LocalFileIO() });
  await catalog.createNamespace(NAMESPACE);
  const properties = {
    // Every metadata file of the run stays in the metadata log, so the whole log can be checked.
    "write.metadata.previous-versions-max": "10000",
    "commit.retry.num-retries": "100",
    "commit.retry.min-wait-ms": "5",
    "commit.retry.max-wait-ms": "100",
  };
  for (const name of [...RAW_TABLES, APPEND_TABLE])
    await catalog.createTable({ namespace: NAMESPACE, name }, { schema: SCHEMA, properties });
  servers.push(...(await Promise.all([0, 1].map(() => startServeProcess(database!.url, warehouse)))));
});

after(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await catalog?.close();
  await database?.drop();
  if (warehouse) await rm(warehouse, { recursive: true, force: true });
});

test("raw concurrent commits through two servers: each 200 lands once, each 409 changes nothing", async () => {
  const attempts: Attempt[] = [];
  await Promise.all(Array.from({ length: RAW_CLIENTS }, (_, client) => rawClient(client, attempts)));
  assert.equal(attempts.length, RAW_CLIENTS * RAW_COMMITS);

  for (const attempt of attempts) {
    assert.ok(
      attempt.status === 200 || attempt.status === 409,
      `commit ${attempt.marker} answered ${attempt.status}: ${attempt.body}`,
    );
    if (attempt.status !== 409) continue;
    const error = obj(obj(parseJson(attempt.body), "409 body").error, "409 error");
    assert.equal(error.type, "CommitFailedException", attempt.body);
    assert.equal(error.code, 409, attempt.body);
    assert.equal(typeof error.message, "string", attempt.body);
  }
  const failed = attempts.filter((a) => a.status === 409);
  assert.ok(failed.length > 0, "concurrent clients on shared tables should have conflicted at least once");

  for (const name of RAW_TABLES) {
    const mine = attempts.filter((a) => a.table === name);
    const committed = new Map(mine.filter((a) => a.status === 200).map((a) => [a.snapshotId, a.marker]));
    const rejected = mine.filter((a) => a.status === 409);
    assert.ok(committed.size > 0, `no commit to ${name} succeeded`);

    const [viaFirst, viaSecond] = await Promise.all(servers.map((server) => loadRaw(server, name)));
    assert.equal(viaFirst.location, viaSecond.location, "both servers see the same current metadata");
    assert.equal((await catalog!.loadTable({ namespace: NAMESPACE, name })).metadataLocation, viaFirst.location);
    const { metadata, text } = viaFirst;

    // The main history, newest first, holds exactly the successful commits, each once.
    const snapshots = new Map(
      list(metadata.snapshots, "snapshots").map((s) => {
        const snapshot = obj(s, "snapshot");
        return [toBigInt(snapshot["snapshot-id"], "snapshot-id"), snapshot] as const;
      }),
    );
    assert.equal(snapshots.size, committed.size, `${name}: snapshots vs successful commits`);
    const chain: bigint[] = [];
    for (let id: bigint | null = baseOf(metadata).main; id !== null; ) {
      const snapshot = snapshots.get(id);
      assert.ok(snapshot, `${name}: snapshot ${id} of the main history is missing`);
      assert.ok(!chain.includes(id), `${name}: snapshot ${id} appears twice in the history`);
      chain.push(id);
      const parent = snapshot["parent-snapshot-id"];
      id = parent === undefined || parent === null ? null : toBigInt(parent, "parent-snapshot-id");
    }
    assert.equal(toBigInt(metadata["current-snapshot-id"], "current-snapshot-id"), chain[0]);
    assert.deepEqual(new Set(chain), new Set(committed.keys()), `${name}: history vs successful commits`);
    const oldestFirst = [...chain].reverse();
    oldestFirst.forEach((id, index) => {
      const snapshot = snapshots.get(id)!;
      assert.equal(obj(snapshot.summary, "summary")[MARKER_KEY], committed.get(id), `${name}: marker of ${id}`);
      assert.equal(
        toBigInt(snapshot["sequence-number"], "sequence-number"),
        BigInt(index + 1),
        `${name}: seq of ${id}`,
      );
      assert.equal(text.split(committed.get(id)!).length - 1, 1, `${name}: marker ${committed.get(id)} once`);
    });
    assert.equal(toBigInt(metadata["last-sequence-number"], "last-sequence-number"), BigInt(chain.length));
    assert.deepEqual(Object.keys(obj(metadata.refs, "refs")), ["main"]);

    // A rejected commit left no trace: no snapshot, ref, log entry or summary mentions it.
    for (const attempt of rejected) {
      assert.ok(!text.includes(attempt.marker), `${name}: rejected ${attempt.marker} is in the metadata`);
      assert.ok(
        !text.includes(String(attempt.snapshotId)),
        `${name}: rejected snapshot ${attempt.snapshotId} is in the metadata`,
      );
    }

    // The snapshot log lists the history oldest first; the metadata log has one entry per commit,
    // and its k-th file is the table after k commits.
    const snapshotLog = list(metadata["snapshot-log"], "snapshot-log").map((e) => obj(e, "snapshot-log entry"));
    assert.deepEqual(
      snapshotLog.map((e) => toBigInt(e["snapshot-id"], "snapshot-id")),
      oldestFirst,
    );
    const metadataLog = list(metadata["metadata-log"], "metadata-log").map((e) => obj(e, "metadata-log entry"));
    assert.equal(metadataLog.length, chain.length, `${name}: one metadata-log entry per successful commit`);
    assert.equal(new Set(metadataLog.map((e) => e["metadata-file"])).size, metadataLog.length);
    assert.ok(!metadataLog.some((e) => e["metadata-file"] === viaFirst.location));
    let previousTime = 0n;
    for (const [k, entry] of metadataLog.entries()) {
      const time = toBigInt(entry["timestamp-ms"], "timestamp-ms");
      assert.ok(time >= previousTime, `${name}: metadata-log timestamps go forward`);
      previousTime = time;
      const old = obj(parseJson(await readFile(String(entry["metadata-file"]), "utf8")), "old metadata");
      assert.equal(list(old.snapshots ?? [], "old snapshots").length, k, `${name}: snapshots in metadata file ${k}`);
      assert.equal(toBigInt(old["last-sequence-number"], "old last-sequence-number"), BigInt(k));
      assert.equal(baseOf(old).main, k === 0 ? null : oldestFirst[k - 1], `${name}: main in metadata file ${k}`);
    }
  }
});

test("table-layer appends through two servers, retrying conflicts: every append lands exactly once", async () => {
  const identifier = { namespace: NAMESPACE, name: APPEND_TABLE };
  const clients = await Promise.all(
    Array.from({ length: APPEND_WRITERS }, (_, w) => openCatalog(servers[w % servers.length].url, { warehouse })),
  );
  const expected: string[] = [];
  const landed: bigint[][] = [];
  try {
    await Promise.all(
      clients.map(async (client, w) => {
        const table = await Table.load(client, identifier);
        const mine: bigint[] = [];
        landed[w] = mine;
        for (let i = 0; i < APPENDS; i++) {
          const file = path.join(warehouse, "data", `writer-${w}-${i}.parquet`);
          expected.push(file);
          await table
            .newAppend()
            .appendFile(dataFile(file, { partition: [] }))
            .commit();
          mine.push(table.currentSnapshot()!["snapshot-id"]);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }

  const table = await Table.load(catalog!, identifier);
  assert.deepEqual(await livePaths(table), expected.sort(), "every appended file is live exactly once");
  const history: bigint[] = [];
  for (let snapshot = table.currentSnapshot(); snapshot !== null; ) {
    history.push(snapshot["snapshot-id"]);
    const parent = snapshot["parent-snapshot-id"];
    snapshot = parent === undefined || parent === null ? null : table.snapshot(parent);
  }
  assert.equal(history.length, APPEND_WRITERS * APPENDS);
  assert.equal(table.snapshots().length, history.length, "no snapshot outside the main history");
  assert.deepEqual(new Set(landed.flat()), new Set(history), "each writer's snapshots are the history");
  assert.equal(table.metadata["last-sequence-number"], BigInt(history.length));
});

test("both servers stop on SIGTERM and exit 0", async () => {
  const codes = await Promise.all(servers.map((server) => server.stop()));
  for (const [i, code] of codes.entries())
    assert.equal(code, 0, `server ${i} exited with ${code}:\n${servers[i].output()}`);
});
