// Several OS processes commit to one table through one SQLite file or one PostgreSQL database: the
// compare-and-swap must let every commit land exactly once, each on top of the one before.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Catalog, TableIdentifier } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import type { WorkerArgs } from "../support/catalog-commit-worker.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.ts";
import { EVENTS_SCHEMA } from "./conformance.ts";

const WRITERS = 8;
const COMMITS_PER_WRITER = 25;
const WORKER = path.join(import.meta.dirname, "..", "support", "catalog-commit-worker.ts");
const IDENTIFIER: TableIdentifier = { namespace: ["load"], name: "events" };
const CATALOG_NAME = "concurrency";

interface WorkerResult {
  writer: number;
  attempts: number;
}

function runWorker(args: WorkerArgs): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout.trim()) as WorkerResult);
      else reject(new Error(`writer ${args.writer} exited with ${code}: ${stderr}`));
    });
  });
}

/** Creates the table, runs the writers in parallel processes, and checks main's history. */
async function runScenario(uri: string, warehouse: string): Promise<void> {
  const catalog: Catalog = await openCatalog(uri, { warehouse, name: CATALOG_NAME });
  try {
    await catalog.createNamespace(IDENTIFIER.namespace);
    // A short metadata log keeps the metadata files, parsed on every attempt, small.
    await catalog.createTable(IDENTIFIER, {
      schema: EVENTS_SCHEMA,
      properties: { "write.metadata.previous-versions-max": "5" },
    });
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, writer) =>
        runWorker({
          uri,
          warehouse,
          catalogName: CATALOG_NAME,
          namespace: IDENTIFIER.namespace,
          table: IDENTIFIER.name,
          writer,
          commits: COMMITS_PER_WRITER,
        }),
      ),
    );
    const attempts = results.reduce((sum, result) => sum + result.attempts, 0);
    assert.ok(attempts >= WRITERS * COMMITS_PER_WRITER);

    const { metadata } = await catalog.loadTable(IDENTIFIER);
    const byId = new Map<bigint, Snapshot>(metadata.snapshots.map((snapshot) => [snapshot["snapshot-id"], snapshot]));
    const history: Snapshot[] = [];
    for (let id: bigint | undefined = metadata.refs.main["snapshot-id"]; id !== undefined; ) {
      const snapshot = byId.get(id);
      assert.ok(snapshot, `snapshot ${id} on main's parent chain is missing from the metadata`);
      history.push(snapshot);
      id = snapshot["parent-snapshot-id"];
    }
    const total = WRITERS * COMMITS_PER_WRITER;
    assert.equal(history.length, total, "main's history holds every commit");
    assert.equal(metadata.snapshots.length, total, "no snapshot landed off the main chain");
    const markers = history.map((snapshot) => `${snapshot.summary.writer}/${snapshot.summary.seq}`);
    assert.equal(new Set(markers).size, total, "each marker exactly once");
    for (let writer = 0; writer < WRITERS; writer += 1) {
      // Each writer's own commits land in its order.
      const seqs = history
        .filter((snapshot) => snapshot.summary.writer === String(writer))
        .map((snapshot) => Number(snapshot.summary.seq))
        .reverse();
      assert.deepEqual(
        seqs,
        Array.from({ length: COMMITS_PER_WRITER }, (_, i) => i),
        `writer ${writer}`,
      );
    }
    const sequenceNumbers = history.map((snapshot) => snapshot["sequence-number"]).reverse();
    assert.deepEqual(
      sequenceNumbers,
      Array.from({ length: total }, (_, i) => BigInt(i + 1)),
    );
    assert.equal(metadata["last-sequence-number"], BigInt(total));
  } finally {
    await catalog.close();
  }
}

describe(`${WRITERS} processes × ${COMMITS_PER_WRITER} commits to one table`, () => {
  let warehouse: string;
  let database: TestDatabase | undefined;
  before(async () => {
    warehouse = await mkdtemp(path.join(tmpdir(), "floe-concurrent-catalog-"));
  });
  after(async () => {
    await database?.drop();
    await rm(warehouse, { recursive: true, force: true });
  });

  test("on one SQLite file", async () => {
    const dir = path.join(warehouse, "sqlite");
    await runScenario(`sqlite:${path.join(dir, "catalog.db")}`, dir);
  });

  test("on one PostgreSQL database", async () => {
    database = await createTestDatabase("concurrency");
    await runScenario(database.url, path.join(warehouse, "postgres"));
  });
});
